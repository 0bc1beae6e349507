/**
 * Node (primary ENI) subnets: the first half of the VPC CIDR, split evenly over `vpc.zones` (rounded up to a power of
 * two). The second half is left for `spec.subnets` (secondary ENIs), so node addresses and Multus addresses never mix.
 */
import type { Vpc } from '../intent/types';
import { Ipv4Cidr } from '../net/ipv4';

export interface NodeSubnet {
  readonly zone: string;
  readonly cidr: Ipv4Cidr;
}

/** The half of the VPC that node subnets are carved from. */
export function nodeHalf(vpc: Vpc): Ipv4Cidr {
  const v = Ipv4Cidr.parse(vpc.cidr);
  return Ipv4Cidr.containing(v.network, Math.min(v.prefix + 1, 32));
}

/** One node subnet per zone, in `vpc.zones` order. */
export function nodeSubnets(vpc: Vpc): NodeSubnet[] {
  const half = nodeHalf(vpc);
  const bits = Math.ceil(Math.log2(Math.max(vpc.zones.length, 1)));
  const prefix = half.prefix + bits;
  const step = 1n << BigInt(32 - prefix);
  return vpc.zones.map((zone, i) => ({ zone, cidr: Ipv4Cidr.containing(half.network.plus(step * BigInt(i)), prefix) }));
}
