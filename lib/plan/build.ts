/**
 * Builds the plan from a parsed intent: the same answers the charts and stacks use (the resolved model, node
 * subnets, interface labels), gathered into one review document. Pure and deterministic; never throws on a
 * structurally valid intent, even one with semantic errors (values that do not parse are left out).
 */
import { clusterNetwork } from '../eks/cluster-network';
import { groupCapacity } from '../eks/node-capacity';
import type { NetworkIntent, NodeGroup } from '../intent/types';
import { interfaceLabel } from '../model/labels';
import { buildModel, type IntentModel } from '../model/model';
import { nodeSubnets } from '../model/node-subnets';
import { peakNodes } from '../model/rolling-surge';
import { ruleText } from '../policy/describe';
import { policyDaemonImage } from '../policy/daemon-image';
import { policedPlugins } from '../policy/multi-network-policies';
import { securityGroupRules } from '../policy/security-group-rules';
import type { Finding } from '../findings';
import { ADDRESSES_PER_PREFIX, cidrOrUndefined, ipamScope, networkCapacity, planPools, subnetUsable } from './capacity';
import type { Plan, PlanEni, PlanNetwork, PlanNodeGroup, PlanSubnet, PlanWarning, PlanWorkload } from './types';

export interface BuildPlanOptions {
  /** The resolved model, when the caller has it. @default - built from the intent */
  readonly model?: IntentModel;
  /** Validation findings; those of level warning are listed in the plan. @default - none */
  readonly findings?: readonly Finding[];
}

/** Plan warning ids (the plan's own capacity checks; validation findings keep their rule ids). */
export const PLAN_WARNINGS = {
  subnetFull: 'multinic:PlanSubnetTooSmall',
  poolFull: 'multinic:PlanPoolTooSmall',
} as const;

/** Name of the node (primary ENI) subnet of a zone. */
export function nodeSubnetName(zone: string): string {
  return `node-${zone}`;
}

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** The zones a group runs in: its secondary subnets' zone (ENIs and instance share one), else every VPC zone. */
function zonesOf(group: NodeGroup, model: IntentModel): string[] {
  const zones = sorted(group.interfaces.flatMap((i) => {
    const s = model.subnetByName.get(i.subnet);
    return s ? [s.zone] : [];
  }));
  return zones.length > 0 ? zones : [...model.intent.spec.vpc.zones];
}

function nodeGroupsOf(model: IntentModel, subnetCidrs: ReadonlyMap<string, string>): PlanNodeGroup[] {
  return model.intent.spec.nodeGroups.map((g): PlanNodeGroup => {
    const zones = zonesOf(g, model);
    const primary: PlanEni = {
      deviceIndex: 0, name: 'primary', subnet: zones.map(nodeSubnetName).join(','),
      ...(zones.length === 1 && subnetCidrs.has(nodeSubnetName(zones[0])) ? { subnetCidr: subnetCidrs.get(nodeSubnetName(zones[0])) } : {}),
      ipv4PrefixCount: 0, addressesPerNode: 1, sourceDestCheck: true,
    };
    const secondary = g.interfaces.map((itf, i): PlanEni => ({
      deviceIndex: i + 1, name: itf.name, nodeLabel: interfaceLabel(itf.name), subnet: itf.subnet,
      ...(subnetCidrs.has(itf.subnet) ? { subnetCidr: subnetCidrs.get(itf.subnet) } : {}),
      ipv4PrefixCount: itf.ipv4PrefixCount, addressesPerNode: 1 + ADDRESSES_PER_PREFIX * itf.ipv4PrefixCount,
      sourceDestCheck: itf.sourceDestCheck,
    }));
    const carried = new Set(g.interfaces.map((i) => i.name));
    const networks = sorted(model.networks.filter((n) => n.master !== undefined && carried.has(n.master)).map((n) => n.key));
    const cap = model.intent.spec.cluster.flavour === 'eks' && g.role === 'worker' ? groupCapacity(model.intent, g) : undefined;
    return {
      name: g.name, role: g.role, instanceType: g.instanceType, count: g.count, zones, enis: [primary, ...secondary], networks,
      ...(cap ? { vpcCni: { enis: cap.enis, podAddresses: cap.podAddresses, maxPods: cap.maxPods } } : {}),
    };
  });
}

function subnetsOf(model: IntentModel, groups: readonly NodeGroup[]): PlanSubnet[] {
  const { spec } = model.intent;
  const used = new Map<string, { addresses: number; enis: string[] }>();
  const use = (subnet: string, addresses: number, eni: string) => {
    const u = used.get(subnet) ?? { addresses: 0, enis: [] };
    u.addresses += addresses;
    u.enis.push(eni);
    used.set(subnet, u);
  };
  for (const g of groups) {
    const zones = zonesOf(g, model);
    // A group spanning zones spreads its nodes; count every node against each zone's subnet (the worst case), and
    // the extra node a worker group launches during a rolling update. On EKS the VPC CNI fills the primary ENI, and
    // ENIs it attaches itself, with pod addresses from the node subnet.
    const cap = spec.cluster.flavour === 'eks' ? groupCapacity(model.intent, g) : undefined;
    const nodes = peakNodes(g);
    for (const z of zones) use(nodeSubnetName(z), nodes * (cap?.nodeSubnetAddresses ?? 1), `${g.name}/primary`);
    for (const itf of g.interfaces) use(itf.subnet, nodes * (1 + ADDRESSES_PER_PREFIX * itf.ipv4PrefixCount), `${g.name}/${itf.name}`);
  }
  const node: PlanSubnet[] = safeNodeSubnets(model).map((s) => {
    const name = nodeSubnetName(s.zone);
    return { name, kind: 'node', zone: s.zone, cidr: s.cidr.toString(), usable: subnetUsable(s.cidr), used: used.get(name)?.addresses ?? 0, enis: used.get(name)?.enis ?? [] };
  });
  const secondary = spec.subnets.map((s): PlanSubnet => {
    const cidr = cidrOrUndefined(s.cidr);
    const reservation = cidrOrUndefined(s.podCidrReservation);
    return {
      name: s.name, kind: 'secondary', zone: s.zone, cidr: s.cidr,
      ...(s.podCidrReservation !== undefined ? { reservation: s.podCidrReservation } : {}),
      usable: cidr ? subnetUsable(cidr, reservation) : 0,
      used: used.get(s.name)?.addresses ?? 0, enis: used.get(s.name)?.enis ?? [],
    };
  });
  return [...node, ...secondary];
}

/** Node subnets, or none when the VPC CIDR does not parse or is too small to split (rules report both). */
function safeNodeSubnets(model: IntentModel): ReturnType<typeof nodeSubnets> {
  if (cidrOrUndefined(model.intent.spec.vpc.cidr) === undefined) return [];
  try {
    return nodeSubnets(model.intent.spec.vpc);
  } catch {
    return [];
  }
}

function networksOf(model: IntentModel, workers: readonly string[]): PlanNetwork[] {
  return model.networks.map((resolved): PlanNetwork => {
    const { network: n, index, key, master, nodeGroups } = resolved;
    const attached = model.workloads.filter((w) => w.attachments.some((a) => a.network?.key === key));
    const pools = planPools(n, index);
    const capacity = networkCapacity(n, pools);
    const mode = n.type === 'macvlan' || n.type === 'ipvlan' ? n.mode : n.type === 'bridge' ? n.bridge : undefined;
    return {
      key, name: n.name, namespace: n.namespace, plugin: n.type,
      ...(mode !== undefined ? { mode } : {}),
      ...(master !== undefined ? { master } : {}),
      ipam: { type: n.ipam.type, scope: ipamScope(n.ipam), pools, ...(capacity !== undefined ? { capacity } : {}) },
      nodeGroups: master === undefined ? [...workers] : nodeGroups.map((g) => g.name),
      workloads: attached.map((w) => `${w.workload.namespace}/${w.workload.name}`),
      pods: attached.reduce((sum, w) => sum + w.podCount, 0),
      namespaces: sorted([n.namespace, ...attached.map((w) => w.workload.namespace)]),
      ingress: n.ingress.map((r) => ruleText(r, resolved)),
      securityGroupRules: nodeGroups.length ? securityGroupRules(model, resolved).length : 0,
    };
  });
}

function workloadsOf(model: IntentModel): PlanWorkload[] {
  const workerGroups = model.intent.spec.nodeGroups.filter((g) => g.role === 'worker');
  return model.workloads.map(({ workload: w, attachments, podCount }): PlanWorkload => {
    const masters = sorted(attachments.flatMap((a) => (a.network?.master !== undefined ? [a.network.master] : [])));
    const fits = workerGroups.filter((g) => masters.every((m) => g.interfaces.some((i) => i.name === m)));
    return {
      key: `${w.namespace}/${w.name}`, kind: w.kind, name: w.name, namespace: w.namespace, pods: podCount,
      attachments: attachments.map((a) => ({ text: a.text, ...(a.network ? { network: a.network.key } : {}), ifname: a.ifname })),
      masters, nodeGroups: fits.map((g) => g.name),
    };
  });
}

function capacityWarnings(subnets: readonly PlanSubnet[], networks: readonly PlanNetwork[]): PlanWarning[] {
  const out: PlanWarning[] = [];
  for (const s of subnets) {
    if (s.used > s.usable) {
      out.push({ id: PLAN_WARNINGS.subnetFull, source: 'plan', message: `subnet ${s.name} (${s.cidr}) has ${s.usable} assignable addresses but the planned ENIs take ${s.used}, with one more node per worker group during a rolling update (${s.enis.join(', ')})` });
    }
  }
  for (const n of networks) {
    if (n.ipam.scope === 'cluster' && n.ipam.capacity !== undefined && n.pods > n.ipam.capacity) {
      out.push({ id: PLAN_WARNINGS.poolFull, source: 'plan', message: `network ${n.key}: ${n.pods} pods attach but the ${n.ipam.type} pool hands out ${n.ipam.capacity} addresses` });
    }
  }
  return out;
}

/** The plan of `intent`. */
export function buildPlan(intent: NetworkIntent, options: BuildPlanOptions = {}): Plan {
  const model = options.model ?? buildModel(intent);
  const { spec } = intent;
  const subnets = subnetsOf(model, spec.nodeGroups);
  const cidrs = new Map(subnets.map((s) => [s.name, s.cidr]));
  const nodeGroups = nodeGroupsOf(model, cidrs);
  const workers = spec.nodeGroups.filter((g) => g.role === 'worker').map((g) => g.name);
  const networks = networksOf(model, workers);
  const workloads = workloadsOf(model);
  const validation: PlanWarning[] = (options.findings ?? []).filter((f) => f.level === 'warning')
    .map((f) => ({ id: f.id, source: 'validation', message: f.message, ...(f.line !== undefined ? { line: f.line } : {}) }));
  return {
    name: intent.metadata.name,
    cluster: {
      flavour: spec.cluster.flavour,
      controlPlane: spec.cluster.flavour === 'eks'
        ? 'Amazon EKS (private endpoint); nodes in Auto Scaling groups that join through access entries'
        : 'one self-managed kubeadm instance (the control-plane node group)',
      kubernetesVersion: spec.cluster.kubernetesVersion, podCidr: spec.cluster.podCidr, serviceCidr: spec.cluster.serviceCidr, primaryCni: spec.cluster.primaryCni,
      network: (({ name, conflist, podAddresses, primaryEni }) => ({ name, conflist, podAddresses, primaryEni }))(clusterNetwork(spec.cluster.flavour, spec.cluster.podCidr)),
    },
    vpc: { cidr: spec.vpc.cidr, zones: [...spec.vpc.zones], mtu: spec.vpc.mtu },
    subnets, nodeGroups, networks,
    ...(model.networks.length ? { policyDaemon: { image: policyDaemonImage(intent), networkPlugins: policedPlugins(model) } } : {}),
    workloads,
    namespaces: [...model.namespaces],
    warnings: [...validation, ...capacityWarnings(subnets, networks)],
    totals: {
      nodes: nodeGroups.reduce((sum, g) => sum + g.count, 0),
      enis: nodeGroups.reduce((sum, g) => sum + g.count * g.enis.length, 0),
      networks: networks.length,
      pods: workloads.reduce((sum, w) => sum + w.pods, 0),
    },
  };
}
