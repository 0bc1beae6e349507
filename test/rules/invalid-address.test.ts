import type { NetworkIntentInput } from '../../lib/intent/types';
import { addressFields, invalidAddressRule as rule } from '../../lib/rules/invalid-address';
import { findingsFor, hostLocalRange, type Mutate, network, pathsAndMessages, specOf, validate, whereabouts } from '../util/intent';

const NOT_IP = (v: string) => `"${v}" is not an IPv4 address (expected four numbers 0-255 separated by dots, e.g. 10.0.0.1)`;
const NOT_CIDR = (v: string) => `"${v}" is not a CIDR (expected address/prefix-length, e.g. 10.0.0.0/16)`;

/** Makes network 1 a static network with `address` (and `gateway`). */
const staticNet = (i: NetworkIntentInput, address: string, gateway?: string) => {
  network(i, 1).ipam = { type: 'static', addresses: [{ address, ...(gateway ? { gateway } : {}) }] };
};

describe('multinic:InvalidAddress', () => {
  test.each<[string, Mutate, string, string]>([
    ['a pod CIDR with a prefix above 32', (i) => { i.spec.cluster.podCidr = '172.16.0.0/33'; },
      'spec.cluster.podCidr', '"172.16.0.0/33" is not a CIDR: prefix length 33 is above 32'],
    ['a service CIDR with host bits', (i) => { i.spec.cluster.serviceCidr = '10.96.0.1/12'; },
      'spec.cluster.serviceCidr', '"10.96.0.1/12" has host bits set; the network is 10.96.0.0/12'],
    ['an admin CIDR without a prefix', (i) => { i.spec.cluster.adminCidr = '203.0.113.7'; },
      'spec.cluster.adminCidr', NOT_CIDR('203.0.113.7')],
    ['a VPC CIDR with a bad octet', (i) => { i.spec.vpc.cidr = '10.0.300.0/16'; },
      'spec.vpc.cidr', `"10.0.300.0/16" is not a CIDR: ${NOT_IP('10.0.300.0')}`],
    ['a subnet CIDR with host bits', (i) => { specOf(i).subnets[0].cidr = '10.0.128.1/24'; },
      'spec.subnets[0].cidr', '"10.0.128.1/24" has host bits set; the network is 10.0.128.0/24'],
    ['a pod CIDR reservation with host bits', (i) => { specOf(i).subnets[0].podCidrReservation = '10.0.128.17/28'; },
      'spec.subnets[0].podCidrReservation', '"10.0.128.17/28" has host bits set; the network is 10.0.128.16/28'],
    ['a host-local subnet with host bits', (i) => { hostLocalRange(i).subnet = '192.168.1.1/24'; },
      'spec.networks[0].ipam.ranges[0][0].subnet', '"192.168.1.1/24" has host bits set; the network is 192.168.1.0/24'],
    ['a host-local rangeStart with three octets', (i) => { hostLocalRange(i).rangeStart = '192.168.1'; },
      'spec.networks[0].ipam.ranges[0][0].rangeStart', NOT_IP('192.168.1')],
    ['a host-local rangeEnd above 255', (i) => { hostLocalRange(i).rangeEnd = '192.168.1.256'; },
      'spec.networks[0].ipam.ranges[0][0].rangeEnd', NOT_IP('192.168.1.256')],
    ['a host-local gateway written as a CIDR', (i) => { hostLocalRange(i).gateway = '192.168.1.1/24'; },
      'spec.networks[0].ipam.ranges[0][0].gateway', NOT_IP('192.168.1.1/24')],
    ['a whereabouts range without a prefix', (i) => { whereabouts(i).range = '10.4.128.0'; },
      'spec.networks[1].ipam.range', NOT_CIDR('10.4.128.0')],
    ['a whereabouts range written as start-end', (i) => { whereabouts(i).range = '10.4.128.10-10.4.128.20'; },
      'spec.networks[1].ipam.range', NOT_CIDR('10.4.128.10-10.4.128.20')],
    ['a whereabouts range_start that is a name', (i) => { whereabouts(i).range_start = 'first'; },
      'spec.networks[1].ipam.range_start', NOT_IP('first')],
    ['a whereabouts range_end with a space', (i) => { whereabouts(i).range_end = '10.4.128. 9'; },
      'spec.networks[1].ipam.range_end', NOT_IP('10.4.128. 9')],
    ['a whereabouts gateway with five octets', (i) => { whereabouts(i).gateway = '10.4.128.1.1'; },
      'spec.networks[1].ipam.gateway', NOT_IP('10.4.128.1.1')],
    ['a whereabouts exclude with a 3-digit prefix', (i) => { whereabouts(i).exclude = ['10.4.128.0/30', '10.4.128.8/300']; },
      'spec.networks[1].ipam.exclude[1]', NOT_CIDR('10.4.128.8/300')],
    ['a route destination without a prefix', (i) => { whereabouts(i).routes = [{ dst: '10.9.0.0' }]; },
      'spec.networks[1].ipam.routes[0].dst', NOT_CIDR('10.9.0.0')],
    ['a route gateway written as a CIDR', (i) => { whereabouts(i).routes = [{ dst: '10.9.0.0/16', gw: '10.4.128.1/24' }]; },
      'spec.networks[1].ipam.routes[0].gw', NOT_IP('10.4.128.1/24')],
    ['a static address without a prefix', (i) => staticNet(i, '10.4.128.5'),
      'spec.networks[1].ipam.addresses[0].address', '"10.4.128.5" is not an address with a prefix length (e.g. 10.1.0.5/24)'],
    ['a static address with a prefix above 32', (i) => staticNet(i, '10.4.128.5/33'),
      'spec.networks[1].ipam.addresses[0].address', '"10.4.128.5/33" is not an address with a prefix length (e.g. 10.1.0.5/24)'],
    ['a static address with a bad octet', (i) => staticNet(i, '10.4.128.500/24'),
      'spec.networks[1].ipam.addresses[0].address', NOT_IP('10.4.128.500')],
    ['a static gateway with a bad octet', (i) => staticNet(i, '10.4.128.5/24', '10.4.128.256'),
      'spec.networks[1].ipam.addresses[0].gateway', NOT_IP('10.4.128.256')],
    ['a static DNS nameserver that is a host name', (i) => {
      network(i, 1).ipam = { type: 'static', addresses: [{ address: '10.4.128.5/24' }], dns: { nameservers: ['dns.google'] } };
    }, 'spec.networks[1].ipam.dns.nameservers[0]', NOT_IP('dns.google')],
  ])('fires for %s', (_what, mutate, path, reason) => {
    // WHEN the intent is validated
    const found = findingsFor(mutate, rule.id);
    // THEN the field is reported with why it does not parse
    expect(pathsAndMessages(found)).toEqual([{ path, message: `${path}: ${reason}` }]);
    expect(found[0].level).toBe('error');
  });

  test.each<[string, Mutate]>([
    ['a default route', (i) => { whereabouts(i).routes = [{ dst: '0.0.0.0/0' }]; }],
    ['a /32 exclude', (i) => { whereabouts(i).exclude = ['10.4.128.255/32']; }],
    ['a static address with host bits (an address, not a block)', (i) => staticNet(i, '10.4.128.5/24', '10.4.128.1')],
    ['a static /32 address', (i) => staticNet(i, '10.4.128.5/32')],
    ['the broadcast address as a route gateway', (i) => { whereabouts(i).routes = [{ dst: '10.9.0.0/16', gw: '255.255.255.255' }]; }],
    ['a dhcp network (no addresses)', (i) => { network(i, 1).ipam = { type: 'dhcp' }; }],
  ])('does not fire for %s', (_what, mutate) => {
    // THEN nothing is reported
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});

describe('addressFields', () => {
  test('lists every address field of the base intent with its kind', () => {
    // GIVEN the base intent's spec as parsed (through validate, so defaults are applied)
    const spec = validate().intent!.spec;
    // WHEN its address fields are listed
    const fields = addressFields(spec).map((f) => [f.path.join('.'), f.value, f.kind]);
    // THEN each CIDR and address is there once, in intent order
    expect(fields).toEqual([
      ['spec.cluster.podCidr', '172.16.0.0/16', 'cidr'],
      ['spec.cluster.serviceCidr', '10.96.0.0/12', 'cidr'],
      ['spec.vpc.cidr', '10.0.0.0/16', 'cidr'],
      ['spec.subnets.0.cidr', '10.0.128.0/24', 'cidr'],
      ['spec.networks.0.ipam.ranges.0.0.subnet', '192.168.1.0/24', 'cidr'],
      ['spec.networks.0.ipam.ranges.0.0.rangeStart', '192.168.1.200', 'ip'],
      ['spec.networks.0.ipam.ranges.0.0.rangeEnd', '192.168.1.216', 'ip'],
      ['spec.networks.0.ipam.ranges.0.0.gateway', '192.168.1.1', 'ip'],
      ['spec.networks.1.ipam.range', '10.4.128.0/24', 'cidr'],
      ['spec.networks.1.ipam.exclude.0', '10.4.128.0/30', 'cidr'],
    ]);
  });
});
