import { finding, type Finding, type Rule } from './types';

export const prefixCapacityRule: Rule = {
  id: 'multinic:PrefixCapacity',
  level: 'error',
  summary: 'The eni-prefix networks on an interface take more /28 prefixes than the interface delegates (ipv4PrefixCount).',
  why: 'Each node\'s ENI script gives every eni-prefix network its own slice of the ENI\'s delegated prefixes; a network without prefixes gets no per-node config and its pods fail to start on every node.',
  fix: 'Raise ipv4PrefixCount on the interface (within the instance type\'s addresses per ENI), or lower ipam.prefixes of its networks.',
  check(intent) {
    const findings: Finding[] = [];
    intent.spec.nodeGroups.forEach((g, gi) => g.interfaces.forEach((itf, ii) => {
      const users = intent.spec.networks.filter((n) => n.ipam.type === 'eni-prefix'
        && (n.type === 'host-device' ? n.device : 'master' in n ? n.master : undefined) === itf.name);
      const need = users.reduce((sum, n) => sum + (n.ipam.type === 'eni-prefix' ? n.ipam.prefixes : 0), 0);
      if (need <= itf.ipv4PrefixCount) return;
      findings.push(finding(this, ['spec', 'nodeGroups', gi, 'interfaces', ii, 'ipv4PrefixCount'],
        `interface "${itf.name}" of node group "${g.name}" delegates ${itf.ipv4PrefixCount} /28 prefix(es), but its eni-prefix networks take ${need} (${users.map((n) => `${n.namespace}/${n.name}: ${n.ipam.type === 'eni-prefix' ? n.ipam.prefixes : 0}`).join(', ')})`,
        `Set ipv4PrefixCount to ${need} or more, or lower ipam.prefixes.`));
    }));
    return findings;
  },
};
