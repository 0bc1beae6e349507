import { didYouMean } from '../text/did-you-mean';
import { finding, type Finding, type Rule } from './types';

export const masterNotOnNodeRule: Rule = {
  id: 'multinic:MasterNotOnAnyNode',
  level: 'error',
  summary: 'A network\'s master (or host-device device) is not an interface that any node group carries.',
  why: 'Pods attached to it fail with "Link not found" on every node (the seed\'s pod scheduled on a node without eth1).',
  fix: 'Use the name of a secondary interface from spec.nodeGroups[].interfaces, or add that interface to a node group.',
  check(_intent, model) {
    const known = [...model.nodeGroupsByInterface.keys()];
    const findings: Finding[] = [];
    for (const n of model.networks) {
      if (!n.master || n.nodeGroups.length > 0) continue;
      const field = n.network.type === 'host-device' ? 'device' : 'master';
      const guess = didYouMean(n.master, known);
      findings.push(finding(this, ['spec', 'networks', n.index, field],
        `no node group carries interface "${n.master}"${guess ? `; did you mean "${guess}"?` : '.'} Node interfaces: ${known.join(', ') || '(none: add interfaces to a node group)'}`,
        guess ? `Change it to "${guess}".` : this.fix));
    }
    return findings;
  },
};
