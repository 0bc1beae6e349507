/**
 * Semantic diff of two network intents: networks, workloads, Services, ConfigMaps, ENIs, node groups, subnets and capacity, each with what
 * applying it does and which AWS resources it replaces. Built on the plans of both sides (`lib/plan`), so the diff
 * speaks of the same ENIs, pools and capacity the plan shows; raw intent fields fill in what the plan does not show
 * (cniVersion, sbr, routes...). Pure and deterministic.
 */
import type { Network, NetworkIntent, Workload } from '../intent/types';
import { buildPlan } from '../plan/build';
import { capacityText } from '../plan/markdown';
import type { Plan, PlanEni, PlanNetwork, PlanNodeGroup, PlanSubnet, PlanWorkload } from '../plan/types';
import { fieldChanges, kindOf, pairBy } from './fields';
import { configMapChanges, serviceChanges, workloadsOf, workloadSpecChanges } from './objects';
import { type Change, type IntentDiff, type Subject, SUBJECTS } from './types';

export { fieldChanges, pairBy, show } from './fields';

const instancesOf = (g: PlanNodeGroup): string => `the ${g.count} instance${g.count === 1 ? '' : 's'} of node group ${g.name}`;
const eniText = (e: PlanEni): string => `device ${e.deviceIndex} in subnet ${e.subnet}${e.ipv4PrefixCount ? `, ${e.ipv4PrefixCount} /28 prefixes` : ''}`;

function clusterChanges(base: NetworkIntent, head: NetworkIntent, groups: readonly PlanNodeGroup[]): Change[] {
  const out: Change[] = [];
  const all = groups.map(instancesOf);
  const vpc = fieldChanges(base.spec.vpc, head.spec.vpc, 'vpc.');
  if (vpc.length) {
    const cidr = base.spec.vpc.cidr !== head.spec.vpc.cidr;
    out.push({
      subject: 'cluster', kind: 'changed', key: 'vpc', details: vpc,
      effect: cidr ? 'A VPC CIDR cannot change in place: the VPC and everything in it is created anew.' : 'Node subnets and the VPC MTU follow the new values.',
      replaces: cidr ? ['the VPC and every subnet, ENI and instance in it'] : [],
    });
  }
  const cluster = [...fieldChanges(base.metadata, head.metadata, 'metadata.'), ...fieldChanges(base.spec.cluster, head.spec.cluster, 'cluster.')];
  if (cluster.length) out.push({ subject: 'cluster', kind: 'changed', key: 'cluster', details: cluster, ...clusterEffect(base, head, all) });
  return out;
}

/** What a change of `metadata` or `spec.cluster` does, per flavour. */
function clusterEffect(base: NetworkIntent, head: NetworkIntent, all: readonly string[]): Pick<Change, 'effect' | 'replaces'> {
  const a = base.spec.cluster;
  const b = head.spec.cluster;
  if (a.flavour !== b.flavour) {
    return {
      effect: `The flavour changes from ${a.flavour} to ${b.flavour}: a different cluster stack is built (control plane, nodes, cluster network ${a.primaryCni} -> ${b.primaryCni}); the VPC and subnets stay. Workloads start again on the new cluster.`,
      replaces: ['the cluster stack: control plane and every node', ...all],
    };
  }
  if (b.flavour === 'eks') {
    const renamed = base.metadata.name !== head.metadata.name;
    const newCluster = renamed || a.serviceCidr !== b.serviceCidr;
    if (newCluster) {
      return {
        effect: 'EKS cannot change a cluster\'s name or service CIDR in place: the EKS cluster is created anew, with its node groups.',
        replaces: ['the EKS cluster', ...all],
      };
    }
    const minorA = a.kubernetesVersion.split('.')[1];
    const minorB = b.kubernetesVersion.split('.')[1];
    return minorA !== minorB
      ? {
        effect: `EKS upgrades the control plane in place (1.${minorA} -> 1.${minorB}; one minor per update), then each managed node group rolls to the matching EKS-optimised AMI, one node at a time.`,
        replaces: all,
      }
      : { effect: 'EKS picks the patch release itself and spec.cluster.podCidr is unused with flavour eks: nothing on the cluster changes.', replaces: [] };
  }
  return { effect: 'kubeadm settings live in the nodes\' user data: every node is launched again to apply them.', replaces: all };
}

function subnetChanges(base: Plan, head: Plan, groups: readonly PlanNodeGroup[]): Change[] {
  return pairBy(base.subnets, head.subnets, (s) => s.name).flatMap(([key, a, b]): Change[] => {
    const kind = kindOf(a, b);
    if (!a || !b) {
      const s = (a ?? b) as PlanSubnet;
      return [{ subject: 'subnet', kind, key, details: [`${s.kind} subnet ${s.cidr} in zone ${s.zone}${s.reservation ? `, reservation ${s.reservation}` : ''}`], effect: kind === 'added' ? 'New subnet.' : 'Subnet deleted.', replaces: [] }];
    }
    const details = fieldChanges({ cidr: a.cidr, zone: a.zone, reservation: a.reservation }, { cidr: b.cidr, zone: b.zone, reservation: b.reservation });
    if (!details.length) return [];
    const moved = a.cidr !== b.cidr || a.zone !== b.zone;
    const users = groups.filter((g) => g.enis.some((e) => e.subnet.split(',').includes(key)));
    const replaces = moved ? [`subnet ${key}`, ...users.map(instancesOf)] : [`the pod CIDR reservation of subnet ${key}`];
    return [{
      subject: 'subnet', kind, key, details,
      effect: moved ? 'A subnet\'s CIDR and zone cannot change in place: the subnet is created anew, and with it every ENI in it.' : 'The reservation is replaced; ENIs keep their addresses.',
      replaces,
    }];
  });
}

function nodeGroupChanges(base: Plan, head: Plan): Change[] {
  return pairBy(base.nodeGroups, head.nodeGroups, (g) => g.name).flatMap(([key, a, b]): Change[] => {
    const kind = kindOf(a, b);
    if (!a || !b) {
      const g = (a ?? b) as PlanNodeGroup;
      return [{
        subject: 'nodeGroup', kind, key,
        details: [`${g.count} x ${g.instanceType} (${g.role}) in zones ${g.zones.join(', ')}`, ...g.enis.slice(1).map((e) => `ENI ${e.name}: ${eniText(e)}`)],
        effect: kind === 'added' ? 'New launch template and Auto Scaling group.' : 'The Auto Scaling group and its instances are deleted.',
        replaces: [],
      }];
    }
    const pick = (g: PlanNodeGroup) => ({ role: g.role, instanceType: g.instanceType, zones: g.zones, count: g.count });
    const details = fieldChanges(pick(a), pick(b));
    if (!details.length) return [];
    const relaunch = a.role !== b.role || a.instanceType !== b.instanceType || a.zones.join() !== b.zones.join();
    if (relaunch && a.role === 'control-plane' && b.role === 'control-plane') {
      return [{
        subject: 'nodeGroup', kind, key, details, replaces: [],
        effect: 'The launch template changes, but the running control plane keeps the old one: it is never rolled (a new one would start an empty cluster). Replace it by hand to apply the change.',
      }];
    }
    return [{
      subject: 'nodeGroup', kind, key, details,
      effect: relaunch
        ? 'The launch template (instance type, role) or the zone of the Auto Scaling group changes: nodes are launched anew, one at a time.'
        : `The Auto Scaling group scales from ${a.count} to ${b.count} node${b.count === 1 ? '' : 's'}; existing nodes stay.`,
      replaces: relaunch ? [instancesOf(a)] : [],
    }];
  });
}

function eniChanges(base: Plan, head: Plan): Change[] {
  const out: Change[] = [];
  for (const [group, ga, gb] of pairBy(base.nodeGroups, head.nodeGroups, (g) => g.name)) {
    if (!ga || !gb) continue; // a whole group added or removed is reported with the group
    for (const [name, a, b] of pairBy(ga.enis.slice(1), gb.enis.slice(1), (e) => e.name)) {
      const kind = kindOf(a, b);
      const details = a && b
        ? fieldChanges({ subnet: a.subnet, deviceIndex: a.deviceIndex, ipv4PrefixCount: a.ipv4PrefixCount, sourceDestCheck: a.sourceDestCheck },
          { subnet: b.subnet, deviceIndex: b.deviceIndex, ipv4PrefixCount: b.ipv4PrefixCount, sourceDestCheck: b.sourceDestCheck })
        : [eniText((a ?? b) as PlanEni)];
      if (kind === 'changed' && !details.length) continue;
      const moved = kind === 'changed' && (a?.subnet !== b?.subnet || a?.deviceIndex !== b?.deviceIndex);
      out.push({
        subject: 'eni', kind, key: `${group}/${name}`, details,
        effect: `${moved ? 'The ENI moves. ' : ''}ENIs are attached at launch from the launch template: the group's nodes are launched anew to ${kind === 'added' ? 'get it' : kind === 'removed' ? 'drop it' : 'apply it'}.`,
        replaces: [instancesOf(ga)],
      });
    }
  }
  return out;
}

/** Network fields in the order a reviewer reads them: plugin, what it binds to, mode, IPAM, then the rest by name. */
const NETWORK_FIELD_ORDER = ['type', 'master', 'device', 'mode', 'bridge', 'ipam'];

function ordered(n: Network): Record<string, unknown> {
  const r = n as unknown as Record<string, unknown>;
  const keys = [...NETWORK_FIELD_ORDER.filter((k) => k in r), ...Object.keys(r).filter((k) => !NETWORK_FIELD_ORDER.includes(k)).sort()];
  return Object.fromEntries(keys.map((k) => [k, r[k]]));
}

/** Every network field that differs (the IPAM field by field), so nothing the plan does not show is missed. */
function networkFieldChanges(a: Network, b: Network): string[] {
  // ingress is the policy subject's: rule by rule, with its own effect.
  const { ingress: _a, ...ra } = a;
  const { ingress: _b, ...rb } = b;
  return fieldChanges(ordered(ra as Network), ordered(rb as Network), '', ['ipam']);
}

/** Rules added and removed per network (an added network's rules are all added; a removed network's go with it). */
function policyChanges(base: Plan, head: Plan): Change[] {
  return pairBy(base.networks, head.networks, (n) => n.key).flatMap(([key, a, b]): Change[] => {
    if (!b) return [];
    const before = a?.ingress ?? [];
    const details = [
      ...before.filter((r) => !b.ingress.includes(r)).map((r) => `- ${r}`),
      ...b.ingress.filter((r) => !before.includes(r)).map((r) => `+ ${r}`),
    ];
    if (!details.length) return [];
    if (a && a.securityGroupRules !== b.securityGroupRules) details.push(`security group rules: ${a.securityGroupRules} -> ${b.securityGroupRules}`);
    return [{
      subject: 'policy', kind: a ? 'changed' : 'added', key, details,
      effect: `The network's MultiNetworkPolicy objects change: the daemon rewrites the rules of running pods within seconds, no pod restarts${b.ingress.length === 0 ? '; the network is closed to every peer' : ''}.`
        + `${b.securityGroupRules || a?.securityGroupRules ? ' Its security group rules change in place; no instance is replaced.' : ''}`
        + `${details.some((d) => d.endsWith('ICMP')) ? ' ICMP rules live in the daemon\'s custom rules: the DaemonSet rolls, node by node.' : ''}`,
      replaces: [],
    }];
  });
}

/** The daemon's image or its `--network-plugins` changing (it appears with the first network, goes with the last). */
function policyDaemonChanges(base: Plan, head: Plan): Change[] {
  const a = base.policyDaemon;
  const b = head.policyDaemon;
  if (!a || !b) return [];
  const details = [
    ...(a.image !== b.image ? [`image: ${a.image} -> ${b.image}`] : []),
    ...(a.networkPlugins.join(',') !== b.networkPlugins.join(',') ? [`--network-plugins: ${a.networkPlugins.join(',')} -> ${b.networkPlugins.join(',')}`] : []),
  ];
  if (!details.length) return [];
  return [{
    subject: 'policy', kind: 'changed', key: 'multi-networkpolicy daemon', details,
    effect: 'The multi-networkpolicy DaemonSet rolls, node by node; each new daemon writes the rules of its node\'s pods again once it is Ready (it logged its node\'s name). No workload pod restarts.',
    replaces: [],
  }];
}

function networkChanges(base: Plan, head: Plan, bi: NetworkIntent | undefined, hi: NetworkIntent): Change[] {
  const raw = (intent: NetworkIntent | undefined) => new Map((intent?.spec.networks ?? []).map((n) => [`${n.namespace}/${n.name}`, n]));
  const rawA = raw(bi);
  const rawB = raw(hi);
  return pairBy(base.networks, head.networks, (n) => n.key).flatMap(([key, a, b]): Change[] => {
    const kind = kindOf(a, b);
    if (!a || !b) {
      const n = (a ?? b) as PlanNetwork;
      const pools = n.ipam.pools.map((p) => p.range).join(', ');
      return [{
        subject: 'network', kind, key,
        details: [`${n.plugin}${n.mode ? ` ${n.mode}` : ''}${n.master ? ` on ${n.master}` : ''}, ${n.ipam.type}${pools ? ` ${pools}` : ''}`],
        effect: kind === 'added' ? 'New NetworkAttachmentDefinition.' : `NetworkAttachmentDefinition deleted${n.pods ? `; ${n.pods} pod(s) attached to it no longer start` : ''}.`,
        replaces: [],
      }];
    }
    const details = networkFieldChanges(rawA.get(key) as Network, rawB.get(key) as Network);
    if (a.nodeGroups.join() !== b.nodeGroups.join()) details.push(`node groups: ${a.nodeGroups.join(', ') || 'none'} -> ${b.nodeGroups.join(', ') || 'none'}`);
    if (!details.length) return [];
    return [{
      subject: 'network', kind, key, details,
      effect: `NetworkAttachmentDefinition updated; Multus reads it when a pod starts, so the ${b.pods} attached pod(s) keep the old configuration until recreated.`,
      replaces: [],
    }];
  });
}

function workloadChanges(base: Plan, head: Plan, bi: NetworkIntent | undefined, hi: NetworkIntent): Change[] {
  const rawA = workloadsOf(bi);
  const rawB = workloadsOf(hi);
  const attach = (w: PlanWorkload) => w.attachments.map((a) => `${a.network ?? `${a.text} (not defined)`} as ${a.ifname}`).join(', ') || 'none';
  return pairBy(base.workloads, head.workloads, (w) => w.key).flatMap(([key, a, b]): Change[] => {
    const kind = kindOf(a, b);
    if (!a || !b) {
      const w = (a ?? b) as PlanWorkload;
      return [{ subject: 'workload', kind, key, details: [`${w.kind}, ${w.pods} pod(s), networks: ${attach(w)}`], effect: kind === 'added' ? 'New workload.' : 'Workload deleted.', replaces: [] }];
    }
    const spec = workloadSpecChanges(rawA.get(key) as Workload, rawB.get(key) as Workload);
    const details = [...fieldChanges({ kind: a.kind, networks: attach(a), pods: a.pods, nodeGroups: a.nodeGroups.join(', ') || 'none' }, { kind: b.kind, networks: attach(b), pods: b.pods, nodeGroups: b.nodeGroups.join(', ') || 'none' }), ...spec];
    if (!details.length) return [];
    const rollout = spec.length > 0 || attach(a) !== attach(b) || a.kind !== b.kind || a.nodeGroups.join() !== b.nodeGroups.join();
    return [{
      subject: 'workload', kind, key, details,
      effect: !rollout ? `Scales from ${a.pods} to ${b.pods} pod(s).`
        : b.kind === 'Deployment' ? `The pod template changes (${spec.length > 0 ? 'container or labels' : 'networks annotation, node affinity'}): the Deployment rolls its pods.` : 'A running Pod\'s networks cannot change: the Pod is deleted and created again.',
      replaces: [],
    }];
  });
}

function capacityChanges(base: Plan, head: Plan): Change[] {
  const networks = pairBy(base.networks, head.networks, (n) => n.key).flatMap(([key, a, b]): Change[] => {
    if (!a || !b || (a.ipam.capacity === b.ipam.capacity && a.ipam.scope === b.ipam.scope)) return [];
    const full = b.ipam.scope === 'cluster' && b.ipam.capacity !== undefined && b.pods > b.ipam.capacity;
    return [{ subject: 'capacity', kind: 'changed', key: `network ${key}`, details: [`${capacityText(a)} -> ${capacityText(b)}`], effect: full ? `Too small: ${b.pods} pods attach.` : `${b.pods} pod(s) attach.`, replaces: [] }];
  });
  const subnets = pairBy(base.subnets, head.subnets, (s) => s.name).flatMap(([key, a, b]): Change[] => {
    if (!a || !b || (a.usable === b.usable && a.used === b.used)) return [];
    return [{
      subject: 'capacity', kind: 'changed', key: `subnet ${key}`, details: [`used ${a.used} of ${a.usable} -> ${b.used} of ${b.usable} addresses`],
      effect: b.used > b.usable ? 'Too small: EC2 cannot give every ENI its addresses.' : `${b.usable - b.used} addresses left.`, replaces: [],
    }];
  });
  return [...subnets, ...networks];
}

/** The plan of nothing: what a new intent file is compared with. */
export const EMPTY_PLAN: Plan = {
  name: '', cluster: { flavour: '', controlPlane: '', kubernetesVersion: '', podCidr: '', serviceCidr: '', primaryCni: '', network: { name: '', conflist: '', podAddresses: '', primaryEni: '' } }, vpc: { cidr: '', zones: [], mtu: 0 },
  subnets: [], nodeGroups: [], networks: [], workloads: [], namespaces: [], warnings: [], totals: { nodes: 0, enis: 0, networks: 0, pods: 0 },
};

/**
 * The semantic diff of two parsed intents. `baseIntent` undefined means the file is new (everything is added).
 * `names` name the sides in the output (file names or git refs).
 */
export function diffIntents(baseIntent: NetworkIntent | undefined, headIntent: NetworkIntent, names: { base: string; head: string } = { base: 'base', head: 'head' }): IntentDiff {
  const base = baseIntent ? buildPlan(baseIntent) : EMPTY_PLAN;
  const head = buildPlan(headIntent);
  const cluster: Change[] = baseIntent
    ? clusterChanges(baseIntent, headIntent, base.nodeGroups)
    : [{ subject: 'cluster', kind: 'added', key: head.name, details: [`VPC ${head.vpc.cidr} in zones ${head.vpc.zones.join(', ')}`], effect: 'A new cluster.', replaces: [] }];
  const changes = [
    ...cluster,
    ...subnetChanges(base, head, base.nodeGroups),
    ...nodeGroupChanges(base, head),
    ...eniChanges(base, head),
    ...networkChanges(base, head, baseIntent, headIntent),
    ...policyChanges(base, head),
    ...policyDaemonChanges(base, head),
    ...workloadChanges(base, head, baseIntent, headIntent),
    ...serviceChanges(baseIntent, headIntent),
    ...configMapChanges(baseIntent, headIntent),
    ...capacityChanges(base, head),
  ];
  const order = (s: Subject) => SUBJECTS.indexOf(s);
  const sorted = changes.map((c, i) => [c, i] as const).sort((x, y) => order(x[0].subject) - order(y[0].subject) || x[1] - y[1]).map(([c]) => c);
  return { base: names.base, head: names.head, changes: sorted, replacements: [...new Set(sorted.flatMap((c) => c.replaces))].sort() };
}
