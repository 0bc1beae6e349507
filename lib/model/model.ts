/**
 * The resolved intent: references followed once (workload -> network -> interface -> node groups, interface ->
 * subnet, service -> network and pods), IPAM resolved into pools, CNI configs rendered, so rules, charts, stacks,
 * node files and the plan all read the same answers and none re-derives them.
 *
 * `buildModel` never throws for a structurally valid intent: what cannot be resolved is left undefined (or its
 * error recorded, as `cniError`), and the rules report it. Consumers that run after validation (charts, stacks,
 * node files) may rely on every reference being resolved.
 */
import { MultinicError } from '../errors';
import type { Network, NetworkIntent, NodeGroup, NodeInterface, Service, Subnet, Workload } from '../intent/types';
import { perNodeCniTemplate, type PrefixNetwork } from '../node/per-node-cni';
import { Ipv4Cidr } from '../net/ipv4';
import { type Attachment, defaultIfname, parseAttachment } from './attachment';
import { hasPerNodeConfig, nadConfigJson } from './network-cni';
import { awsSubnetPrefix, layoutable, vpcLayout, type VpcLayout } from './node-subnets';
import { nodeLabelArgs } from './node-labels';
import { type Pool, poolsOf } from './pools';
import { planPrefixReservations, type PrefixReservationPlan } from './prefix-reservations';

export interface ResolvedNetwork {
  readonly network: Network;
  /** Index in `spec.networks`. */
  readonly index: number;
  /** `namespace/name`. */
  readonly key: string;
  /** The node interface the plugin attaches to (macvlan/ipvlan master, host-device device); none for bridge. */
  readonly master?: string;
  /** Node groups that carry `master` (empty when none does, or when there is no master). */
  readonly nodeGroups: readonly NodeGroup[];
  /** The address pools of its IPAM (empty for dhcp and eni-prefix, whose addresses are known only on the node). */
  readonly pools: readonly Pool[];
  /** The NetworkAttachmentDefinition's `spec.config`; undefined for a per-node config (eni-prefix) or when `cniError`. */
  readonly nadConfig?: string;
  /** Why the CNI builders refuse this network's config (cluster-wide or per node), if they do. */
  readonly cniError?: string;
}

export interface ResolvedAttachment {
  /** Position in the workload's `networks` list. */
  readonly position: number;
  /** The attachment as written. */
  readonly text: string;
  /** Parsed attachment, or why it is malformed. */
  readonly attachment: Attachment | string;
  /** The network it resolves to, if defined. */
  readonly network?: ResolvedNetwork;
  /** Interface name in the pod (explicit `@ifname` or Multus' `netN`). */
  readonly ifname: string;
}

export interface ResolvedWorkload {
  readonly workload: Workload;
  readonly index: number;
  readonly attachments: readonly ResolvedAttachment[];
  /** Pods this workload runs (1 for a Pod, replicas for a Deployment). */
  readonly podCount: number;
}

/** A secondary interface of a node group with its subnet. */
export interface ResolvedInterface {
  readonly interface: NodeInterface;
  /** Index in the group's `interfaces`. */
  readonly index: number;
  /** EC2 device index (the primary ENI is 0). */
  readonly deviceIndex: number;
  /** The subnet it is created in; undefined when `spec.subnets` has none of that name (multinic:UnknownSubnet). */
  readonly subnet?: Subnet;
}

export interface ResolvedNodeGroup {
  readonly group: NodeGroup;
  /** Index in `spec.nodeGroups`. */
  readonly index: number;
  readonly interfaces: readonly ResolvedInterface[];
  /**
   * Zone letters its nodes run in: the zone of its interfaces' subnets (an ENI and its instance share a zone), or
   * every zone of the VPC for a group without secondary interfaces.
   */
  readonly zones: readonly string[];
  /** `key=value` node labels (kubelet `--node-labels`), see `node-labels.ts`. */
  readonly labels: readonly string[];
}

export interface ResolvedService {
  readonly service: Service;
  readonly index: number;
  /** `service.network` parsed against the service's namespace, or why it is malformed; undefined when not set. */
  readonly attachment?: Attachment | string;
  /** The network it is meant for, if set and defined. */
  readonly network?: ResolvedNetwork;
  /** Workloads in its namespace whose pod labels match its selector. */
  readonly targets: readonly ResolvedWorkload[];
}

export interface IntentModel {
  readonly intent: NetworkIntent;
  readonly networks: readonly ResolvedNetwork[];
  readonly networkByKey: ReadonlyMap<string, ResolvedNetwork>;
  readonly workloads: readonly ResolvedWorkload[];
  readonly nodeGroups: readonly ResolvedNodeGroup[];
  readonly services: readonly ResolvedService[];
  readonly subnetByName: ReadonlyMap<string, Subnet>;
  /** Node groups by the secondary interface names they carry. */
  readonly nodeGroupsByInterface: ReadonlyMap<string, readonly NodeGroup[]>;
  /** Every namespace that networks, workloads, services or config maps use, sorted. */
  readonly namespaces: readonly string[];
  /** Node and NAT subnets; undefined when the VPC CIDR cannot be laid out (multinic:VpcSize). */
  readonly vpcLayout?: VpcLayout;
  /** The prefix CIDR reservations of each secondary subnet, by subnet name (AWS subnets only). */
  readonly prefixReservations: ReadonlyMap<string, PrefixReservationPlan>;
}

/** The node interface a network's plugin binds to. */
export function masterOf(network: Network): string | undefined {
  switch (network.type) {
    case 'macvlan':
    case 'ipvlan':
      return network.master;
    case 'host-device':
      return network.device;
    case 'bridge':
      return undefined;
  }
}

export function buildModel(intent: NetworkIntent): IntentModel {
  const { spec } = intent;
  const subnetByName = new Map<string, Subnet>();
  for (const s of spec.subnets) if (!subnetByName.has(s.name)) subnetByName.set(s.name, s);

  const nodeGroupsByInterface = new Map<string, NodeGroup[]>();
  for (const g of spec.nodeGroups) {
    for (const i of g.interfaces) {
      const list = nodeGroupsByInterface.get(i.name) ?? [];
      if (!list.includes(g)) list.push(g);
      nodeGroupsByInterface.set(i.name, list);
    }
  }

  const nodeGroups = spec.nodeGroups.map((group, index): ResolvedNodeGroup => {
    const interfaces = group.interfaces.map((itf, i): ResolvedInterface => ({
      interface: itf, index: i, deviceIndex: i + 1, subnet: subnetByName.get(itf.subnet),
    }));
    const zones = [...new Set(interfaces.flatMap((r) => (r.subnet ? [r.subnet.zone] : [])))];
    return { group, index, interfaces, zones: group.interfaces.length > 0 ? zones : [...spec.vpc.zones], labels: nodeLabelArgs(group) };
  });

  const networks = spec.networks.map((network, index): ResolvedNetwork => {
    const master = masterOf(network);
    const carriers = master ? nodeGroupsByInterface.get(master) ?? [] : [];
    return {
      network, index, key: `${network.namespace}/${network.name}`, master,
      nodeGroups: carriers,
      pools: poolsOf(network, index),
      ...renderCni(network, master, carriers, subnetByName, spec.vpc.cidr),
    };
  });
  const networkByKey = new Map<string, ResolvedNetwork>();
  for (const n of networks) if (!networkByKey.has(n.key)) networkByKey.set(n.key, n);

  const workloads = spec.workloads.map((workload, index): ResolvedWorkload => ({
    workload, index,
    podCount: workload.kind === 'Deployment' ? workload.replicas : 1,
    attachments: workload.networks.map((text, position): ResolvedAttachment => {
      const attachment = parseAttachment(text, workload.namespace);
      const network = typeof attachment === 'string' ? undefined : networkByKey.get(attachment.key);
      const ifname = (typeof attachment !== 'string' && attachment.ifname) || defaultIfname(position);
      return { position, text, attachment, network, ifname };
    }),
  }));

  const services = spec.services.map((service, index): ResolvedService => {
    const attachment = service.network === undefined ? undefined : parseAttachment(service.network, service.namespace);
    const network = attachment === undefined || typeof attachment === 'string' ? undefined : networkByKey.get(attachment.key);
    const selector = Object.entries(service.selector);
    const targets = workloads.filter((w) => w.workload.namespace === service.namespace
      && selector.every(([k, v]) => w.workload.labels[k] === v));
    return { service, index, attachment, network, targets };
  });

  const namespaces = new Set<string>();
  for (const n of spec.networks) namespaces.add(n.namespace);
  for (const w of spec.workloads) namespaces.add(w.namespace);
  for (const s of spec.services) namespaces.add(s.namespace);
  for (const c of spec.configMaps) namespaces.add(c.namespace);

  return {
    intent, networks, networkByKey, workloads, nodeGroups, services,
    subnetByName,
    nodeGroupsByInterface,
    namespaces: [...namespaces].sort(),
    vpcLayout: layoutable(spec.vpc) ? vpcLayout(spec.vpc) : undefined,
    prefixReservations: new Map([...subnetByName.values()].map((s) => [s.name, planPrefixReservations(intent, s)])),
  };
}

/**
 * Renders a network's CNI config through the builders of lib/cni, once: `spec.config` for a cluster-wide network;
 * for an eni-prefix network, the per-node template of every subnet its master interface is in (the builders then
 * check the values a node will see). A builder's refusal becomes `cniError` (multinic:CniConfig reports it).
 */
function renderCni(network: Network, master: string | undefined, carriers: readonly NodeGroup[], subnets: ReadonlyMap<string, Subnet>, vpcCidr: string): { nadConfig?: string; cniError?: string } {
  try {
    if (!hasPerNodeConfig(network)) return { nadConfig: nadConfigJson(network) };
    if (network.type === 'bridge') return {}; // multinic:EniPrefixPlugin
    for (const g of carriers) {
      for (const itf of g.interfaces) {
        const subnet = itf.name === master ? subnets.get(itf.subnet) : undefined;
        // A subnet that does not parse or that AWS would refuse is another rule's finding (InvalidAddress, SubnetSize).
        const cidr = subnet ? Ipv4Cidr.tryParse(subnet.cidr) : 'none';
        if (!subnet || typeof cidr === 'string' || !awsSubnetPrefix(cidr.prefix) || typeof Ipv4Cidr.tryParse(vpcCidr) === 'string') continue;
        perNodeCniTemplate(network as PrefixNetwork, subnet.cidr, vpcCidr);
      }
    }
    return {};
  } catch (e) {
    if (e instanceof MultinicError) return { cniError: e.message };
    throw e;
  }
}
