/**
 * Pure planning of the AWS layout from the resolved model: node subnet CIDRs and where each node group runs. No CDK
 * here, and no checks: the rules (multinic:VpcSize, SubnetOutsideVpc, UnknownSubnet, UnknownZone,
 * InterfacesSpanZones) reject every intent this cannot plan before a stack is built.
 */
import type { NodeGroup, Subnet } from '../../lib/intent/types';
import type { IntentModel } from '../../lib/model/model';
import type { Ipv4Cidr } from '../../lib/net/ipv4';

export { pascal } from '../../lib/model/construct-id';

/** The subnets multinic adds on its own: one node (primary ENI) subnet per zone and one public subnet for the NAT. */
export interface NodeSubnetPlan {
  /** Zone letter to node subnet CIDR, in `vpc.zones` order. */
  readonly nodeSubnets: ReadonlyArray<{ readonly zone: string; readonly cidr: string }>;
  /** Public subnet for the NAT gateway, in the first zone. */
  readonly publicSubnet: { readonly zone: string; readonly cidr: string };
}

/** The node and NAT subnets of the model's VPC layout (`lib/model/node-subnets.ts`), as CIDR strings. */
export function planNodeSubnets(model: IntentModel): NodeSubnetPlan {
  const layout = model.vpcLayout;
  if (!layout) throw new Error(`internal: spec.vpc.cidr ${model.intent.spec.vpc.cidr} cannot be laid out; validate the intent first (multinic:VpcSize)`);
  return {
    nodeSubnets: layout.nodeSubnets.map((n) => ({ zone: n.zone, cidr: n.cidr.toString() })),
    publicSubnet: { zone: layout.publicSubnet.zone, cidr: layout.publicSubnet.cidr.toString() },
  };
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
 * group is pinned to that zone; a group without secondary ENIs spans every zone of the VPC. Read from the model.
 */
export function placeGroup(model: IntentModel, group: NodeGroup): GroupPlacement {
  const resolved = model.nodeGroups.find((g) => g.group === group);
  if (!resolved) throw new Error(`internal: node group ${group.name} is not in the model`);
  const interfaceSubnets = resolved.interfaces.map((r) => {
    if (!r.subnet) throw new Error(`internal: subnet ${r.interface.subnet} is not resolved; validate the intent first (multinic:UnknownSubnet)`);
    return r.subnet;
  });
  return { zones: resolved.zones, interfaceSubnets };
}

/**
 * The `prefix` reservations of a secondary subnet, as the model planned them (`lib/model/prefix-reservations.ts`;
 * multinic:PrefixReservation rejects a subnet that cannot hold them).
 */
export function prefixReservations(model: IntentModel, subnet: Subnet): readonly Ipv4Cidr[] {
  const plan = model.prefixReservations.get(subnet.name);
  if (plan && plan.missing > 0) throw new Error(`internal: subnet ${subnet.name} cannot hold its prefix reservations; validate the intent first (multinic:PrefixReservation)`);
  return plan?.cidrs ?? [];
}
