import { ADDRESSES_PER_PREFIX } from '../plan/capacity';
import { finding, type Finding, type Rule } from './types';

export const prefixPodsPerNodeRule: Rule = {
  id: 'multinic:PrefixPodsPerNode',
  level: 'warning',
  summary: 'A workload on an eni-prefix network has more pods than one node\'s prefixes hold.',
  why: 'Each node hands out only the addresses of its own /28 prefixes (16 per prefix); nothing spreads the pods, so when more of them land on one node than it has addresses, the extra pods fail to start there.',
  fix: 'Raise ipam.prefixes (and the interface\'s ipv4PrefixCount), or spread the pods (topologySpreadConstraints / anti-affinity).',
  check(_intent, model) {
    const findings: Finding[] = [];
    for (const w of model.workloads) {
      for (const a of w.attachments) {
        const ipam = a.network?.network.ipam;
        if (ipam?.type !== 'eni-prefix') continue;
        const perNode = ipam.prefixes * ADDRESSES_PER_PREFIX;
        if (w.podCount <= perNode) continue;
        findings.push(finding(this, ['spec', 'workloads', w.index, 'replicas'],
          `${w.workload.kind} "${w.workload.namespace}/${w.workload.name}" has ${w.podCount} pods on eni-prefix network "${a.network?.key}", whose nodes hold ${perNode} addresses each (${ipam.prefixes} x /28); pods beyond that on one node fail to start`,
          `Set ipam.prefixes of "${a.network?.key}" to ${Math.ceil(w.podCount / ADDRESSES_PER_PREFIX)} or spread the pods over nodes.`));
      }
    }
    return findings;
  },
};
