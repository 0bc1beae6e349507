import { finding, type Finding, type Rule } from './types';

export const policyPortRangeRule: Rule = {
  id: 'multinic:PolicyPortRange',
  level: 'error',
  summary: 'A port range of an ingress rule ends before it starts, or has an endPort without a port.',
  why: 'MultiNetworkPolicy and security groups need a first and a last port, first <= last.',
  fix: 'Give port as the first and endPort as the last port of the range, or drop endPort.',
  check(_intent, model) {
    const findings: Finding[] = [];
    for (const n of model.networks) {
      n.network.ingress.forEach((rule, i) => rule.ports.forEach((p, j) => {
        const path = ['spec', 'networks', n.index, 'ingress', i, 'ports', j];
        if (p.endPort === undefined) return;
        if (p.port === undefined) findings.push(finding(this, [...path, 'endPort'], `endPort ${p.endPort} without port`));
        else if (p.endPort < p.port) findings.push(finding(this, [...path, 'endPort'], `endPort ${p.endPort} is below port ${p.port}`));
      }));
    }
    return findings;
  },
};
