import { finding, type Finding, type Rule } from './types';

export const hostLocalAcrossNodesRule: Rule = {
  id: 'multinic:HostLocalAcrossNodes',
  level: 'error',
  summary: 'A host-local network is used by pods that can run on several nodes.',
  why: 'host-local keeps its pool in a file on each node: every node hands out the same first address, so two pods on different nodes collide.',
  fix: 'Use whereabouts (cluster-wide pool), or give each node its own range (ENI prefixes, see docs/aws-routing.md).',
  check(intent, model) {
    const findings: Finding[] = [];
    for (const n of model.networks) {
      if (n.network.ipam.type !== 'host-local') continue;
      const users = model.workloads.filter((w) => w.attachments.some((a) => a.network === n));
      const pods = users.reduce((sum, w) => sum + w.podCount, 0);
      // Workload pods never run on the control plane (kubeadm's NoSchedule taint, not tolerated by our workloads).
      const nodes = n.nodeGroups.length > 0
        ? n.nodeGroups.reduce((sum, g) => sum + g.count, 0)
        : intent.spec.nodeGroups.filter((g) => g.role === 'worker').reduce((sum, g) => sum + g.count, 0);
      if (pods > 1 && nodes > 1) {
        findings.push(finding(this, ['spec', 'networks', n.index, 'ipam', 'type'],
          `host-local network "${n.key}" serves ${pods} pods (${users.map((w) => w.workload.name).join(', ')}) that can land on ${nodes} nodes, and every node hands out the same addresses`,
          'Change ipam.type to whereabouts with the same range, or pin the pods to one node.'));
      }
    }
    return findings;
  },
};
