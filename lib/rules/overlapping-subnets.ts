import { Ipv4Cidr } from '../net/ipv4';
import { finding, type Finding, type Rule } from './types';

export const overlappingSubnetsRule: Rule = {
  id: 'multinic:OverlappingSubnets',
  level: 'error',
  summary: 'Two secondary subnets overlap.',
  why: 'EC2 refuses to create the second subnet, and the deploy fails half-way.',
  fix: 'Give each subnet its own block.',
  check(intent) {
    const parsed = intent.spec.subnets.map((s) => Ipv4Cidr.tryParse(s.cidr));
    const findings: Finding[] = [];
    parsed.forEach((a, i) => {
      for (let j = 0; j < i; j++) {
        const b = parsed[j];
        if (typeof a !== 'string' && typeof b !== 'string' && a.overlaps(b)) {
          findings.push(finding(this, ['spec', 'subnets', i, 'cidr'], `${a} overlaps ${b} of spec.subnets[${j}] ("${intent.spec.subnets[j].name}")`));
        }
      }
    });
    return findings;
  },
};
