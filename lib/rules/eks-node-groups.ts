import { finding, type Finding, type Rule } from './types';

export const eksNodeGroupsRule: Rule = {
  id: 'multinic:EksNodeGroups',
  level: 'error',
  summary: 'With flavour eks, a node group has role control-plane, or no node group has role worker.',
  why: 'EKS runs the control plane itself: a control-plane group would launch instances that never join. Pods need at least one managed node group.',
  fix: 'Remove the control-plane group (EKS provides the API server) and keep at least one group with role: worker.',
  flavours: ['eks'],
  check(intent) {
    const groups = intent.spec.nodeGroups;
    const findings: Finding[] = groups.flatMap((g, i) => (g.role === 'control-plane'
      ? [finding(this, ['spec', 'nodeGroups', i, 'role'], `node group ${g.name} is a control plane, but with flavour eks EKS runs the control plane`,
        `Remove node group ${g.name}, or set spec.cluster.flavour: kubeadm.`)]
      : []));
    if (!groups.some((g) => g.role === 'worker')) findings.push(finding(this, ['spec', 'nodeGroups'], 'no node group has role worker', 'Add a node group with role: worker.'));
    return findings;
  },
};
