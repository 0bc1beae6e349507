import { prefixCapacityRule as rule } from '../../lib/rules/prefix-capacity';
import { findingsFor, network, pathsAndMessages, specOf, type Mutate } from '../util/intent';

/** Network 0 (ipvlan over multus0) with eni-prefix IPAM taking `prefixes`, multus0 delegating `count`. */
const eniPrefix = (prefixes: number, count: number): Mutate => (i) => {
  network(i, 0).ipam = { type: 'eni-prefix', prefixes };
  specOf(i).nodeGroups[1].interfaces![0].ipv4PrefixCount = count;
};

describe('multinic:PrefixCapacity', () => {
  test('fires when the interface delegates fewer prefixes than its eni-prefix networks take', () => {
    // GIVEN two eni-prefix networks on multus0 taking 2 + 1, and multus0 delegating 2
    const found = findingsFor((i) => {
      eniPrefix(2, 2)(i);
      network(i, 1).ipam = { type: 'eni-prefix' };
    }, rule.id);
    // THEN the interface's count is reported with each network's share, and the fix names the count needed
    expect(pathsAndMessages(found)).toEqual([{
      path: 'spec.nodeGroups[1].interfaces[0].ipv4PrefixCount',
      message: 'spec.nodeGroups[1].interfaces[0].ipv4PrefixCount: interface "multus0" of node group "workers" delegates 2 /28 prefix(es), but its eni-prefix networks take 3 (default/ipvlan-conf: 2, dcjeon/whereabouts-eth1-conf: 1)',
    }]);
    expect(found[0].fix).toBe('Set ipv4PrefixCount to 3 or more, or lower ipam.prefixes.');
  });

  test('fires for an eni-prefix network on an interface without prefixes', () => {
    expect(findingsFor(eniPrefix(1, 0), rule.id).map((f) => f.path)).toEqual(['spec.nodeGroups[1].interfaces[0].ipv4PrefixCount']);
  });

  test.each<[string, Mutate]>([
    ['exactly as many prefixes as taken', eniPrefix(2, 2)],
    ['prefixes but no eni-prefix network', (i) => { specOf(i).nodeGroups[1].interfaces![0].ipv4PrefixCount = 1; }],
  ])('does not fire for %s', (_what, mutate) => {
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
