import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { serializeCni } from '../../lib/cni';
import { MultinicError } from '../../lib/errors';
import { networkIntentSchema, networkSchema } from '../../lib/intent/schema';
import type { Network } from '../../lib/intent/types';
import { cniConfigForNetwork, hasPerNodeConfig, nadConfigJson } from '../../lib/model/network-cni';

/** An intent network through the real schema, defaults applied. */
function network(input: Record<string, unknown>): Network {
  return networkSchema.parse(input);
}

const HL = { type: 'host-local', ranges: [[{ subnet: '192.168.1.0/24', rangeStart: '192.168.1.200', rangeEnd: '192.168.1.216', gateway: '192.168.1.1' }]] };
const HL_WIRE = { type: 'host-local', ranges: [[{ subnet: '192.168.1.0/24', rangeStart: '192.168.1.200', rangeEnd: '192.168.1.216', gateway: '192.168.1.1' }]] };

describe('nadConfigJson', () => {
  test.each<[string, Record<string, unknown>, object]>([
    ['ipvlan + host-local (schema defaults: cniVersion 1.0.0, mode l2)', { name: 'ipvlan-conf', type: 'ipvlan', master: 'multus0', ipam: HL },
      { cniVersion: '1.0.0', name: 'ipvlan-conf', type: 'ipvlan', master: 'multus0', mode: 'l2', ipam: HL_WIRE }],
    ['macvlan with mtu and cniVersion 0.4.0', { name: 'mv', type: 'macvlan', master: 'multus0', mode: 'private', mtu: 1400, cniVersion: '0.4.0', ipam: HL },
      { cniVersion: '0.4.0', name: 'mv', type: 'macvlan', master: 'multus0', mode: 'private', mtu: 1400, ipam: HL_WIRE }],
    ['bridge (default name cni0) + static', {
      name: 'br', type: 'bridge', isGateway: true, vlan: 12,
      ipam: { type: 'static', addresses: [{ address: '10.1.0.5/24', gateway: '10.1.0.1' }], routes: [{ dst: '0.0.0.0/0' }] },
    }, {
      cniVersion: '1.0.0', name: 'br', type: 'bridge', bridge: 'cni0', isGateway: true, vlan: 12,
      ipam: { type: 'static', addresses: [{ address: '10.1.0.5/24', gateway: '10.1.0.1' }], routes: [{ dst: '0.0.0.0/0', gw: '10.1.0.1' }] },
    }],
    ['host-device + dhcp', { name: 'hd', type: 'host-device', device: 'multus1', ipam: { type: 'dhcp' } },
      { cniVersion: '1.0.0', name: 'hd', type: 'host-device', device: 'multus1', ipam: { type: 'dhcp' } }],
    ['whereabouts keeps its snake_case wire keys and gets route gws', {
      name: 'wb', type: 'ipvlan', master: 'multus0',
      ipam: { type: 'whereabouts', range: '10.4.128.0/24', range_start: '10.4.128.10', range_end: '10.4.128.20', exclude: ['10.4.128.0/30'], network_name: 'blue', routes: [{ dst: '10.9.0.0/16' }] },
    }, {
      cniVersion: '1.0.0', name: 'wb', type: 'ipvlan', master: 'multus0', mode: 'l2',
      ipam: { type: 'whereabouts', range: '10.4.128.0/24', range_start: '10.4.128.10', range_end: '10.4.128.20', exclude: ['10.4.128.0/30'], routes: [{ dst: '10.9.0.0/16', gw: '10.4.128.1' }], network_name: 'blue' },
    }],
    ['sbr and sysctl make a conflist: main, tuning, sbr', { name: 'chain', type: 'ipvlan', master: 'multus0', sbr: true, sysctl: { 'net.ipv4.conf.net1.arp_notify': '1' }, ipam: HL }, {
      cniVersion: '1.0.0', name: 'chain',
      plugins: [
        { type: 'ipvlan', master: 'multus0', mode: 'l2', ipam: HL_WIRE },
        { type: 'tuning', sysctl: { 'net.ipv4.conf.net1.arp_notify': '1' } },
        { type: 'sbr' },
      ],
    }],
  ])('%s', (_name, input, expected) => {
    // GIVEN an intent network
    const n = network(input);
    // WHEN
    const json = nadConfigJson(n);
    // THEN the emitted config is exactly the expected one, and the same as serializing the typed document
    expect(JSON.parse(json)).toStrictEqual(expected);
    expect(json).toBe(serializeCni(cniConfigForNetwork(n)));
  });

  test('every network of the seed-faithful example with a cluster-wide config maps; the CNI name is the network name', () => {
    // GIVEN the seed's networks as the notes had them, but the per-node ones (eni-prefix: lib/node renders those)
    const intent = networkIntentSchema.parse(parseYaml(readFileSync(join(__dirname, '..', '..', 'examples', 'seed-faithful.yaml'), 'utf8')));
    const clusterWide = intent.spec.networks.filter((n) => !hasPerNodeConfig(n));
    expect(intent.spec.networks.filter(hasPerNodeConfig).map((n) => n.name)).toEqual(['routable-net']);
    // WHEN
    const docs = clusterWide.map((n) => JSON.parse(nadConfigJson(n)));
    // THEN
    expect(docs.map((d) => [d.name, d.type, d.ipam.type])).toEqual(clusterWide.map((n) => [n.name, n.type, n.ipam.type]));
  });

  test('every network of the default intent is per node (eni-prefix): none has a cluster-wide config', () => {
    const intent = networkIntentSchema.parse(parseYaml(readFileSync(join(__dirname, '..', '..', 'network-intent.yaml'), 'utf8')));
    expect(intent.spec.networks.filter((n) => !hasPerNodeConfig(n)).map((n) => n.name)).toEqual([]);
  });

  test('an eni-prefix network has no cluster-wide config: CNI_PER_NODE_IPAM, naming the network', () => {
    const n = networkSchema.parse({ name: 'r', namespace: 'x', type: 'ipvlan', master: 'multus0', ipam: { type: 'eni-prefix' } });
    expect(hasPerNodeConfig(n)).toBe(true);
    let err: unknown;
    try { nadConfigJson(n); } catch (e) { err = e; }
    expect([(err as MultinicError).code, (err as MultinicError).message]).toEqual(['CNI_PER_NODE_IPAM',
      'network "x/r": ipam type eni-prefix is resolved on each node from its ENI\'s delegated /28 prefixes, so it has no cluster-wide CNI config; render the per-node config with perNodeCniWire() from lib/node, or check hasPerNodeConfig(network) first']);
  });
});

describe('cniConfigForNetwork errors name the network', () => {
  test.each<[string, Record<string, unknown>, string, string]>([
    ['cniVersion 1.1.0', { name: 'a', namespace: 'dcjeon', type: 'ipvlan', master: 'multus0', cniVersion: '1.1.0', ipam: HL }, 'CNI_UNSUPPORTED_VERSION',
      'network "dcjeon/a": cni: cniVersion "1.1.0" is not supported by the CNI plugins we ship (Debian 1.1.1); use one of 0.3.0, 0.3.1, 0.4.0, 1.0.0'],
    ['rangeStart outside the subnet', { name: 'b', type: 'macvlan', master: 'multus0', ipam: { type: 'host-local', ranges: [[{ subnet: '10.20.0.0/24', rangeStart: '10.21.0.5' }]] } },
      'CNI_INVALID_CONFIG', 'network "default/b": host-local.ranges[0][0].rangeStart: 10.21.0.5 is not inside subnet 10.20.0.0/24; pick an address of the subnet'],
    ['a master too long for Linux', { name: 'c', type: 'ipvlan', master: 'averyverylongname', ipam: HL }, 'CNI_INVALID_CONFIG',
      'network "default/c": ipvlan.master: "averyverylongname" is not a Linux interface name; use 1 to 15 characters without "/", ":" or spaces'],
    ['a non-net sysctl', { name: 'd', type: 'ipvlan', master: 'multus0', sysctl: { 'vm.swappiness': '1' }, ipam: HL }, 'CNI_INVALID_CONFIG',
      'network "default/d": tuning.sysctl: "vm.swappiness" is not a network sysctl; the tuning plugin only sets keys under net., e.g. net.ipv4.conf.net1.arp_notify'],
  ])('%s', (_name, input, code, message) => {
    // GIVEN / WHEN / THEN
    expect(() => cniConfigForNetwork(network(input))).toThrow(expect.objectContaining({ name: 'MultinicError', code, message }));
  });

  test('a route the IPAM cannot give a gateway fails at serialization, naming the network', () => {
    // GIVEN a static address without gateway and a route without gw
    const n = network({ name: 'e', type: 'macvlan', master: 'multus0', ipam: { type: 'static', addresses: [{ address: '10.1.0.5/24' }], routes: [{ dst: '0.0.0.0/0' }] } });
    // WHEN / THEN
    expect(() => nadConfigJson(n)).toThrow(expect.objectContaining({
      code: 'CNI_ROUTE_WITHOUT_GATEWAY',
      message: 'network "default/e": cni "e" macvlan ipam.routes[0]: route to 0.0.0.0/0 has no gw and the IPAM has no IPv4 gateway to default to; set gw on the route or a gateway on an address of that family',
    }));
  });
});
