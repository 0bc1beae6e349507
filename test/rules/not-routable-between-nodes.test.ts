/**
 * multinic:NotRoutableBetweenNodes. Not registered in RULES yet (registering it makes the default intent's three seed
 * networks and the shared base intent warn, which the lead updates across the suites): tested through check().
 */
import { networkIntentSchema } from '../../lib/intent/schema';
import type { NetworkIntentInput } from '../../lib/intent/types';
import { buildModel } from '../../lib/model/model';
import { notRoutableBetweenNodesRule as rule } from '../../lib/rules/not-routable-between-nodes';
import { baseIntent, network, specOf, type Mutate } from '../util/intent';

function findings(mutate: Mutate = () => undefined) {
  const input: NetworkIntentInput = baseIntent();
  mutate(input);
  const intent = networkIntentSchema.parse(input);
  return rule.check(intent, buildModel(intent)).map(({ path, message, fix }) => ({ path, message, fix }));
}

describe('multinic:NotRoutableBetweenNodes', () => {
  test('fires for the seed\'s networks: host-local and whereabouts over the ENI of 2 workers', () => {
    // GIVEN the base intent (ipvlan-conf host-local, whereabouts-eth1-conf whereabouts, both on multus0, 2 workers)
    // WHEN checked THEN both are reported at their IPAM type, with the fix
    expect(findings()).toEqual([
      {
        path: 'spec.networks[0].ipam.type',
        message: 'spec.networks[0].ipam.type: ipvlan network "default/ipvlan-conf" over ENI "multus0" takes host-local addresses, which are not assigned to the ENI; its pods can land on 2 nodes, and the VPC drops traffic between them',
        fix: 'Change ipam to { type: eni-prefix } and give interface "multus0" ipv4PrefixCount (each node then allocates from its own /28 prefixes), or keep the pods on one node. See docs/aws-routing.md.',
      },
      {
        path: 'spec.networks[1].ipam.type',
        message: 'spec.networks[1].ipam.type: ipvlan network "dcjeon/whereabouts-eth1-conf" over ENI "multus0" takes whereabouts addresses, which are not assigned to the ENI; its pods can land on 2 nodes, and the VPC drops traffic between them',
        fix: 'Change ipam to { type: eni-prefix } and give interface "multus0" ipv4PrefixCount (each node then allocates from its own /28 prefixes), or keep the pods on one node. See docs/aws-routing.md.',
      },
    ]);
  });

  test.each<[string, Mutate, string[]]>([
    ['eni-prefix IPAM', (i) => { specOf(i).nodeGroups[1].interfaces![0].ipv4PrefixCount = 2; network(i, 0).ipam = { type: 'eni-prefix' }; network(i, 1).ipam = { type: 'eni-prefix' }; }, []],
    ['one worker', (i) => { specOf(i).nodeGroups[1].count = 1; }, []],
    ['a bridge network (no ENI)', (i) => { const { name, namespace } = network(i, 1); specOf(i).networks[1] = { name, namespace, type: 'bridge', bridge: 'cni0', ipam: { type: 'whereabouts', range: '10.4.128.0/24' } }; }, ['spec.networks[0].ipam.type']],
  ])('silent for %s', (_what, mutate, paths) => {
    expect(findings(mutate).map((f) => f.path)).toEqual(paths);
  });
});
