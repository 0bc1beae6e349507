import { finding, type Finding, type Rule } from './types';

export const policyAllowsNothingRule: Rule = {
  id: 'multinic:PolicyAllowsNothing',
  level: 'warning',
  summary: 'An ingress rule of a network lists no port and no ICMP: it admits nothing.',
  why: 'Secondary networks are closed by default; a rule without ports or icmp opens nothing, so the peers it names still cannot connect. Usually a forgotten ports list.',
  fix: 'Add the ports the peers connect to (ports: [{ port: 80 }]), icmp: true for ping, or remove the rule.',
  check(_intent, model) {
    const findings: Finding[] = [];
    for (const n of model.networks) {
      n.network.ingress.forEach((rule, i) => {
        if (rule.ports.length === 0 && !rule.icmp) {
          findings.push(finding(this, ['spec', 'networks', n.index, 'ingress', i], `rule of network "${n.key}" has no ports and no icmp: it admits nothing`));
        }
      });
    }
    return findings;
  },
};
