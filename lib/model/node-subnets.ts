/**
 * The VPC layout multinic derives on its own (the single source for stacks, plan and rules): the VPC is cut into 16
 * blocks (`vpc.prefix + NODE_SUBNET_EXTRA_BITS`); blocks 0..5 are node (primary ENI) subnets, one per zone in
 * `vpc.zones` order; block 7 is the public subnet of the NAT gateway. The second half of the VPC is left for
 * `spec.subnets` (secondary ENIs), so node addresses and Multus addresses never mix.
 */
import type { Vpc } from '../intent/types';
import { Ipv4Cidr } from '../net/ipv4';

/** Bits added to the VPC prefix for node subnets: a /16 VPC gets /20 node subnets. */
export const NODE_SUBNET_EXTRA_BITS = 4;
/** VPC prefixes multinic can lay out: AWS allows /16 to /28; node subnets must stay at /28 or larger. */
export const VPC_PREFIX_RANGE = { min: 16, max: 28 - NODE_SUBNET_EXTRA_BITS } as const;
/** Subnet prefixes AWS accepts (a VPC subnet is a /16 to a /28). */
export const AWS_SUBNET_PREFIX_RANGE = { min: 16, max: 28 } as const;

/** Whether AWS accepts a subnet of this prefix length. */
export function awsSubnetPrefix(prefix: number): boolean {
  return prefix >= AWS_SUBNET_PREFIX_RANGE.min && prefix <= AWS_SUBNET_PREFIX_RANGE.max;
}

/** Block index of the public (NAT) subnet. */
const PUBLIC_BLOCK = 7;

export interface NodeSubnet {
  readonly zone: string;
  readonly cidr: Ipv4Cidr;
}

export interface VpcLayout {
  readonly nodeSubnets: readonly NodeSubnet[];
  /** Public subnet for the NAT gateway, in the first zone. */
  readonly publicSubnet: NodeSubnet;
}

/** Whether `vpc.cidr` parses and its prefix is one multinic can lay out. */
export function layoutable(vpc: Vpc): Ipv4Cidr | undefined {
  const c = Ipv4Cidr.tryParse(vpc.cidr);
  return typeof c !== 'string' && c.prefix >= VPC_PREFIX_RANGE.min && c.prefix <= VPC_PREFIX_RANGE.max ? c : undefined;
}

/** The half of the VPC that multinic's own subnets are carved from. */
export function nodeHalf(vpc: Vpc): Ipv4Cidr {
  const v = Ipv4Cidr.parse(vpc.cidr);
  return Ipv4Cidr.containing(v.network, Math.min(v.prefix + 1, 32));
}

/** Node and public subnets. Call only with a layoutable VPC (see `layoutable`; `multinic:VpcSize` reports the rest). */
export function vpcLayout(vpc: Vpc): VpcLayout {
  const v = Ipv4Cidr.parse(vpc.cidr);
  const prefix = v.prefix + NODE_SUBNET_EXTRA_BITS;
  const block = (i: number) => Ipv4Cidr.containing(v.network.plus(BigInt(i) << BigInt(32 - prefix)), prefix);
  return {
    nodeSubnets: vpc.zones.map((zone, i) => ({ zone, cidr: block(i) })),
    publicSubnet: { zone: vpc.zones[0], cidr: block(PUBLIC_BLOCK) },
  };
}

/** One node subnet per zone, in `vpc.zones` order. */
export function nodeSubnets(vpc: Vpc): NodeSubnet[] {
  return [...vpcLayout(vpc).nodeSubnets];
}
