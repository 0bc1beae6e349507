import { NODE_SUBNET_EXTRA_BITS, VPC_PREFIX_RANGE } from '../model/node-subnets';
import { Ipv4Cidr } from '../net/ipv4';
import { finding, type Finding, type Rule } from './types';

export const vpcSizeRule: Rule = {
  id: 'multinic:VpcSize',
  level: 'error',
  summary: `The VPC CIDR is not between /${VPC_PREFIX_RANGE.min} and /${VPC_PREFIX_RANGE.max}.`,
  why: `AWS accepts VPCs from /16 to /28, and multinic cuts 16 blocks of /(prefix + ${NODE_SUBNET_EXTRA_BITS}) out of it for node and NAT subnets, which AWS needs to be /28 or larger.`,
  fix: `Use a VPC CIDR from /${VPC_PREFIX_RANGE.min} to /${VPC_PREFIX_RANGE.max}, e.g. 10.0.0.0/16.`,
  check(intent) {
    const c = Ipv4Cidr.tryParse(intent.spec.vpc.cidr);
    if (typeof c === 'string' || (c.prefix >= VPC_PREFIX_RANGE.min && c.prefix <= VPC_PREFIX_RANGE.max)) return [];
    const findings: Finding[] = [finding(this, ['spec', 'vpc', 'cidr'], `${c} is a /${c.prefix}; multinic lays out VPCs from /${VPC_PREFIX_RANGE.min} to /${VPC_PREFIX_RANGE.max}`)];
    return findings;
  },
};
