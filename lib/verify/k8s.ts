/**
 * `multinic verify --k8s`, the pure half: the intent's workloads and node groups against the pods and nodes the API
 * server reports. Fetching lives in `bin/commands/private/verify-k8s.ts` (with `lib/kube`); nothing here does I/O.
 */
import type { NodeGroup, Workload } from '../intent/types';
import { interfaceLabel, INTERFACE_LABEL_VALUE } from '../model/labels';
import type { IntentModel, ResolvedAttachment } from '../model/model';
import { TAGS } from '../model/tags';
import type { KubeNode, KubePod } from '../kube/types';
import { NETWORKS_NOT_READY_TAINT } from '../readiness';
import { NETWORK_STATUS_ANNOTATION, parseNetworkStatus, type NetworkStatusEntry } from './network-status';
import { intendedAddresses, ipv4s } from './ranges';
import type { VerifyRow, VerifyStatus } from './types';

/** The node label that names a node's group (the bootstrap sets it from the same key as the EC2 tag). */
export const NODE_GROUP_LABEL = TAGS.nodeGroup;

/** How to list a workload's pods: by its labels when it has some, a Pod by name, else its whole namespace. */
export interface PodQuery {
  readonly namespace: string;
  /** @default - no label selector */
  readonly labelSelector?: string;
  /** @default - no field selector */
  readonly fieldSelector?: string;
}

export function podQuery(w: Workload): PodQuery {
  const labels = Object.entries(w.labels).map(([k, v]) => `${k}=${v}`).join(',');
  return {
    namespace: w.namespace,
    ...(labels ? { labelSelector: labels } : {}),
    ...(w.kind === 'Pod' ? { fieldSelector: `metadata.name=${w.name}` } : {}),
  };
}

/** True when `pod` is one of the workload's: a Pod by name; a Deployment's through its ReplicaSet `<name>-<hash>`. */
export function belongsTo(w: Workload, pod: KubePod): boolean {
  const m = pod.metadata;
  if ((m.namespace ?? w.namespace) !== w.namespace) return false;
  if (!Object.entries(w.labels).every(([k, v]) => m.labels?.[k] === v)) return false;
  if (w.kind === 'Pod') return m.name === w.name;
  const rs = new RegExp(`^${w.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[a-z0-9]+$`);
  return (m.ownerReferences ?? []).some((o) => o.kind === 'ReplicaSet' && rs.test(o.name));
}

const row = (subject: string, group: string, device: string, check: string, expected: string, observed: string, status: VerifyStatus): VerifyRow =>
  ({ subject, group, device, check, expected, observed, status });

/** The check of {@link networksReadyRow}. */
export const NETWORKS_READY_CHECK = `taint ${NETWORKS_NOT_READY_TAINT.key}`;

/**
 * Whether the node's secondary interfaces are configured: a node keeps the startup taint of lib/readiness.ts until its
 * in-guest ENI setup has completed and Multus runs there. A node booted without that setup (the seed's eth1 with a
 * MAC address and no IPv4 address) keeps it, and this row names the node and its interfaces.
 */
function networksReadyRow(node: KubeNode, g: NodeGroup): VerifyRow {
  const t = (node.spec?.taints ?? []).find((x) => x.key === NETWORKS_NOT_READY_TAINT.key);
  const devices = g.interfaces.map((i) => i.name).join(', ');
  const expected = '(absent: interfaces configured)';
  return t
    ? row(node.metadata.name, g.name, devices, NETWORKS_READY_CHECK, expected, `${t.effect}: setup of ${devices} not complete, or Multus not running`, 'missing')
    : row(node.metadata.name, g.name, devices, NETWORKS_READY_CHECK, expected, '(absent)', 'ok');
}

/**
 * Node count per group and, on nodes of groups with interfaces, one row per interface label and one for the
 * readiness taint.
 */
export function verifyNodes(groups: readonly NodeGroup[], nodes: readonly KubeNode[]): VerifyRow[] {
  const rows: VerifyRow[] = [];
  for (const g of groups) {
    const members = nodes.filter((n) => n.metadata.labels?.[NODE_GROUP_LABEL] === g.name).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const n = members.length;
    rows.push(row(`group ${g.name}`, g.name, '-', `nodes labelled ${NODE_GROUP_LABEL}`, String(g.count), String(n), n === g.count ? 'ok' : n < g.count ? 'missing' : 'drift'));
    for (const node of members) {
      for (const itf of g.interfaces) {
        const key = interfaceLabel(itf.name);
        const v = node.metadata.labels?.[key];
        rows.push(row(node.metadata.name, g.name, itf.name, `label ${key}`, INTERFACE_LABEL_VALUE, v ?? '(absent)',
          v === INTERFACE_LABEL_VALUE ? 'ok' : v === undefined ? 'missing' : 'drift'));
      }
      if (g.interfaces.length > 0) rows.push(networksReadyRow(node, g));
    }
  }
  return rows;
}

/** A network-status name matches `namespace/name`, or a bare `name` in the pod's own namespace (older Multus). */
function sameNetwork(entry: NetworkStatusEntry, a: ResolvedAttachment, podNamespace: string): boolean {
  if (!a.network) return false;
  const { namespace, name } = a.network.network;
  return entry.name === `${namespace}/${name}` || (entry.name === name && namespace === podNamespace);
}

function attachmentRows(model: IntentModel, pod: KubePod, subject: string, wname: string, a: ResolvedAttachment, entries: readonly NetworkStatusEntry[], nodeGroup: NodeGroup | undefined): VerifyRow[] {
  const net = a.network;
  if (!net) return [];
  const key = net.key;
  const entry = entries.find((e) => !e.default && e.interface === a.ifname);
  if (!entry) return [row(subject, wname, a.ifname, 'interface', key, '(not in network-status)', 'missing')];
  const rows: VerifyRow[] = [];
  if (!sameNetwork(entry, a, pod.metadata.namespace ?? '')) rows.push(row(subject, wname, a.ifname, 'network', key, entry.name || '(unnamed)', 'drift'));
  const master = net.master;
  const groups = nodeGroup && (!master || nodeGroup.interfaces.some((i) => i.name === master)) ? [nodeGroup] : net.nodeGroups;
  const want = intendedAddresses(net.network, net.index, model.intent.spec.subnets, groups);
  const ips = ipv4s(entry.ips);
  const observed = ips.length ? ips.join(', ') : '(no IPv4 address)';
  const inside = ips.length > 0 && ips.every((ip) => want.contains(ip));
  rows.push(row(subject, wname, a.ifname, 'address', want.text, observed, inside ? 'ok' : ips.length === 0 ? 'missing' : 'drift'));
  return rows;
}

/**
 * Every workload with secondary networks against its pods: the number of running pods, and on each pod each
 * attachment's interface (`netN` or `@ifname`) in `network-status`, from the intended network, with addresses
 * inside the intended ranges. Interfaces the intent does not name are unexpected.
 *
 * @param podsOf the pods listed for a workload (`podQuery`); filtered here with `belongsTo`
 */
export function verifyWorkloads(model: IntentModel, nodes: readonly KubeNode[], podsOf: (w: Workload) => readonly KubePod[]): VerifyRow[] {
  const groupOfNode = new Map<string, NodeGroup | undefined>();
  for (const n of nodes) groupOfNode.set(n.metadata.name, model.intent.spec.nodeGroups.find((g) => g.name === n.metadata.labels?.[NODE_GROUP_LABEL]));
  const rows: VerifyRow[] = [];
  for (const rw of model.workloads) {
    if (rw.attachments.length === 0) continue;
    const w = rw.workload;
    const wname = `${w.namespace}/${w.name}`;
    const pods = podsOf(w)
      .filter((p) => belongsTo(w, p) && !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const running = pods.filter((p) => p.status?.phase === 'Running');
    rows.push(row(`${w.kind} ${wname}`, wname, '-', 'running pods', String(rw.podCount), String(running.length),
      running.length === rw.podCount ? 'ok' : running.length < rw.podCount ? 'missing' : 'drift'));
    for (const pod of pods) {
      const subject = `${pod.metadata.namespace ?? w.namespace}/${pod.metadata.name}`;
      if (pod.status?.phase !== 'Running') {
        rows.push(row(subject, wname, '-', 'phase', 'Running', pod.status?.phase ?? '(unknown)', 'drift'));
        continue;
      }
      const entries = parseNetworkStatus(pod.metadata.annotations?.[NETWORK_STATUS_ANNOTATION]);
      if (typeof entries === 'string') {
        rows.push(row(subject, wname, '-', 'network-status', rw.attachments.map((a) => a.ifname).join(', '), entries, 'missing'));
        continue;
      }
      const nodeGroup = pod.spec?.nodeName ? groupOfNode.get(pod.spec.nodeName) : undefined;
      for (const a of rw.attachments) rows.push(...attachmentRows(model, pod, subject, wname, a, entries, nodeGroup));
      const intended = new Set(rw.attachments.map((a) => a.ifname));
      for (const e of entries) {
        if (e.default || (e.interface !== undefined && intended.has(e.interface))) continue;
        rows.push(row(subject, wname, e.interface ?? '?', 'interface', '(none)', `${e.name} ${e.ips.join(', ')}`.trimEnd(), 'unexpected'));
      }
    }
  }
  return rows;
}

/** Nodes first, then workloads. */
export function verifyCluster(model: IntentModel, nodes: readonly KubeNode[], podsOf: (w: Workload) => readonly KubePod[]): VerifyRow[] {
  return [...verifyNodes(model.intent.spec.nodeGroups, nodes), ...verifyWorkloads(model, nodes, podsOf)];
}
