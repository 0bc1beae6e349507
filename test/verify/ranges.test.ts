import type { Network, NodeGroup, Subnet } from '../../lib/intent/types';
import { Ipv4Address } from '../../lib/net/ipv4';
import { intendedAddresses, ipv4s } from '../../lib/verify/ranges';

const subnets: Subnet[] = [{ name: 'multus-a', cidr: '10.0.128.0/24', zone: 'a' }, { name: 'multus-b', cidr: '10.0.192.0/24', zone: 'b' }];
const group = (name: string, subnet: string): NodeGroup => ({
  name, role: 'worker', instanceType: 'm6i.large', count: 1, labels: {},
  interfaces: [{ name: 'multus0', subnet, ipv4PrefixCount: 1, sourceDestCheck: true }],
});
const ipvlan = (ipam: unknown): Network => ({ name: 'n', namespace: 'default', cniVersion: '1.0.0', type: 'ipvlan', master: 'multus0', mode: 'l2', sbr: false, ipam } as Network);
const ip = (s: string) => Ipv4Address.parse(s);

describe('intendedAddresses', () => {
  test.each<[string, unknown, string, string[], string[]]>([
    ['host-local with start and end', { type: 'host-local', ranges: [[{ subnet: '192.168.1.0/24', rangeStart: '192.168.1.200', rangeEnd: '192.168.1.216' }]] },
      '192.168.1.200-192.168.1.216', ['192.168.1.200', '192.168.1.216'], ['192.168.1.199', '192.168.1.217']],
    ['host-local defaults (.1 to broadcast-1), two sets', { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/30' }], [{ subnet: '10.2.0.0/30' }]] },
      '10.1.0.1-10.1.0.2, 10.2.0.1-10.2.0.2', ['10.1.0.2', '10.2.0.1'], ['10.1.0.0', '10.1.0.3', '10.3.0.1']],
    ['whereabouts minus exclude', { type: 'whereabouts', range: '10.4.128.0/24', exclude: ['10.4.128.0/30'] },
      '10.4.128.1-10.4.128.254 minus 10.4.128.0/30', ['10.4.128.4', '10.4.128.254'], ['10.4.128.1', '10.4.128.3', '10.4.128.255']],
    ['whereabouts with range_start and range_end', { type: 'whereabouts', range: '10.4.0.0/16', range_start: '10.4.1.0', range_end: '10.4.1.9' },
      '10.4.1.0-10.4.1.9', ['10.4.1.9'], ['10.4.1.10']],
    ['static addresses', { type: 'static', addresses: [{ address: '10.5.0.7/24' }, { address: '10.5.0.9/24' }] },
      '10.5.0.7, 10.5.0.9', ['10.5.0.7', '10.5.0.9'], ['10.5.0.8']],
    ['dhcp', { type: 'dhcp' }, 'any (dhcp)', ['8.8.8.8'], []],
  ])('%s', (_what, ipam, text, inside, outside) => {
    const want = intendedAddresses(ipvlan(ipam), 0, subnets, []);
    expect(want.text).toBe(text);
    expect(inside.filter((a) => !want.contains(ip(a)))).toEqual([]);
    expect(outside.filter((a) => want.contains(ip(a)))).toEqual([]);
  });

  test('eni-prefix: the subnet of the master on the pod\'s node group', () => {
    const net = ipvlan({ type: 'eni-prefix', prefixes: 1 });
    const onA = intendedAddresses(net, 0, subnets, [group('a', 'multus-a')]);
    expect(onA.text).toBe('multus-a 10.0.128.0/24');
    expect([onA.contains(ip('10.0.128.40')), onA.contains(ip('10.0.192.40'))]).toEqual([true, false]);
    // node unknown: any group carrying the master
    const either = intendedAddresses(net, 0, subnets, [group('a', 'multus-a'), group('b', 'multus-b')]);
    expect(either.text).toBe('multus-a 10.0.128.0/24 or multus-b 10.0.192.0/24');
    expect(either.contains(ip('10.0.192.40'))).toBe(true);
    // no group carries it: nothing is inside
    const none = intendedAddresses(net, 0, subnets, []);
    expect([none.text, none.contains(ip('10.0.128.40'))]).toEqual(['the subnet of multus0 (no node group carries it)', false]);
  });
});

describe('ipv4s', () => {
  test('keeps IPv4 addresses (with or without a prefix length), drops the rest', () => {
    expect(ipv4s(['10.0.0.5', '10.0.0.6/24', 'fd00::1', 'junk']).map(String)).toEqual(['10.0.0.5', '10.0.0.6']);
  });
});
