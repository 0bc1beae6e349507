import { layoutable, nodeHalf } from '../model/node-subnets';
import { Ipv4Cidr } from '../net/ipv4';
import { finding, type Finding, type Rule } from './types';

const parse = (s: string) => { const c = Ipv4Cidr.tryParse(s); return typeof c === 'string' ? undefined : c; };

export const subnetPlacementRule: Rule = {
  id: 'multinic:SubnetOutsideVpc',
  level: 'error',
  summary: 'A secondary subnet lies outside the VPC, or inside the half of the VPC kept for node subnets; or a pod CIDR reservation lies outside its subnet.',
  why: 'EC2 refuses to create the subnet (outside the VPC) or it collides with the node subnets multinic derives from the first half of the VPC.',
  fix: 'Place secondary subnets in the second half of spec.vpc.cidr, and reservations inside their subnet.',
  check(intent) {
    // An unusable VPC size is multinic:VpcSize's finding.
    const vpc = layoutable(intent.spec.vpc);
    if (!vpc) return [];
    const half = nodeHalf(intent.spec.vpc);
    const secondHalf = Ipv4Cidr.containing(half.last.plus(1), half.prefix);
    const findings: Finding[] = [];
    intent.spec.subnets.forEach((s, i) => {
      const c = parse(s.cidr);
      if (!c) return;
      if (!vpc.containsCidr(c)) {
        findings.push(finding(this, ['spec', 'subnets', i, 'cidr'], `${c} is outside the VPC ${vpc}`, `Choose a block inside ${secondHalf} (the half of the VPC kept for secondary subnets).`));
      } else if (c.overlaps(half)) {
        findings.push(finding(this, ['spec', 'subnets', i, 'cidr'], `${c} overlaps ${half}, the half of the VPC that node subnets are carved from`, `Choose a block inside ${secondHalf}.`));
      }
      const r = s.podCidrReservation ? parse(s.podCidrReservation) : undefined;
      if (r && !c.containsCidr(r)) {
        findings.push(finding(this, ['spec', 'subnets', i, 'podCidrReservation'], `${r} is outside its subnet ${c}`, `Choose a block inside ${c}.`));
      }
    });
    return findings;
  },
};
