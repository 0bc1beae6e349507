import { selectorText } from '../policy/describe';
import { attachedWorkloads, peerNamespace, peerWorkloads, targetWorkloads } from '../policy/peers';
import { finding, type Finding, type Rule } from './types';

export const policyPeerSelectsNothingRule: Rule = {
  id: 'multinic:PolicyPeerSelectsNothing',
  level: 'warning',
  summary: 'A rule\'s pods, or a pod peer, selects no workload attached to the network.',
  why: 'A rule admits a peer\'s address on the network and protects a pod\'s interface on it: labels that match no workload on that network (a typo, the wrong namespace, a workload not attached) admit or protect nobody, so the connection the rule was written for stays closed.',
  fix: 'Match the labels and namespace of a workload that lists this network in its networks, or attach the workload to the network.',
  check(_intent, model) {
    const findings: Finding[] = [];
    for (const n of model.networks) {
      const attached = attachedWorkloads(model, n);
      const on = attached.length ? attached.map((w) => `${w.workload.namespace}/${w.workload.name}`).join(', ') : 'none';
      n.network.ingress.forEach((rule, i) => {
        const path = ['spec', 'networks', n.index, 'ingress', i];
        if (rule.pods !== undefined && targetWorkloads(model, n, rule).length === 0) {
          findings.push(finding(this, [...path, 'pods'], `pods ${selectorText(rule.pods)} matches no workload attached to network "${n.key}" (attached: ${on})`));
        }
        rule.from.forEach((peer, j) => {
          if (peer.pods === undefined || peerWorkloads(model, n, peer).length > 0) return;
          findings.push(finding(this, [...path, 'from', j],
            `peer pods ${selectorText(peer.pods)} in namespace "${peerNamespace(peer, n)}" matches no workload attached to network "${n.key}" (attached: ${on})`));
        });
      });
    }
    return findings;
  },
};
