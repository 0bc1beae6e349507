import { subnetPlacementRule as rule } from '../../lib/rules/subnet-placement';
import { findingsFor, type Mutate, specOf } from '../util/intent';

// Base intent: VPC 10.0.0.0/16; node subnets are carved from 10.0.0.0/17, secondary subnets go in 10.0.128.0/17.
const subnet = (fields: { cidr?: string; podCidrReservation?: string }): Mutate => (i) => { Object.assign(specOf(i).subnets[0], fields); };

describe('multinic:SubnetOutsideVpc', () => {
  test.each<[string, Mutate, string, string, string]>([
    ['a subnet outside the VPC', subnet({ cidr: '10.1.128.0/24' }), 'spec.subnets[0].cidr',
      '10.1.128.0/24 is outside the VPC 10.0.0.0/16', 'Choose a block inside 10.0.128.0/17 (the half of the VPC kept for secondary subnets).'],
    ['a subnet straddling the VPC end', subnet({ cidr: '10.0.0.0/15' }), 'spec.subnets[0].cidr',
      '10.0.0.0/15 is outside the VPC 10.0.0.0/16', 'Choose a block inside 10.0.128.0/17 (the half of the VPC kept for secondary subnets).'],
    ['a subnet at the top of the node half', subnet({ cidr: '10.0.127.0/24' }), 'spec.subnets[0].cidr',
      '10.0.127.0/24 overlaps 10.0.0.0/17, the half of the VPC that node subnets are carved from', 'Choose a block inside 10.0.128.0/17.'],
    ['a subnet spanning both halves', subnet({ cidr: '10.0.0.0/16' }), 'spec.subnets[0].cidr',
      '10.0.0.0/16 overlaps 10.0.0.0/17, the half of the VPC that node subnets are carved from', 'Choose a block inside 10.0.128.0/17.'],
    ['a reservation outside its subnet', subnet({ podCidrReservation: '10.0.129.0/28' }), 'spec.subnets[0].podCidrReservation',
      '10.0.129.0/28 is outside its subnet 10.0.128.0/24', 'Choose a block inside 10.0.128.0/24.'],
    ['a reservation larger than its subnet', subnet({ podCidrReservation: '10.0.128.0/23' }), 'spec.subnets[0].podCidrReservation',
      '10.0.128.0/23 is outside its subnet 10.0.128.0/24', 'Choose a block inside 10.0.128.0/24.'],
  ])('fires for %s', (_what, mutate, path, message, fix) => {
    // WHEN the intent is validated
    const found = findingsFor(mutate, rule.id);
    // THEN the block is reported with where it must go
    expect(found.map((f) => [f.path, f.message, f.fix])).toEqual([[path, `${path}: ${message}`, fix]]);
  });

  test.each<[string, Mutate]>([
    ['the subnet is the whole second half', subnet({ cidr: '10.0.128.0/17' })],
    ['the subnet is the last /24 of the VPC', subnet({ cidr: '10.0.255.0/24' })],
    ['the reservation is the whole subnet', subnet({ podCidrReservation: '10.0.128.0/24' })],
    ['the reservation is the last /28 of the subnet', subnet({ podCidrReservation: '10.0.128.240/28' })],
    ['the VPC is a /24 and the subnet its upper /25', (i) => { i.spec.vpc.cidr = '10.0.0.0/24'; specOf(i).subnets[0].cidr = '10.0.0.128/25'; }],
  ])('does not fire when %s', (_what, mutate) => {
    // THEN nothing is reported
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
