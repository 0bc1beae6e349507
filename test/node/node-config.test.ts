/**
 * lib/node/node-config.ts and lib/node/per-node-cni.ts: what the node config says, and the line format the script
 * reads with `read`. That the script reads it the same way (and fills the ranges in) is proven in multinic-eni.test.ts.
 */
import { networkIntentSchema } from '../../lib/intent/schema';
import type { NetworkIntentInput } from '../../lib/intent/types';
import { MultinicError } from '../../lib/errors';
import {
  NODE_GROUP_NOT_FOUND, NODE_INTERFACE_INVALID, NODE_PREFIXES_EXHAUSTED, nodeConfigFor, renderNodeConfig,
} from '../../lib/node/node-config';
import { perNodeCniFileName, perNodeCniWire, prefixRanges, subnetRouter, type PrefixNetwork } from '../../lib/node/per-node-cni';
import { baseIntent, specOf } from '../util/intent';

type Mutate = (i: NetworkIntentInput) => void;
function intentWith(mutate: Mutate = () => undefined) {
  const input = baseIntent();
  const spec = specOf(input);
  spec.subnets = [{ name: 'multus-a', cidr: '10.0.128.0/24', zone: 'a' }, { name: 'multus-b', cidr: '10.0.129.0/24', zone: 'a' }];
  spec.nodeGroups[1].interfaces = [
    { name: 'multus0', subnet: 'multus-a', ipv4PrefixCount: 2, sourceDestCheck: true },
    { name: 'multus1', subnet: 'multus-b', ipv4PrefixCount: 0, sourceDestCheck: true },
  ];
  spec.networks = [{
    name: 'pods-a', namespace: 'default', cniVersion: '1.0.0', type: 'ipvlan', master: 'multus0', mode: 'l2', sbr: false,
    ipam: { type: 'eni-prefix', prefixes: 2 },
  }];
  spec.workloads = [];
  spec.services = [];
  spec.configMaps = [];
  mutate(input);
  return networkIntentSchema.parse(input);
}

function thrown(f: () => unknown): MultinicError {
  try { f(); } catch (e) { if (e instanceof MultinicError) return e; throw e; }
  throw new Error('did not throw');
}

describe('nodeConfigFor', () => {
  test('names by device index (position + 1, card 0), the VPC MTU, and the prefix network with empty ranges', () => {
    // GIVEN workers with two interfaces, the first with prefixes and the master of one network
    const config = nodeConfigFor(intentWith((i) => { specOf(i).vpc.mtu = 8500; }), 'workers');
    // THEN
    expect(config.nodeGroup).toBe('workers');
    expect(config.mtu).toBe(8500);
    expect(config.interfaces).toEqual([
      { networkCard: 0, deviceIndex: 1, name: 'multus0' }, { networkCard: 0, deviceIndex: 2, name: 'multus1' },
    ]);
    expect(config.networks).toEqual([{
      networkCard: 0, deviceIndex: 1, file: 'default-pods-a.conf', subnet: '10.0.128.0/24', prefixOffset: 0, prefixCount: 2,
      config: {
        cniVersion: '1.0.0', name: 'pods-a', type: 'ipvlan', master: 'multus0', mode: 'l2',
        // the intent's other secondary subnet via the subnet router, never the VPC (the node subnets stay on eth0)
        ipam: { type: 'host-local', ranges: [], routes: [{ dst: '10.0.129.0/24', gw: '10.0.128.1' }] },
      },
    }]);
  });

  test.each<[string, Mutate, number]>([
    ['host-local network on an interface without prefixes', (i) => { specOf(i).networks[0] = { ...specOf(i).networks[0], master: 'multus1', ipam: { type: 'host-local', ranges: [[{ subnet: '192.168.1.0/24' }]] } } as never; }, 0],
    ['master of another group', (i) => { specOf(i).networks[0] = { ...specOf(i).networks[0], master: 'eth9' } as never; }, 0],
    ['bridge network', (i) => { specOf(i).networks[0] = { name: 'br', namespace: 'default', type: 'bridge', bridge: 'cni0', ipam: { type: 'host-local', ranges: [[{ subnet: '192.168.9.0/24' }]] } } as never; }, 0],
    // On AWS the VPC drops macvlan's own MACs and validation refuses it (multinic:MacvlanOnEni) before node files are
    // made; on spec.platform generic the network accepts any MAC, so the node gets its per-node file.
    ['macvlan on the prefix ENI (spec.platform generic)', (i) => { specOf(i).networks[0] = { ...specOf(i).networks[0], type: 'macvlan', mode: 'bridge' } as never; }, 1],
    ['ipvlan with host-local on the prefix ENI (not routable: multinic:NotRoutableBetweenNodes)', (i) => { specOf(i).networks[0] = { ...specOf(i).networks[0], ipam: { type: 'host-local', ranges: [[{ subnet: '192.168.1.0/24' }]] } } as never; }, 0],
    ['host-device of the prefix ENI', (i) => { specOf(i).networks[0] = { name: 'hd', namespace: 'default', type: 'host-device', device: 'multus0', ipam: { type: 'eni-prefix' } } as never; }, 1],
    ['ipvlan on the prefix ENI', () => undefined, 1],
  ])('which networks get a per-node config: %s', (_what, mutate, count) => {
    expect(nodeConfigFor(intentWith(mutate), 'workers').networks).toHaveLength(count);
  });

  test('the intent\'s routes are kept, a missing gw becomes the subnet router', () => {
    const config = nodeConfigFor(intentWith((i) => {
      specOf(i).networks[0] = { ...specOf(i).networks[0], ipam: { type: 'eni-prefix', routes: [{ dst: '10.1.0.0/16' }, { dst: '10.2.0.0/16', gw: '10.0.128.5' }] } } as never;
    }), 'workers');
    expect((config.networks[0].config.ipam as { routes: unknown }).routes).toEqual([{ dst: '10.1.0.0/16', gw: '10.0.128.1' }, { dst: '10.2.0.0/16', gw: '10.0.128.5' }]);
  });

  test.each<[string, Mutate, string, string]>([
    ['an unknown group', () => undefined, NODE_GROUP_NOT_FOUND, 'spec.nodeGroups: no node group named "nope"; known: control-plane, workers'],
  ])('throws for %s', (_what, mutate, code, message) => {
    const e = thrown(() => nodeConfigFor(intentWith(mutate), 'nope'));
    expect([e.code, e.message]).toEqual([code, message]);
  });

  test.each<[string, Mutate, string]>([
    ['a name the kernel refuses', (i) => { specOf(i).nodeGroups[1].interfaces![1].name = 'a-name-far-too-long'; },
      'spec.nodeGroups[1].interfaces[1].name: "a-name-far-too-long" is not a Linux interface name; use 1 to 15 of A-Z a-z 0-9 _ . - (e.g. multus0)'],
    ['a duplicate name', (i) => { specOf(i).nodeGroups[1].interfaces![1].name = 'multus0'; },
      'spec.nodeGroups[1].interfaces[1].name: "multus0" is also the name of interfaces[0]; give every interface of a node group its own name'],
  ])('throws NODE_INTERFACE_INVALID for %s', (_what, mutate, message) => {
    const e = thrown(() => nodeConfigFor(intentWith(mutate), 'workers'));
    expect([e.code, e.message]).toEqual([NODE_INTERFACE_INVALID, message]);
  });
});

describe('renderNodeConfig', () => {
  test('one fact per line in the format the script reads with `read`: format, nodeGroup, mtu, interfaces, networks', () => {
    // GIVEN a config WHEN rendered
    const config = nodeConfigFor(intentWith(), 'workers');
    const lines = renderNodeConfig(config).split('\n');
    // THEN the header, one line per interface and per network, the config last on its line as compact JSON
    expect(lines.slice(1, 6)).toEqual([
      'format multinic.dev/node-config/v2', 'nodeGroup workers', 'mtu 9001', 'interface 0 1 multus0', 'interface 0 2 multus1',
    ]);
    expect(lines[0]).toMatch(/^# /);
    const net = lines.filter((l) => l.startsWith('network '));
    expect(net).toHaveLength(1);
    const [kind, card, device, file, subnet, offset, count, ...rest] = net[0].split(' ');
    expect([kind, card, device, file, subnet, offset, count]).toEqual(['network', '0', '1', 'default-pods-a.conf', '10.0.128.0/24', '0', '2']);
    // AND the rest of the line is the template, whose IPAM holds "ranges":[] once
    expect(JSON.parse(rest.join(' '))).toEqual(config.networks[0].config);
    expect(net[0].split('"ranges":[]')).toHaveLength(2);
    expect(lines[lines.length - 1]).toBe('');
  });

  test('a group without interfaces has no interface or network line', () => {
    const text = renderNodeConfig(nodeConfigFor(intentWith(), 'control-plane'));
    expect(text.split('\n').filter((l) => /^(interface|network) /.test(l))).toEqual([]);
    expect(text).toContain('\nmtu 9001\n');
  });
});

describe('per-node CNI helpers', () => {
  test('prefixRanges: one range per prefix, first to last address, gateway = subnet router', () => {
    expect(subnetRouter('10.0.128.0/24')).toBe('10.0.128.1');
    expect(prefixRanges(['10.0.128.48/28', '10.0.128.240/28'], '10.0.128.0/24')).toEqual([[
      { subnet: '10.0.128.0/24', rangeStart: '10.0.128.48', rangeEnd: '10.0.128.63', gateway: '10.0.128.1' },
      { subnet: '10.0.128.0/24', rangeStart: '10.0.128.240', rangeEnd: '10.0.128.255', gateway: '10.0.128.1' },
    ]]);
  });

  test('a prefix outside the subnet is refused', () => {
    expect(thrown(() => prefixRanges(['10.0.9.16/28'], '10.0.128.0/24')).message).toBe("delegated prefix 10.0.9.16/28 is not inside the ENI's subnet 10.0.128.0/24");
  });

  test('chained plugins make a .conflist whose first plugin carries the ranges', () => {
    const net = { ...intentWith().spec.networks[0], sbr: true } as PrefixNetwork;
    expect(perNodeCniFileName(net)).toBe('default-pods-a.conflist');
    const wire = perNodeCniWire(net, '10.0.128.0/24', '10.0.0.0/16', ['10.0.128.16/28']) as { plugins: Array<{ type: string; ipam?: { ranges: unknown } }> };
    expect(wire.plugins.map((p) => p.type)).toEqual(['ipvlan', 'sbr']);
    expect(wire.plugins[0].ipam?.ranges).toEqual([[{ subnet: '10.0.128.0/24', rangeStart: '10.0.128.16', rangeEnd: '10.0.128.31', gateway: '10.0.128.1' }]]);
  });
});

describe('prefixes per network', () => {
  /** Two eni-prefix networks on multus0 (4 prefixes): a takes 1, b takes 2; a host-local one in between takes none. */
  const twoNetworks: Mutate = (i) => {
    specOf(i).nodeGroups[1].interfaces![0].ipv4PrefixCount = 4;
    const a = specOf(i).networks[0];
    specOf(i).networks = [
      { ...a, name: 'a', ipam: { type: 'eni-prefix' } },
      { ...a, name: 'local', ipam: { type: 'host-local', ranges: [[{ subnet: '192.168.1.0/24' }]] } },
      { ...a, name: 'b', ipam: { type: 'eni-prefix', prefixes: 2 } },
    ] as never;
  };

  test('networks on one interface take consecutive slices in intent order; prefixes default to 1', () => {
    const config = nodeConfigFor(intentWith(twoNetworks), 'workers');
    expect(config.networks.map((n) => [n.file, n.prefixOffset, n.prefixCount])).toEqual([['default-a.conf', 0, 1], ['default-b.conf', 1, 2]]);
  });

  test('nodeConfigFor refuses networks that need more prefixes than the interface delegates', () => {
    const e = thrown(() => nodeConfigFor(intentWith((i) => { twoNetworks(i); specOf(i).nodeGroups[1].interfaces![0].ipv4PrefixCount = 2; }), 'workers'));
    expect([e.code, e.message]).toEqual([NODE_PREFIXES_EXHAUSTED,
      'spec.nodeGroups[1].interfaces[0].ipv4PrefixCount: 2 /28 prefix(es) on "multus0", but its eni-prefix networks need 3 up to network "default/b"; raise ipv4PrefixCount or lower ipam.prefixes']);
  });

  test('a default route via the interface chains sbr, so replies leave through it', () => {
    const config = nodeConfigFor(intentWith((i) => {
      specOf(i).networks[0] = { ...specOf(i).networks[0], ipam: { type: 'eni-prefix', routes: [{ dst: '0.0.0.0/0' }] } } as never;
    }), 'workers');
    expect(config.networks[0].file).toBe('default-pods-a.conflist');
    expect((config.networks[0].config.plugins as Array<{ type: string }>).map((p) => p.type)).toEqual(['ipvlan', 'sbr']);
  });
});
