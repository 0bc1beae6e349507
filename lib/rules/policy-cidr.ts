import { Ipv4Cidr } from '../net/ipv4';
import { finding, type Finding, type Rule } from './types';

export const policyCidrRule: Rule = {
  id: 'multinic:PolicyCidr',
  level: 'error',
  summary: 'A CIDR peer of an ingress rule does not parse, or an except block lies outside its cidr.',
  why: 'The security group and the MultiNetworkPolicy ipBlock need exact IPv4 blocks; an except outside the cidr excludes nothing, which is never what was meant.',
  fix: 'Write the cidr as network/prefix with host bits zero (10.0.0.0/8), and each except as a block inside it.',
  check(_intent, model) {
    const findings: Finding[] = [];
    for (const n of model.networks) {
      n.network.ingress.forEach((rule, i) => rule.from.forEach((peer, j) => {
        if (peer.cidr === undefined) return;
        const path = ['spec', 'networks', n.index, 'ingress', i, 'from', j];
        const c = Ipv4Cidr.tryParse(peer.cidr);
        if (typeof c === 'string') {
          findings.push(finding(this, [...path, 'cidr'], c));
          return;
        }
        (peer.except ?? []).forEach((e, k) => {
          const x = Ipv4Cidr.tryParse(e);
          if (typeof x === 'string') findings.push(finding(this, [...path, 'except', k], x));
          else if (!c.containsCidr(x)) findings.push(finding(this, [...path, 'except', k], `except ${x} is not inside cidr ${c}`));
        });
      }));
    }
    return findings;
  },
};
