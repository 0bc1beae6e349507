import { finding, type Finding, type Rule } from './types';

export const networkNotFoundRule: Rule = {
  id: 'multinic:NetworkNotFound',
  level: 'error',
  summary: 'A workload attaches a network that is not defined in the namespace it resolves to, or the attachment is malformed.',
  why: 'An unqualified name resolves to the pod\'s own namespace, not default: Multus answers NoNetworkFound and the pod never starts (the seed\'s whereabouts-eth1-conf-default failure).',
  fix: 'Define the network in the workload\'s namespace, or write the attachment as namespace/name.',
  check(_intent, model) {
    const findings: Finding[] = [];
    for (const w of model.workloads) {
      for (const a of w.attachments) {
        const path = ['spec', 'workloads', w.index, 'networks', a.position];
        if (typeof a.attachment === 'string') {
          findings.push(finding(this, path, a.attachment, 'Write [namespace/]name[@ifname].'));
          continue;
        }
        if (a.network) continue;
        const { key, name } = a.attachment;
        const elsewhere = model.networks.filter((n) => n.network.name === name).map((n) => n.key);
        const message = `network "${key}" is not defined${a.attachment.namespace === w.workload.namespace && !a.text.includes('/') ? ` (an unqualified name resolves to the workload's namespace "${w.workload.namespace}")` : ''}`
          + (elsewhere.length ? `; it exists as ${elsewhere.map((k) => `"${k}"`).join(', ')}` : '');
        const fix = elsewhere.length
          ? `Write "${elsewhere[0]}" to attach it across namespaces, or define "${name}" in namespace "${a.attachment.namespace}".`
          : `Add a network named "${name}" with namespace "${a.attachment.namespace}" to spec.networks.`;
        findings.push(finding(this, path, message, fix));
      }
    }
    return findings;
  },
};
