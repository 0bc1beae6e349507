import { perNodeNetworkNameRule as rule } from '../../lib/rules/per-node-network-name';
import { findingsFor, network, pathsAndMessages, specOf, type Mutate } from '../util/intent';

/** Both networks of the base intent on multus0 with eni-prefix IPAM (one /28 each), multus0 delegating two. */
const bothPerNode: Mutate = (i) => {
  network(i, 0).ipam = { type: 'eni-prefix', prefixes: 1 };
  network(i, 1).ipam = { type: 'eni-prefix', prefixes: 1 };
  specOf(i).nodeGroups[1].interfaces![0].ipv4PrefixCount = 2;
};

/** `spec.networks[1]` renamed to `name` in namespace `namespace`. */
const rename = (n: number, namespace: string, name: string): Mutate => (i) => {
  network(i, n).namespace = namespace;
  network(i, n).name = name;
};

describe('multinic:PerNodeNetworkNameClash', () => {
  test('fires for two eni-prefix networks of one name in two namespaces on one node group (issue 19, item 7)', () => {
    // GIVEN default/ipvlan-conf and dcjeon/ipvlan-conf, both without spec.config, both on the workers' multus0
    const found = findingsFor((i) => { bothPerNode(i); rename(1, 'dcjeon', 'ipvlan-conf')(i); }, rule.id);
    // THEN the second is reported at its name, naming the first, the node group and why Multus confuses them
    expect(pathsAndMessages(found)).toEqual([{
      path: 'spec.networks[1].name',
      message: 'spec.networks[1].name: network "dcjeon/ipvlan-conf" has the same name as "default/ipvlan-conf" (spec.networks[0]); both are eni-prefix networks, whose NetworkAttachmentDefinitions have no spec.config, so on nodes of workers Multus finds the configuration by the name "ipvlan-conf" alone in /etc/cni/multus/net.d and cannot tell them apart',
    }]);
    expect(found[0].level).toBe('error');
    expect(found[0].fix).toBe('Rename "dcjeon/ipvlan-conf" or "default/ipvlan-conf": no two eni-prefix networks on one node may share a name, whatever their namespaces.');
  });

  test('fires when two names differ but their per-node files coincide (<namespace>-<name>.conf)', () => {
    // GIVEN team-a/pods and team/a-pods: both write team-a-pods.conf
    const found = findingsFor((i) => { bothPerNode(i); rename(0, 'team-a', 'pods')(i); rename(1, 'team', 'a-pods')(i); }, rule.id);
    expect(pathsAndMessages(found)).toEqual([{
      path: 'spec.networks[1].name',
      message: 'spec.networks[1].name: network "team/a-pods" writes the per-node file "team-a-pods.conf", as "team-a/pods" (spec.networks[0]) does; on nodes of workers one file overwrites the other',
    }]);
  });

  test.each<[string, Mutate]>([
    // Multus reads spec.config of each NAD: namespace/name is unambiguous (the seed's networks, item 7's working pair)
    ['one name in two namespaces, both with spec.config (whereabouts, host-local)', rename(1, 'dcjeon', 'ipvlan-conf')],
    ['one name in two namespaces, only one of them eni-prefix', (i) => {
      network(i, 0).ipam = { type: 'eni-prefix', prefixes: 1 };
      specOf(i).nodeGroups[1].interfaces![0].ipv4PrefixCount = 1;
      rename(1, 'dcjeon', 'ipvlan-conf')(i);
    }],
    ['two eni-prefix networks with different names', bothPerNode],
    ['one name, both eni-prefix, on interfaces no node group carries together', (i) => {
      bothPerNode(i);
      rename(1, 'dcjeon', 'ipvlan-conf')(i);
      specOf(i).nodeGroups[1].interfaces![0].ipv4PrefixCount = 1;
      specOf(i).nodeGroups.push({
        name: 'workers-b', role: 'worker', instanceType: 'm6i.large', count: 1, labels: {},
        interfaces: [{ name: 'multus1', subnet: 'multus-a', ipv4PrefixCount: 1, sourceDestCheck: true }],
      });
      const n1 = network(i, 1);
      if (n1.type === 'ipvlan') n1.master = 'multus1';
    }],
  ])('does not fire for %s', (_what, mutate) => {
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
