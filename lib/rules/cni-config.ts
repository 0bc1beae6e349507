import { finding, type Finding, type Rule } from './types';

export const cniConfigRule: Rule = {
  id: 'multinic:CniConfig',
  level: 'error',
  summary: 'The CNI plugin builders refuse a network\'s config (a value the real plugins would reject).',
  why: 'The NetworkAttachmentDefinition (or the per-node config) cannot be rendered with it; on a node, the plugin would fail every pod that attaches.',
  onlyAlone: true,
  fix: 'Correct the value the message names (see docs/intent.md for the network type and its IPAM).',
  check(_intent, model) {
    const findings: Finding[] = [];
    for (const n of model.networks) {
      if (n.cniError !== undefined) findings.push(finding(this, ['spec', 'networks', n.index], n.cniError));
    }
    return findings;
  },
};
