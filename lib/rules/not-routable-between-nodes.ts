import { finding, type Finding, type Rule } from './types';

export const notRoutableBetweenNodesRule: Rule = {
  id: 'multinic:NotRoutableBetweenNodes',
  level: 'warning',
  summary: 'A network on an ENI takes pod addresses that are not assigned to the ENI, and its pods can run on several nodes.',
  why: 'The VPC delivers a packet only to an address assigned to an ENI (a private IP or inside a delegated prefix). host-local, whereabouts, static and dhcp addresses are not, so pods on different nodes cannot reach each other (the seed\'s test 7); pods on one node can.',
  fix: 'Use ipam type eni-prefix (pod addresses from the /28 prefixes delegated to each node\'s ENI; give the interface ipv4PrefixCount), or keep the pods on one node. See docs/aws-routing.md.',
  check(_intent, model) {
    const findings: Finding[] = [];
    for (const n of model.networks) {
      const type = n.network.type;
      if ((type !== 'ipvlan' && type !== 'host-device') || n.nodeGroups.length === 0) continue;
      if (n.network.ipam.type === 'eni-prefix') continue;
      // host-device hands the whole ENI to the pod: DHCP then gets the ENI's own, assigned address.
      if (type === 'host-device' && n.network.ipam.type === 'dhcp') continue;
      const nodes = n.nodeGroups.reduce((sum, g) => sum + g.count, 0);
      if (nodes < 2) continue;
      findings.push(finding(this, ['spec', 'networks', n.index, 'ipam', 'type'],
        `${type} network "${n.key}" over ENI "${n.master}" takes ${n.network.ipam.type} addresses, which are not assigned to the ENI; its pods can land on ${nodes} nodes, and the VPC drops traffic between them`,
        `Change ipam to { type: eni-prefix } and give interface "${n.master}" ipv4PrefixCount (each node then allocates from its own /28 prefixes), or keep the pods on one node. See docs/aws-routing.md.`));
    }
    return findings;
  },
};
