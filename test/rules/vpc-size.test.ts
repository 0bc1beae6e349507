import { vpcSizeRule } from '../../lib/rules/vpc-size';
import { findingsFor } from '../util/intent';

describe('multinic:VpcSize', () => {
  test.each([
    ['10.0.0.0/8', 'spec.vpc.cidr: 10.0.0.0/8 is a /8; multinic lays out VPCs from /16 to /24'],
    ['10.0.0.0/25', 'spec.vpc.cidr: 10.0.0.0/25 is a /25; multinic lays out VPCs from /16 to /24'],
    ['255.255.255.255/32', 'spec.vpc.cidr: 255.255.255.255/32 is a /32; multinic lays out VPCs from /16 to /24'],
  ])('fires for %s', (cidr, message) => {
    // WHEN
    const found = findingsFor((i) => { i.spec.vpc.cidr = cidr; i.spec.subnets = []; }, vpcSizeRule.id);
    // THEN
    expect(found.map((f) => f.message)).toEqual([message]);
  });

  test.each(['10.0.0.0/16', '10.0.0.0/24'])('does not fire for %s', (cidr) => {
    expect(findingsFor((i) => { i.spec.vpc.cidr = cidr; i.spec.subnets = []; }, vpcSizeRule.id)).toEqual([]);
  });
});
