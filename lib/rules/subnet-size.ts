import { AWS_SUBNET_PREFIX_RANGE, awsSubnetPrefix } from '../model/node-subnets';
import { Ipv4Cidr } from '../net/ipv4';
import { finding, type Finding, type Rule } from './types';

export const subnetSizeRule: Rule = {
  id: 'multinic:SubnetSize',
  level: 'error',
  summary: `A secondary subnet is not between /${AWS_SUBNET_PREFIX_RANGE.min} and /${AWS_SUBNET_PREFIX_RANGE.max}.`,
  why: 'EC2 creates subnets from /16 to /28 only (and keeps five addresses of each), so the deploy fails half-way.',
  fix: `Use a prefix from /${AWS_SUBNET_PREFIX_RANGE.min} to /${AWS_SUBNET_PREFIX_RANGE.max}, e.g. a /24.`,
  check(intent) {
    const findings: Finding[] = [];
    intent.spec.subnets.forEach((s, i) => {
      const c = Ipv4Cidr.tryParse(s.cidr);
      if (typeof c !== 'string' && !awsSubnetPrefix(c.prefix)) {
        findings.push(finding(this, ['spec', 'subnets', i, 'cidr'], `${c} is a /${c.prefix}; AWS subnets are /${AWS_SUBNET_PREFIX_RANGE.min} to /${AWS_SUBNET_PREFIX_RANGE.max}`));
      }
    });
    return findings;
  },
};
