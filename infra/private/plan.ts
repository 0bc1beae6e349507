/**
 * Pure planning of the AWS layout from the intent: node subnet CIDRs and where each node group runs. No CDK here,
 * so the rules are tested without a Stack.
 */
import { MultinicError } from '../../lib/errors';
import type { NetworkIntent, NodeGroup, Subnet } from '../../lib/intent/types';
import { Ipv4Cidr } from '../../lib/net/ipv4';
import { layoutable, NODE_SUBNET_EXTRA_BITS, VPC_PREFIX_RANGE, vpcLayout } from '../../lib/model/node-subnets';

/** The subnets multinic adds on its own: one node (primary ENI) subnet per zone and one public subnet for the NAT. */
export interface NodeSubnetPlan {
  /** Zone letter to node subnet CIDR, in `vpc.zones` order. */
  readonly nodeSubnets: ReadonlyArray<{ readonly zone: string; readonly cidr: string }>;
  /** Public subnet for the NAT gateway, in the first zone. */
  readonly publicSubnet: { readonly zone: string; readonly cidr: string };
}

/**
 * The node and NAT subnets of `lib/model/node-subnets.ts` (the layout the plan and the rules use too), checked against
 * the intent's secondary subnets.
 */
export function planNodeSubnets(intent: NetworkIntent): NodeSubnetPlan {
  const vpc = layoutable(intent.spec.vpc);
  if (!vpc) {
    throw new MultinicError('VPC_SIZE', `spec.vpc.cidr: ${intent.spec.vpc.cidr} is outside what multinic can lay out; use a prefix between /${VPC_PREFIX_RANGE.min} and /${VPC_PREFIX_RANGE.max} (AWS allows /16 to /28, and node subnets are /${NODE_SUBNET_EXTRA_BITS} longer).`);
  }
  const layout = vpcLayout(intent.spec.vpc);
  const nodeSubnets = layout.nodeSubnets.map((n) => ({ zone: n.zone, cidr: n.cidr.toString() }));
  const publicSubnet = { zone: layout.publicSubnet.zone, cidr: layout.publicSubnet.cidr.toString() };
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

/** Rolling updates launch one node per group before an old one goes: the surge a reservation must hold too. */
const ROLLING_SURGE = 1;

/** /28 prefixes the model delegates from `subnet`: per interface in it, (nodes + surge) x `ipv4PrefixCount`. */
export function prefixesNeeded(intent: NetworkIntent, subnetName: string): number {
  let n = 0;
  for (const g of intent.spec.nodeGroups) {
    for (const itf of g.interfaces) {
      if (itf.subnet !== subnetName || itf.ipv4PrefixCount === 0) continue;
      n += (g.count + (g.role === 'worker' ? ROLLING_SURGE : 0)) * itf.ipv4PrefixCount;
    }
  }
  return n;
}

/**
 * The `prefix` reservations of a secondary subnet: aligned blocks holding `prefixesNeeded` /28s, taken from the top
 * of the subnet down, largest first, never in the subnet's first or last /28 (the addresses AWS reserves) nor in
 * its explicit pod reservation. Automatic prefix delegation draws from them, so a subnet fragmented by ENI
 * addresses cannot fail a launch with InsufficientCidrBlocks.
 * @throws MultinicError PREFIX_RESERVATION_TOO_LARGE when the subnet cannot hold them
 */
export function prefixReservations(intent: NetworkIntent, subnet: Subnet, index: number): Ipv4Cidr[] {
  const needed = prefixesNeeded(intent, subnet.name);
  if (needed === 0) return [];
  const sub = Ipv4Cidr.parse(subnet.cidr);
  const slots = sub.prefix <= 28 ? 2 ** (28 - sub.prefix) : 0;
  const explicit = subnet.podCidrReservation === undefined ? undefined : Ipv4Cidr.parse(subnet.podCidrReservation);
  const base = sub.network.value;
  const slotCidr = (i: number, size: number) => Ipv4Cidr.containing(sub.network.plus(i * 16), 28 - Math.log2(size));
  const free = Array.from({ length: slots }, (_, i) => {
    if (i === 0 || i === slots - 1) return false;
    if (!explicit) return true;
    const start = base + BigInt(i * 16);
    return start + 15n < explicit.network.value || start > explicit.network.value + explicit.size - 1n;
  });
  const out: Ipv4Cidr[] = [];
  let remaining = needed;
  for (let size = 2 ** Math.floor(Math.log2(Math.max(slots, 1))); size >= 1 && remaining > 0; size /= 2) {
    for (let start = slots - size; start >= 0 && remaining >= size; start -= size) {
      if (!free.slice(start, start + size).every(Boolean)) continue;
      for (let k = start; k < start + size; k++) free[k] = false;
      out.push(slotCidr(start, size));
      remaining -= size;
    }
  }
  if (remaining > 0) {
    throw new MultinicError('PREFIX_RESERVATION_TOO_LARGE', `spec.subnets[${index}] (${subnet.name}): its interfaces delegate ${needed} /28 prefixes (nodes + 1 for rolling updates, times ipv4PrefixCount), but only ${needed - remaining} fit in ${sub} outside its first and last /28${explicit ? ` and podCidrReservation ${explicit}` : ''}; use a larger subnet or fewer prefixes per interface.`);
  }
  return out.sort((a, b) => (a.network.value < b.network.value ? -1 : 1));
}
