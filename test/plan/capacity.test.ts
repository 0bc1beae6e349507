import type { Network } from '../../lib/intent/types';
import { Ipv4Cidr } from '../../lib/net/ipv4';
import { ipamScope, networkCapacity, planPools, subnetUsable } from '../../lib/plan/capacity';
import { validate } from '../util/intent';

/** `spec.networks[0]` of the base intent with its IPAM replaced, parsed (defaults applied). */
function networkWith(ipam: unknown): Network {
  const r = validate((i) => { (i.spec.networks![0] as { ipam: unknown }).ipam = ipam; });
  if (!r.intent) throw new Error(r.findings.map((f) => f.message).join('; '));
  return r.intent.spec.networks[0];
}

describe('planPools and networkCapacity', () => {
  test.each([
    ['host-local defaults: .1 to .254 less the gateway .1', { type: 'host-local', ranges: [[{ subnet: '192.168.1.0/24' }]] }, '192.168.1.1-192.168.1.254', 253],
    ['host-local explicit range, gateway outside it', { type: 'host-local', ranges: [[{ subnet: '192.168.1.0/24', rangeStart: '192.168.1.200', rangeEnd: '192.168.1.216', gateway: '192.168.1.1' }]] }, '192.168.1.200-192.168.1.216', 17],
    ['host-local gateway inside the range is not handed out', { type: 'host-local', ranges: [[{ subnet: '192.168.1.0/24', rangeStart: '192.168.1.200', rangeEnd: '192.168.1.216', gateway: '192.168.1.205' }]] }, '192.168.1.200-192.168.1.216', 16],
    ['whereabouts whole block', { type: 'whereabouts', range: '10.4.128.0/24' }, '10.4.128.1-10.4.128.254', 254],
    ['whereabouts gateway subtracted', { type: 'whereabouts', range: '10.4.128.0/24', gateway: '10.4.128.1' }, '10.4.128.1-10.4.128.254', 253],
    ['whereabouts exclude /30 (3 of its addresses are in the range)', { type: 'whereabouts', range: '10.4.128.0/24', exclude: ['10.4.128.0/30'] }, '10.4.128.1-10.4.128.254', 251],
    ['whereabouts overlapping excludes counted once', { type: 'whereabouts', range: '10.4.128.0/24', exclude: ['10.4.128.0/30', '10.4.128.0/29'] }, '10.4.128.1-10.4.128.254', 247],
    ['whereabouts gateway inside an exclude is not subtracted twice', { type: 'whereabouts', range: '10.4.128.0/24', gateway: '10.4.128.1', exclude: ['10.4.128.0/30'] }, '10.4.128.1-10.4.128.254', 251],
    ['whereabouts explicit start and end', { type: 'whereabouts', range: '10.4.128.0/24', range_start: '10.4.128.10', range_end: '10.4.128.19' }, '10.4.128.10-10.4.128.19', 10],
  ])('%s', (_what, ipam, range, capacity) => {
    // GIVEN a network with this IPAM
    const n = networkWith(ipam);
    // WHEN
    const pools = planPools(n, 0);
    // THEN one pool with the range and capacity the plugin hands out
    expect(pools.map((p) => [p.range, p.capacity])).toEqual([[range, capacity]]);
    expect(networkCapacity(n, pools)).toBe(capacity);
  });

  test('host-local: ranges of one set add up, separate sets take the smallest (a pod takes one address per set)', () => {
    // GIVEN two sets: 10 + 5 addresses, and 8
    const n = networkWith({ type: 'host-local', ranges: [
      [{ subnet: '10.9.0.0/24', rangeStart: '10.9.0.10', rangeEnd: '10.9.0.19' }, { subnet: '10.9.1.0/24', rangeStart: '10.9.1.10', rangeEnd: '10.9.1.14' }],
      [{ subnet: '10.9.2.0/24', rangeStart: '10.9.2.10', rangeEnd: '10.9.2.17' }],
    ] });
    // WHEN / THEN
    const pools = planPools(n, 0);
    expect(pools.map((p) => p.capacity)).toEqual([10, 5, 8]);
    expect(networkCapacity(n, pools)).toBe(8);
  });

  test('static: every pod gets the same addresses, so the network addresses one pod', () => {
    const n = networkWith({ type: 'static', addresses: [{ address: '10.9.0.5/24' }, { address: '10.9.1.5/24', gateway: '10.9.1.1' }] });
    const pools = planPools(n, 0);
    expect(pools).toEqual([
      { subnet: '10.9.0.0/24', range: '10.9.0.5-10.9.0.5', excludes: [], capacity: 1 },
      { subnet: '10.9.1.0/24', range: '10.9.1.5-10.9.1.5', gateway: '10.9.1.1', excludes: [], capacity: 1 },
    ]);
    expect(networkCapacity(n, pools)).toBe(1);
  });

  test('dhcp: no pool, capacity unknown', () => {
    const n = networkWith({ type: 'dhcp' });
    expect(planPools(n, 0)).toEqual([]);
    expect(networkCapacity(n, [])).toBeUndefined();
  });
});

describe('ipamScope', () => {
  test.each([
    ['host-local', 'node'],
    ['whereabouts', 'cluster'],
    ['static', 'static'],
    ['dhcp', 'dhcp'],
  ] as const)('%s allocates per %s', (type, scope) => {
    expect(ipamScope({ type } as Network['ipam'])).toBe(scope);
  });
});

describe('subnetUsable', () => {
  test.each([
    ['10.0.128.0/24', undefined, 251],
    ['10.0.128.0/24', '10.0.128.0/26', 187],
    ['10.0.128.0/28', undefined, 11],
    ['10.0.128.0/24', '10.0.129.0/26', 251], // a reservation outside the subnet takes nothing (a rule reports it)
  ])('%s less 5 AWS addresses and reservation %s: %d', (cidr, reservation, usable) => {
    expect(subnetUsable(Ipv4Cidr.parse(cidr), reservation ? Ipv4Cidr.parse(reservation) : undefined)).toBe(usable);
  });
});
