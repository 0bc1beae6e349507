import { portText } from '../policy/describe';
import { targetWorkloads } from '../policy/peers';
import { finding, type Finding, type Rule } from './types';

export const policyPortNotServedRule: Rule = {
  id: 'multinic:PolicyPortNotServed',
  level: 'warning',
  summary: 'An ingress rule opens a port that no workload it protects on that network lists in container.ports.',
  why: 'An open port nobody serves is either a typo (the real port stays closed) or an opening for a process that was never meant to listen: both are worth a look.',
  fix: 'Correct the port, or add it to the container.ports of the workload that serves it.',
  check(_intent, model) {
    const findings: Finding[] = [];
    for (const n of model.networks) {
      n.network.ingress.forEach((rule, i) => {
        const targets = targetWorkloads(model, n, rule);
        if (targets.length === 0) return; // multinic:PolicyPeerSelectsNothing
        rule.ports.forEach((p, j) => {
          if (p.port === undefined) return;
          const last = p.endPort ?? p.port;
          const served = targets.some((w) => w.workload.container.ports.some((c) => c >= (p.port as number) && c <= last));
          if (!served) {
            findings.push(finding(this, ['spec', 'networks', n.index, 'ingress', i, 'ports', j],
              `${portText(p)} on network "${n.key}" is served by none of ${targets.map((w) => `${w.workload.namespace}/${w.workload.name}`).join(', ')} (their container.ports: ${[...new Set(targets.flatMap((w) => w.workload.container.ports))].join(', ') || 'none'})`));
          }
        });
      });
    }
    return findings;
  },
};
