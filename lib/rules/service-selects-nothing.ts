import { finding, type Finding, type Rule } from './types';

export const serviceSelectsNothingRule: Rule = {
  id: 'multinic:ServiceSelectsNothing',
  level: 'warning',
  summary: 'A Service selector matches no workload of its namespace.',
  why: 'The Service has no endpoints: connections to it are refused.',
  fix: 'Make the selector match the labels of a workload in the same namespace.',
  check(intent) {
    const findings: Finding[] = [];
    intent.spec.services.forEach((s, i) => {
      const match = intent.spec.workloads.some((w) => w.namespace === s.namespace
        && Object.entries(s.selector).every(([k, v]) => w.labels[k] === v));
      if (!match) findings.push(finding(this, ['spec', 'services', i, 'selector'], `selector ${Object.entries(s.selector).map(([k, v]) => `${k}=${v}`).join(',')} matches no workload in namespace "${s.namespace}"`));
    });
    return findings;
  },
};
