import {
  bridge, cniDocument, cniWireObject, dhcp, hostDevice, hostLocal, ipvlan, macvlan, sbr, serializeCni, staticIpam, tuning,
  whereabouts, type CniDocument, type CniIpam, type CniMainPlugin,
} from '../../lib/cni';

const HL = hostLocal({ ranges: [[{ subnet: '192.168.1.0/24', rangeStart: '192.168.1.200', rangeEnd: '192.168.1.216', gateway: '192.168.1.1' }]] });

function doc(plugin: CniMainPlugin, chained: Parameters<typeof cniDocument>[0]['chained'] = []): CniDocument {
  return cniDocument({ cniVersion: '1.0.0', name: 'net-a', plugin, chained });
}

/** Every key path of a parsed JSON value, in document order. */
function keyOrder(json: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        out.push(`${path}${path === '' ? '' : '.'}${k}`);
        walk(x, `${path}${path === '' ? '' : '.'}${k}`);
      }
    }
  };
  walk(JSON.parse(json), '');
  return out;
}

describe('serializeCni key order', () => {
  test.each<[string, CniDocument, string[]]>([
    ['macvlan', doc(macvlan({ master: 'multus0', mode: 'bridge', mtu: 1500, ipam: HL })), [
      'cniVersion', 'name', 'type', 'master', 'mode', 'mtu', 'ipam', 'ipam.type', 'ipam.ranges',
      'ipam.ranges[0][0].subnet', 'ipam.ranges[0][0].rangeStart', 'ipam.ranges[0][0].rangeEnd', 'ipam.ranges[0][0].gateway',
    ]],
    ['ipvlan', doc(ipvlan({ ipam: dhcp({ daemonSocketPath: '/run/cni/dhcp.sock' }), mtu: 9001, mode: 'l3', master: 'multus0' })), [
      'cniVersion', 'name', 'type', 'master', 'mode', 'mtu', 'ipam', 'ipam.type', 'ipam.daemonSocketPath',
    ]],
    ['bridge', doc(bridge({ vlan: 7, mtu: 1400, hairpinMode: true, ipMasq: false, isGateway: true, bridge: 'br1', ipam: HL })), [
      'cniVersion', 'name', 'type', 'bridge', 'isGateway', 'ipMasq', 'hairpinMode', 'mtu', 'vlan', 'ipam', 'ipam.type', 'ipam.ranges',
      'ipam.ranges[0][0].subnet', 'ipam.ranges[0][0].rangeStart', 'ipam.ranges[0][0].rangeEnd', 'ipam.ranges[0][0].gateway',
    ]],
    ['host-device + static', doc(hostDevice({ device: 'multus0', ipam: staticIpam({
      dns: { options: ['ndots:2'], search: ['svc'], domain: 'example.com', nameservers: ['10.0.0.2'] },
      routes: [{ gw: '10.1.0.1', dst: '0.0.0.0/0' }],
      addresses: [{ gateway: '10.1.0.1', address: '10.1.0.5/24' }],
    }) })), [
      'cniVersion', 'name', 'type', 'device', 'ipam', 'ipam.type', 'ipam.addresses', 'ipam.addresses[0].address', 'ipam.addresses[0].gateway',
      'ipam.routes', 'ipam.routes[0].dst', 'ipam.routes[0].gw',
      'ipam.dns', 'ipam.dns.nameservers', 'ipam.dns.domain', 'ipam.dns.search', 'ipam.dns.options',
    ]],
    ['whereabouts (wire keys renamed)', doc(macvlan({ master: 'multus0', ipam: whereabouts({
      networkName: 'blue', routes: [{ dst: '10.9.0.0/16' }], gateway: '10.2.130.1', exclude: ['10.2.130.0/30'],
      rangeEnd: '10.2.130.100', rangeStart: '10.2.130.10', range: '10.2.130.0/24',
    }) })), [
      'cniVersion', 'name', 'type', 'master', 'mode', 'ipam', 'ipam.type', 'ipam.range', 'ipam.range_start', 'ipam.range_end',
      'ipam.exclude', 'ipam.gateway', 'ipam.routes', 'ipam.routes[0].dst', 'ipam.routes[0].gw', 'ipam.network_name',
    ]],
    ['conflist with tuning and sbr', doc(ipvlan({ master: 'multus0', ipam: HL }), [tuning({ sysctl: { 'net.ipv4.conf.net1.rp_filter': '0', 'net.ipv4.conf.net1.arp_notify': '1' } }), sbr()]), [
      'cniVersion', 'name', 'plugins', 'plugins[0].type', 'plugins[0].master', 'plugins[0].mode', 'plugins[0].ipam', 'plugins[0].ipam.type',
      'plugins[0].ipam.ranges', 'plugins[0].ipam.ranges[0][0].subnet', 'plugins[0].ipam.ranges[0][0].rangeStart',
      'plugins[0].ipam.ranges[0][0].rangeEnd', 'plugins[0].ipam.ranges[0][0].gateway',
      'plugins[1].type', 'plugins[1].sysctl', 'plugins[1].sysctl.net.ipv4.conf.net1.arp_notify', 'plugins[1].sysctl.net.ipv4.conf.net1.rp_filter',
      'plugins[2].type',
    ]],
  ])('%s: keys come out in the fixed order whatever the input order', (_name, document, expected) => {
    // GIVEN a document built with props in a scrambled order
    // WHEN it is serialized
    const json = serializeCni(document);
    // THEN the key order is the fixed one
    expect(keyOrder(json)).toEqual(expected);
  });

  test('output is 2-space indented JSON and identical on every call', () => {
    // GIVEN / WHEN
    const a = serializeCni(doc(macvlan({ master: 'multus0', ipam: HL })));
    // THEN
    expect(a).toBe(serializeCni(doc(macvlan({ master: 'multus0', ipam: HL }))));
    expect(a.split('\n').slice(0, 3)).toEqual(['{', '  "cniVersion": "1.0.0",', '  "name": "net-a",']);
  });
});

describe('serializeCni content', () => {
  test('a single plugin is a conf with the IPAM inside', () => {
    // GIVEN / WHEN
    const wire = JSON.parse(serializeCni(doc(macvlan({ master: 'multus0', mtu: 0, ipam: HL }))));
    // THEN mtu 0 survives (?? not ||)
    expect(wire).toEqual({
      cniVersion: '1.0.0', name: 'net-a', type: 'macvlan', master: 'multus0', mode: 'bridge', mtu: 0,
      ipam: { type: 'host-local', ranges: [[{ subnet: '192.168.1.0/24', rangeStart: '192.168.1.200', rangeEnd: '192.168.1.216', gateway: '192.168.1.1' }]] },
    });
  });

  test('chained plugins make a conflist whose first plugin carries the IPAM and no envelope', () => {
    // GIVEN / WHEN
    const wire = JSON.parse(serializeCni(doc(ipvlan({ master: 'multus0', ipam: dhcp() }), [sbr()])));
    // THEN
    expect(wire).toEqual({
      cniVersion: '1.0.0', name: 'net-a',
      plugins: [{ type: 'ipvlan', master: 'multus0', mode: 'l2', ipam: { type: 'dhcp' } }, { type: 'sbr' }],
    });
  });

  test.each<[string, CniIpam, { dst: string; gw: string }[]]>([
    ['host-local: the range gateway', hostLocal({ ranges: [[{ subnet: '10.1.0.0/24', gateway: '10.1.0.254' }]], routes: [{ dst: '0.0.0.0/0' }] }),
      [{ dst: '0.0.0.0/0', gw: '10.1.0.254' }]],
    ['host-local: the first host of the subnet', hostLocal({ ranges: [[{ subnet: '10.1.0.0/24' }]], routes: [{ dst: '10.9.0.0/16' }] }),
      [{ dst: '10.9.0.0/16', gw: '10.1.0.1' }]],
    ['host-local: the gateway of the range of the same family',
      hostLocal({ ranges: [[{ subnet: 'fd00::/64' }], [{ subnet: '10.1.0.0/24' }]], routes: [{ dst: '0.0.0.0/0' }, { dst: '::/0' }] }),
      [{ dst: '0.0.0.0/0', gw: '10.1.0.1' }, { dst: '::/0', gw: 'fd00::1' }]],
    ['host-local: an explicit gw is kept', hostLocal({ ranges: [[{ subnet: '10.1.0.0/24' }]], routes: [{ dst: '0.0.0.0/0', gw: '10.1.0.9' }] }),
      [{ dst: '0.0.0.0/0', gw: '10.1.0.9' }]],
    ['whereabouts: gateway', whereabouts({ range: '10.2.0.0/24', gateway: '10.2.0.254', routes: [{ dst: '0.0.0.0/0' }] }),
      [{ dst: '0.0.0.0/0', gw: '10.2.0.254' }]],
    ['whereabouts: the first host of the range', whereabouts({ range: '10.2.0.0/24', routes: [{ dst: '0.0.0.0/0' }] }),
      [{ dst: '0.0.0.0/0', gw: '10.2.0.1' }]],
    ['static: the address gateway', staticIpam({ addresses: [{ address: '10.3.0.5/24' }, { address: '10.4.0.5/24', gateway: '10.4.0.1' }], routes: [{ dst: '0.0.0.0/0' }] }),
      [{ dst: '0.0.0.0/0', gw: '10.4.0.1' }]],
  ])('a route without gw gets %s', (_name, ipam, expected) => {
    // GIVEN / WHEN
    const wire = JSON.parse(serializeCni(doc(macvlan({ master: 'multus0', ipam }))));
    // THEN
    expect(wire.ipam.routes).toEqual(expected);
  });
});

describe('serializeCni refuses what the real plugins would silently accept', () => {
  const good = doc(macvlan({ master: 'multus0', ipam: HL }));
  test.each<[string, CniDocument, string, string]>([
    ['no cniVersion', { ...good, cniVersion: undefined } as unknown as CniDocument, 'CNI_MISSING_VERSION',
      'cni "net-a": cniVersion is missing; without it the plugins answer in the legacy 0.1.0 format. Set one of 0.3.0, 0.3.1, 0.4.0, 1.0.0'],
    ['cniVersion 1.1.0', { ...good, cniVersion: '1.1.0' } as unknown as CniDocument, 'CNI_UNSUPPORTED_VERSION',
      'cni "net-a": cniVersion "1.1.0" is not supported by the CNI plugins we ship (Debian 1.1.1); use one of 0.3.0, 0.3.1, 0.4.0, 1.0.0'],
    ['no ipam', { ...good, plugins: [{ type: 'macvlan', master: 'multus0', mode: 'bridge' }] } as unknown as CniDocument, 'CNI_MISSING_IPAM',
      'cni "net-a" macvlan: no ipam; without one the plugin succeeds and the pod interface gets no address. Set ipam (host-local, static, whereabouts or dhcp)'],
    ['a static route with no gateway anywhere', doc(macvlan({ master: 'multus0', ipam: staticIpam({ addresses: [{ address: '10.3.0.5/24' }], routes: [{ dst: '0.0.0.0/0' }] }) })),
      'CNI_ROUTE_WITHOUT_GATEWAY',
      'cni "net-a" macvlan ipam.routes[0]: route to 0.0.0.0/0 has no gw and the IPAM has no IPv4 gateway to default to; set gw on the route or a gateway on an address of that family'],
    ['an IPv6 route over an IPv4-only host-local', doc(macvlan({ master: 'multus0', ipam: hostLocal({ ranges: [[{ subnet: '10.1.0.0/24' }]], routes: [{ dst: '::/0' }] }) })),
      'CNI_ROUTE_WITHOUT_GATEWAY',
      'cni "net-a" macvlan ipam.routes[0]: route to ::/0 has no gw and the IPAM has no IPv6 gateway to default to; set gw on the route or a gateway on a range of that family'],
    ['an unknown IPAM type', doc(macvlan({ master: 'multus0', ipam: { type: 'whereaboutsss' } as unknown as CniIpam })), 'CNI_INVALID_CONFIG',
      'cni "net-a" macvlan ipam: unknown IPAM type "whereaboutsss"; known: host-local, static, whereabouts, dhcp'],
    ['an unknown main plugin', { ...good, plugins: [{ type: 'macvtap', ipam: HL }] } as unknown as CniDocument, 'CNI_INVALID_CONFIG',
      'cni "net-a" macvtap: unknown main plugin type "macvtap"; known: macvlan, ipvlan, bridge, host-device'],
    ['an unknown chained plugin', { ...good, plugins: [good.plugins[0], { type: 'portmap' }] } as unknown as CniDocument, 'CNI_INVALID_CONFIG',
      'cni "net-a": unknown chained plugin type "portmap"; known: sbr, tuning'],
    ['no plugin at all', { ...good, plugins: [] } as unknown as CniDocument, 'CNI_INVALID_CONFIG',
      'cni "net-a": no plugin; give a main plugin (macvlan, ipvlan, bridge, host-device)'],
  ])('%s', (_name, document, code, message) => {
    // GIVEN a document the types would not allow (a JavaScript caller, a cast)
    // WHEN / THEN
    expect(() => cniWireObject(document)).toThrow(expect.objectContaining({ name: 'MultinicError', code, message }));
    expect(() => serializeCni(document)).toThrow(expect.objectContaining({ name: 'MultinicError', code, message }));
  });
});
