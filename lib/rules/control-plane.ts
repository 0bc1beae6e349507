import { finding, type Finding, type Rule } from './types';

export const controlPlaneRule: Rule = {
  id: 'multinic:ControlPlane',
  level: 'error',
  summary: 'The intent does not have exactly one control-plane node group of one node, or has no worker group.',
  why: 'multinic bootstraps a single kubeadm control plane; a highly available control plane is not modelled yet.',
  fix: 'Declare one node group with role: control-plane and count: 1, and at least one with role: worker.',
  // Under eks, EKS runs the control plane: multinic:EksNodeGroups checks the node groups instead.
  flavours: ['kubeadm'],
  check(intent) {
    const groups = intent.spec.nodeGroups;
    const cps = groups.map((g, i) => ({ g, i })).filter(({ g }) => g.role === 'control-plane');
    const findings: Finding[] = [];
    if (cps.length === 0) findings.push(finding(this, ['spec', 'nodeGroups'], 'no node group has role control-plane'));
    cps.slice(1).forEach(({ i }) => findings.push(finding(this, ['spec', 'nodeGroups', i, 'role'], `a second control-plane group (spec.nodeGroups[${cps[0].i}] is the first)`)));
    cps.forEach(({ g, i }) => { if (g.count !== 1) findings.push(finding(this, ['spec', 'nodeGroups', i, 'count'], `control plane count ${g.count}; exactly 1 is supported`, 'Set count: 1.')); });
    if (!groups.some((g) => g.role === 'worker')) findings.push(finding(this, ['spec', 'nodeGroups'], 'no node group has role worker', 'Add a node group with role: worker.'));
    return findings;
  },
};
