/**
 * Pure planning of the AWS layout from the intent: node subnet CIDRs and where each node group runs. No CDK here,
 * so the rules are tested without a Stack.
 */
import { MultinicError } from '../../lib/errors';
import type { NetworkIntent, NodeGroup, Subnet } from '../../lib/intent/types';
import { Ipv4Cidr } from '../../lib/net/ipv4';
import { INFRA_DEFAULTS } from '../defaults';

/** The subnets multinic adds on its own: one node (primary ENI) subnet per zone and one public subnet for the NAT. */
export interface NodeSubnetPlan {
  /** Zone letter to node subnet CIDR, in `vpc.zones` order. */
  readonly nodeSubnets: ReadonlyArray<{ readonly zone: string; readonly cidr: string }>;
  /** Public subnet for the NAT gateway, in the first zone. */
  readonly publicSubnet: { readonly zone: string; readonly cidr: string };
}

/**
 * Carves node subnets from the first half of the VPC: the VPC prefix plus `nodeSubnetExtraBits` gives 16 blocks;
 * blocks 0..5 are node subnets (one per zone, at most 6 zones), block 7 is the public subnet. The second half stays
 * free for the intent's secondary subnets.
 */
export function planNodeSubnets(intent: NetworkIntent): NodeSubnetPlan {
  const vpc = Ipv4Cidr.parse(intent.spec.vpc.cidr);
  const prefix = vpc.prefix + INFRA_DEFAULTS.nodeSubnetExtraBits;
  if (vpc.prefix < 16 || prefix > 28) {
    throw new MultinicError('VPC_SIZE', `spec.vpc.cidr: ${vpc} is outside what multinic can lay out; use a prefix between /16 and /24 (AWS allows /16 to /28, and node subnets are /${vpc.prefix}+${INFRA_DEFAULTS.nodeSubnetExtraBits}).`);
  }
  const block = (i: number) => Ipv4Cidr.parse(`${vpc.network.plus(BigInt(i) << BigInt(32 - prefix))}/${prefix}`);
  const zones = intent.spec.vpc.zones;
  const nodeSubnets = zones.map((zone, i) => ({ zone, cidr: block(i).toString() }));
  const publicSubnet = { zone: zones[0], cidr: block(7).toString() };
  const reserved = [...nodeSubnets, publicSubnet].map((s) => Ipv4Cidr.parse(s.cidr));
  intent.spec.subnets.forEach((s, i) => {
    const c = Ipv4Cidr.parse(s.cidr);
    const hit = reserved.find((r) => r.overlaps(c));
    if (hit) {
      throw new MultinicError('SUBNET_OVERLAPS_NODE_SUBNET', `spec.subnets[${i}].cidr: ${s.cidr} overlaps ${hit}, which multinic uses for node or NAT subnets (the first half of the VPC, ${vpc}); move the subnet into the second half, e.g. from ${vpc.network.plus(vpc.size / 2n)}.`);
    }
  });
  return { nodeSubnets, publicSubnet };
}

/** Where a node group runs. */
export interface GroupPlacement {
  /** Zone letters of the group's Auto Scaling group(s): one zone when the group has secondary ENIs. */
  readonly zones: readonly string[];
  /** The secondary subnets of the group's interfaces, in device-index order (index 1 first). */
  readonly interfaceSubnets: readonly Subnet[];
}

/**
 * A node with secondary ENIs lives in the zone of their subnets (an ENI and its instance share an AZ), so such a
 * group is pinned to that zone; a group without secondary ENIs spans every zone of the VPC.
 */
export function placeGroup(intent: NetworkIntent, group: NodeGroup): GroupPlacement {
  const gi = intent.spec.nodeGroups.indexOf(group);
  const where = `spec.nodeGroups[${gi}] (${group.name})`;
  const interfaceSubnets = group.interfaces.map((itf, ii) => {
    const s = intent.spec.subnets.find((x) => x.name === itf.subnet);
    if (!s) {
      const known = intent.spec.subnets.map((x) => x.name).join(', ') || '(none)';
      throw new MultinicError('UNKNOWN_SUBNET', `${where}.interfaces[${ii}].subnet: no subnet named "${itf.subnet}"; known subnets: ${known}.`);
    }
    if (!intent.spec.vpc.zones.includes(s.zone)) {
      throw new MultinicError('UNKNOWN_ZONE', `spec.subnets (${s.name}).zone: "${s.zone}" is not one of spec.vpc.zones (${intent.spec.vpc.zones.join(', ')}); add it there or move the subnet.`);
    }
    return s;
  });
  const zones = [...new Set(interfaceSubnets.map((s) => s.zone))];
  if (zones.length > 1) {
    throw new MultinicError('INTERFACES_SPAN_ZONES', `${where}.interfaces: the subnets are in zones ${zones.join(' and ')}, but all ENIs of an instance must be in one availability zone; split the group per zone.`);
  }
  return { zones: zones.length === 1 ? zones : [...intent.spec.vpc.zones], interfaceSubnets };
}

/** Checks a subnet's pod CIDR reservation lies inside it; returns the parsed reservation. */
export function checkReservation(subnet: Subnet, index: number): Ipv4Cidr | undefined {
  if (subnet.podCidrReservation === undefined) return undefined;
  const sub = Ipv4Cidr.parse(subnet.cidr);
  const res = Ipv4Cidr.parse(subnet.podCidrReservation);
  if (!sub.containsCidr(res)) {
    throw new MultinicError('RESERVATION_OUTSIDE_SUBNET', `spec.subnets[${index}].podCidrReservation: ${res} is not inside the subnet ${sub}; pick a block of ${sub}.`);
  }
  return res;
}

/** PascalCase construct-id part from an intent name (`multus-a` -> `MultusA`). */
export function pascal(name: string): string {
  return name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/** Parses the Kubernetes minor from `1.33.5`. */
export function kubernetesMinor(version: string): number {
  return Number(version.split('.')[1]);
}
