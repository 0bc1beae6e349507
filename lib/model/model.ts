/**
 * The resolved intent: references followed once (workload -> network -> interface -> node groups), so rules,
 * charts, stacks and the plan all read the same answers.
 */
import type { Network, NetworkIntent, NodeGroup, Subnet, Workload } from '../intent/types';
import { type Attachment, defaultIfname, parseAttachment } from './attachment';

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

export interface IntentModel {
  readonly intent: NetworkIntent;
  readonly networks: readonly ResolvedNetwork[];
  readonly networkByKey: ReadonlyMap<string, ResolvedNetwork>;
  readonly workloads: readonly ResolvedWorkload[];
  readonly subnetByName: ReadonlyMap<string, Subnet>;
  /** Node groups by the secondary interface names they carry. */
  readonly nodeGroupsByInterface: ReadonlyMap<string, readonly NodeGroup[]>;
  /** Every namespace that networks, workloads, services or config maps use, sorted. */
  readonly namespaces: readonly string[];
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
  const nodeGroupsByInterface = new Map<string, NodeGroup[]>();
  for (const g of spec.nodeGroups) {
    for (const i of g.interfaces) {
      const list = nodeGroupsByInterface.get(i.name) ?? [];
      if (!list.includes(g)) list.push(g);
      nodeGroupsByInterface.set(i.name, list);
    }
  }

  const networks = spec.networks.map((network, index): ResolvedNetwork => {
    const master = masterOf(network);
    return {
      network, index, key: `${network.namespace}/${network.name}`, master,
      nodeGroups: master ? nodeGroupsByInterface.get(master) ?? [] : [],
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

  const namespaces = new Set<string>();
  for (const n of spec.networks) namespaces.add(n.namespace);
  for (const w of spec.workloads) namespaces.add(w.namespace);
  for (const s of spec.services) namespaces.add(s.namespace);
  for (const c of spec.configMaps) namespaces.add(c.namespace);

  return {
    intent, networks, networkByKey, workloads,
    subnetByName: new Map(spec.subnets.map((s) => [s.name, s])),
    nodeGroupsByInterface,
    namespaces: [...namespaces].sort(),
  };
}
