import { finding, type Finding, type Rule } from './types';

export const privilegedContainerRule: Rule = {
  id: 'multinic:PrivilegedContainer',
  level: 'warning',
  summary: 'A workload runs a privileged container.',
  why: 'A privileged container owns its node. The seed ran its demo pods privileged; attaching networks needs no privilege in the pod.',
  fix: 'Remove privileged: true, or keep it and accept the risk in review.',
  check(intent) {
    const findings: Finding[] = [];
    intent.spec.workloads.forEach((w, i) => {
      if (w.container.privileged) findings.push(finding(this, ['spec', 'workloads', i, 'container', 'privileged'], `"${w.namespace}/${w.name}" runs privileged`));
    });
    return findings;
  },
};
