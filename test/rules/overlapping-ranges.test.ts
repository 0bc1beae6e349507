import type { NetworkIntentInput } from '../../lib/intent/types';
import { overlappingRangesRule as rule } from '../../lib/rules/overlapping-ranges';
import { findingsFor, hostLocalRange, type IpamInput, pathsAndMessages, specOf, whereabouts } from '../util/intent';

type Mutate = (i: NetworkIntentInput) => void;

/** Adds network 2: an ipvlan network over `master` in namespace default with `ipam`. */
const add = (ipam: IpamInput, master = 'multus0'): Mutate => (i) => {
  specOf(i).networks.push({ name: 'extra', namespace: 'default', type: 'ipvlan', master, mode: 'l2', ipam });
};

describe('multinic:OverlappingRanges', () => {
  test.each<[string, Mutate, string, string]>([
    ['a whereabouts pool covers a host-local range on the same master', add({ type: 'whereabouts', range: '192.168.1.0/24' }),
      'spec.networks[2].ipam', 'range 192.168.1.1-192.168.1.254 shares 192.168.1.200-192.168.1.216 with network "default/ipvlan-conf" (spec.networks[0]) on master "multus0"'],
    ['a static address sits on the last address of a host-local range', add({ type: 'static', addresses: [{ address: '192.168.1.216/24' }] }),
      'spec.networks[2].ipam.addresses[0]', 'range 192.168.1.216-192.168.1.216 shares 192.168.1.216-192.168.1.216 with network "default/ipvlan-conf" (spec.networks[0]) on master "multus0"'],
    ['two host-local ranges share an address', add({ type: 'host-local', ranges: [[{ subnet: '192.168.1.0/24', rangeStart: '192.168.1.100', rangeEnd: '192.168.1.200' }]] }),
      'spec.networks[2].ipam.ranges[0][0]', 'range 192.168.1.100-192.168.1.200 shares 192.168.1.200-192.168.1.200 with network "default/ipvlan-conf" (spec.networks[0]) on master "multus0"'],
  ])('fires when %s', (_what, mutate, path, message) => {
    // WHEN the intent is validated
    const found = findingsFor(mutate, rule.id);
    // THEN the later network's pool is reported, naming the earlier one and the master
    expect(pathsAndMessages(found)).toEqual([{ path, message: `${path}: ${message}` }]);
    expect(found[0].level).toBe('error');
  });

  test('reports a network once even when it overlaps several', () => {
    // GIVEN a whereabouts /16 over the pools of both base networks, on the same master
    const found = findingsFor((i) => {
      hostLocalRange(i).subnet = '10.4.0.0/16'; hostLocalRange(i).rangeStart = '10.4.0.10'; hostLocalRange(i).rangeEnd = '10.4.0.20'; hostLocalRange(i).gateway = '10.4.0.1';
      add({ type: 'whereabouts', range: '10.4.0.0/16' })(i);
    }, rule.id);
    // THEN network 2 is reported once, against the first network it overlaps
    expect(found.map((f) => f.path)).toEqual(['spec.networks[2].ipam']);
  });

  test.each<[string, Mutate]>([
    ['a static address is right after the host-local range', add({ type: 'static', addresses: [{ address: '192.168.1.217/24' }] })],
    ['a static address is right before the host-local range', add({ type: 'static', addresses: [{ address: '192.168.1.199/24' }] })],
    ['the same range is on another master', (i) => {
      i.spec.nodeGroups[1].interfaces!.push({ name: 'multus1', subnet: 'multus-a' });
      add({ type: 'whereabouts', range: '192.168.1.0/24' }, 'multus1')(i);
    }],
    // whereabouts' overlapping-range reservations keep pools of one network_name apart cluster-wide.
    ['two whereabouts pools of one network_name overlap', add({ type: 'whereabouts', range: '10.4.128.0/25' })],
    ['whereabouts pools overlap under different network_name values (isolated on purpose)', add({ type: 'whereabouts', range: '10.4.128.0/24', network_name: 'tenant-b' })],
    ['a dhcp network shares the master', add({ type: 'dhcp' })],
  ])('does not fire when %s', (_what, mutate) => {
    // THEN nothing is reported
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });

  // host-local starts at the subnet's first host (.1) and only skips its gateway (checked against Debian's host-local 1.1.1).
  test('counts .1 in a host-local pool whose gateway is elsewhere', () => {
    const found = findingsFor((i) => {
      const r = hostLocalRange(i);
      delete r.rangeStart; delete r.rangeEnd; r.gateway = '192.168.1.254';
      add({ type: 'static', addresses: [{ address: '192.168.1.1/24' }] })(i);
    }, rule.id);
    expect(found.map((f) => f.path)).toEqual(['spec.networks[2].ipam.addresses[0]']);
  });

  test('does not fire for a static address inside a whereabouts exclude', () => {
    const found = findingsFor((i) => { whereabouts(i).exclude = ['10.4.128.0/30']; add({ type: 'static', addresses: [{ address: '10.4.128.2/24' }] })(i); }, rule.id);
    expect(found).toEqual([]);
  });
});
