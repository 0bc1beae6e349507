import Ajv from 'ajv';
import {
  bridge, CNI_CONFIG_SCHEMA, cniDocument, dhcp, hostDevice, hostLocal, ipvlan, macvlan, sbr, serializeCni, staticIpam, tuning,
  whereabouts, type CniDocument,
} from '../../lib/cni';

const validate = new Ajv({ strict: true, allErrors: true }).compile(CNI_CONFIG_SCHEMA);

const HL = hostLocal({ ranges: [[{ subnet: '10.1.0.0/24', rangeStart: '10.1.0.10', rangeEnd: '10.1.0.20', gateway: '10.1.0.1' }]], routes: [{ dst: '10.9.0.0/16' }], dataDir: '/var/lib/cni/x' });
const doc = (plugin: CniDocument['plugins'][0], chained: Parameters<typeof cniDocument>[0]['chained'] = []): CniDocument =>
  cniDocument({ cniVersion: '0.4.0', name: 'net-a', plugin, chained });

/** One emitted config per plugin and IPAM, every optional field set. */
const EMITTED: [string, CniDocument][] = [
  ['macvlan + host-local', doc(macvlan({ master: 'multus0', mode: 'vepa', mtu: 1500, ipam: HL }))],
  ['ipvlan + whereabouts', doc(ipvlan({ master: 'multus0', mode: 'l3', ipam: whereabouts({
    range: '10.4.128.0/24', rangeStart: '10.4.128.5', rangeEnd: '10.4.128.50', exclude: ['10.4.128.0/30'], gateway: '10.4.128.1', routes: [{ dst: '0.0.0.0/0' }], networkName: 'blue',
  }) }))],
  ['bridge + static', doc(bridge({ bridge: 'br0', isGateway: true, ipMasq: true, hairpinMode: false, mtu: 9001, vlan: 100, ipam: staticIpam({
    addresses: [{ address: '10.1.0.5/24', gateway: '10.1.0.1' }], routes: [{ dst: '0.0.0.0/0' }], dns: { nameservers: ['10.1.0.2'], domain: 'd', search: ['s'], options: ['o'] },
  }) }))],
  ['host-device (pciBusID) + dhcp', doc(hostDevice({ pciBusID: '0000:00:05.0', ipam: dhcp({ daemonSocketPath: '/run/cni/dhcp.sock' }) }))],
  ['conflist with tuning and sbr', doc(macvlan({ master: 'multus0', ipam: HL }), [tuning({ sysctl: { 'net.ipv4.conf.net1.arp_notify': '1' } }), sbr()])],
];

describe('CNI_CONFIG_SCHEMA', () => {
  test.each(EMITTED)('accepts what serializeCni emits: %s', (_name, document) => {
    // GIVEN / WHEN
    const ok = validate(JSON.parse(serializeCni(document)));
    // THEN
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  const base = (): Record<string, unknown> & { ipam: Record<string, unknown> } => JSON.parse(serializeCni(EMITTED[0][1]));
  const list = (): Record<string, unknown> & { plugins: Record<string, unknown>[] } => JSON.parse(serializeCni(EMITTED[4][1]));
  test.each<[string, () => unknown]>([
    ['no cniVersion (the plugins would answer in the 0.1.0 format)', () => { const w = base(); delete w.cniVersion; return w; }],
    ['cniVersion 1.1.0', () => ({ ...base(), cniVersion: '1.1.0' })],
    ['no ipam (the plugins would give no address)', () => { const w = base(); delete (w as Record<string, unknown>).ipam; return w; }],
    ['an unknown IPAM type', () => ({ ...base(), ipam: { type: 'whereaboutsss', range: '10.0.0.0/24' } })],
    ['a route without gw (CHECK would fail)', () => { const w = base(); w.ipam.routes = [{ dst: '0.0.0.0/0' }]; return w; }],
    ['an unknown key', () => ({ ...base(), masterr: 'multus0' })],
    ['an unknown macvlan mode', () => ({ ...base(), mode: 'l2' })],
    ['host-device with two selectors', () => ({ ...JSON.parse(serializeCni(EMITTED[3][1])), device: 'eth1' })],
    ['host-device without selector', () => { const w = JSON.parse(serializeCni(EMITTED[3][1])); delete w.pciBusID; return w; }],
    ['a conflist whose first plugin is sbr', () => { const w = list(); w.plugins = [{ type: 'sbr' }, ...w.plugins]; return w; }],
    ['a conflist plugin with its own ipam after the first', () => { const w = list(); w.plugins = [w.plugins[0], w.plugins[0]]; return w; }],
    ['a tuning sysctl outside net.', () => { const w = list(); w.plugins[1] = { type: 'tuning', sysctl: { 'kernel.panic': '1' } }; return w; }],
    ['three chained plugins', () => { const w = list(); w.plugins = [...w.plugins, { type: 'sbr' }]; return w; }],
    ['a conflist with only the main plugin', () => { const w = list(); w.plugins = [w.plugins[0]]; return w; }],
    ['a name with a slash', () => ({ ...base(), name: 'ns/net' })],
  ])('refuses %s', (_name, make) => {
    // GIVEN / WHEN / THEN
    expect(validate(make())).toBe(false);
  });

  test('is a plain JSON object (survives a JSON round trip unchanged)', () => {
    // GIVEN / WHEN / THEN
    expect(JSON.parse(JSON.stringify(CNI_CONFIG_SCHEMA))).toStrictEqual(CNI_CONFIG_SCHEMA);
  });
});
