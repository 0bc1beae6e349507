import { prefixPodsPerNodeRule as rule } from '../../lib/rules/prefix-pods-per-node';
import { findingsFor, network, pathsAndMessages, specOf, type Mutate } from '../util/intent';

/** Network 1 (whereabouts-eth1-conf, the Deployment's) as eni-prefix with `prefixes`; the Deployment at `replicas`. */
const deployment = (prefixes: number, replicas: number): Mutate => (i) => {
  specOf(i).nodeGroups[1].interfaces![0].ipv4PrefixCount = prefixes;
  network(i, 1).ipam = { type: 'eni-prefix', prefixes };
  const w = specOf(i).workloads[1];
  if (w.kind === 'Deployment') w.replicas = replicas;
};

describe('multinic:PrefixPodsPerNode', () => {
  test('fires when the pods could exceed one node\'s 16 x prefixes addresses', () => {
    const found = findingsFor(deployment(1, 17), rule.id);
    expect(pathsAndMessages(found)).toEqual([{
      path: 'spec.workloads[1].replicas',
      message: 'spec.workloads[1].replicas: Deployment "dcjeon/ubuntu-whereabouts-deploy" has 17 pods on eni-prefix network "dcjeon/whereabouts-eth1-conf", whose nodes hold 16 addresses each (1 x /28); pods beyond that on one node fail to start',
    }]);
    expect(found[0].fix).toBe('Set ipam.prefixes of "dcjeon/whereabouts-eth1-conf" to 2 or spread the pods over nodes.');
  });

  test.each<[string, Mutate]>([
    ['16 pods on one prefix', deployment(1, 16)],
    ['32 pods on two prefixes', deployment(2, 32)],
  ])('does not fire for %s', (_what, mutate) => {
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
