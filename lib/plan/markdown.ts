/**
 * The plan as a review document: a summary, the Mermaid diagram, and one table per kind of thing. GitHub-flavoured
 * Markdown; deterministic (no dates, no absolute paths), so `dist/PLAN.md` only changes when the intent does.
 */
import { renderMermaid } from './mermaid';
import type { Plan, PlanNetwork, PlanWorkload } from './types';

/** Escapes a table cell (pipes and line breaks would end the cell or the row). */
export function cell(text: string | number): string {
  return String(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A GitHub table; `rows` empty renders `empty` instead. */
export function table(head: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>, empty = '_None._'): string {
  if (rows.length === 0) return empty;
  return [
    `| ${head.map(cell).join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Capacity in words: `253 addresses (cluster)`, `15 addresses per node`, `1 pod (static)`, `from the DHCP server`. */
export function capacityText(n: PlanNetwork): string {
  const c = n.ipam.capacity;
  switch (n.ipam.scope) {
    case 'node': return `${plural(c ?? 0, 'address', 'addresses')} per node`;
    case 'cluster': return `${plural(c ?? 0, 'address', 'addresses')} in the cluster`;
    case 'static': return `${plural(c ?? 0, 'pod')} (static addresses)`;
    case 'dhcp': return 'from the DHCP server';
  }
}

function poolsText(n: PlanNetwork): string {
  if (n.ipam.pools.length === 0) return n.ipam.type === 'dhcp' ? 'DHCP' : '-';
  return n.ipam.pools.map((p) => [
    `${p.subnet}: ${p.range}`,
    p.gateway ? `gw ${p.gateway}` : '',
    p.excludes.length ? `excl ${p.excludes.join(', ')}` : '',
  ].filter(Boolean).join(', ')).join('; ');
}

function placementText(w: PlanWorkload): string {
  if (w.nodeGroups.length > 0) return w.masters.length ? w.nodeGroups.join(', ') : `any worker (${w.nodeGroups.join(', ')})`;
  return w.masters.length ? `none: no worker group carries ${w.masters.join(' and ')}` : 'none: no worker group';
}

/** Renders the whole plan. */
export function renderPlanMarkdown(plan: Plan): string {
  const t = plan.totals;
  const groups = plan.nodeGroups;
  const sections: string[] = [
    `# Network plan: ${plan.name}`,
    [
      `${plural(t.nodes, 'node')} in ${plural(groups.length, 'node group')}, ${plural(t.enis, 'ENI')}, ${plural(t.networks, 'network')}, `,
      `${plural(t.pods, 'pod')} in ${plural(plan.workloads.length, 'workload')}. `,
      `VPC ${plan.vpc.cidr} (zones ${plan.vpc.zones.join(', ')}, MTU ${plan.vpc.mtu}); `,
      `pods ${plan.cluster.flavour === 'eks' ? 'on VPC addresses' : plan.cluster.podCidr} (${plan.cluster.primaryCni}), services ${plan.cluster.serviceCidr}; Kubernetes ${plan.cluster.kubernetesVersion}.`,
    ].join(''),
    '## Cluster',
    table(['Flavour', 'Control plane', 'Cluster network', 'Multus delegates to', 'Pod addresses (eth0)', 'Primary ENI'], [[
      plan.cluster.flavour, plan.cluster.controlPlane, plan.cluster.primaryCni, `${plan.cluster.network.name} in /etc/cni/net.d/${plan.cluster.network.conflist}`,
      plan.cluster.network.podAddresses, plan.cluster.network.primaryEni,
    ]]),
    ...(groups.some((g) => g.vpcCni)
      ? [
        'VPC CNI capacity per node: the ENIs the intent\'s secondary ENIs leave free on the default network card, the pod addresses they hold, and the kubelet maxPods multinic sets (the default would count the Multus ENIs too).',
        table(['Node group', 'ENIs for the VPC CNI', 'Pod addresses per node', 'maxPods'], groups.flatMap((g) => (g.vpcCni ? [[g.name, g.vpcCni.enis, g.vpcCni.podAddresses, g.vpcCni.maxPods]] : []))),
      ]
      : []),
    '## Diagram',
    ['```mermaid', renderMermaid(plan), '```'].join('\n'),
    '## Node groups and their ENIs',
    'Device index 0 is the primary ENI (cluster network). Changing a secondary ENI\'s subnet or device index replaces the group\'s instances.',
    table(
      ['Node group', 'Role', 'Instance type', 'Nodes', 'Zones', 'Device', 'Interface', 'Subnet', 'Prefixes (/28)', 'Addresses per node', 'Src/dst check'],
      groups.flatMap((g) => g.enis.map((e) => [
        g.name, g.role, g.instanceType, g.count, g.zones.join(', '), e.deviceIndex, e.name,
        e.subnetCidr ? `${e.subnet} (${e.subnetCidr})` : e.subnet, e.ipv4PrefixCount, e.addressesPerNode, e.sourceDestCheck ? 'on' : 'off',
      ])),
    ),
    '## Subnets',
    'Usable: the block less the 5 addresses AWS reserves and the pod CIDR reservation. Used: the addresses the planned ENIs take, with one more node per worker group during a rolling update.',
    table(
      ['Subnet', 'Kind', 'Zone', 'CIDR', 'Reservation', 'Usable', 'Used', 'ENIs'],
      plan.subnets.map((s) => [s.name, s.kind, s.zone, s.cidr, s.reservation ?? '-', s.usable, s.used, s.enis.join(', ') || '-']),
    ),
    '## Networks',
    table(
      ['Network', 'Plugin', 'Master', 'IPAM', 'Pools', 'Capacity', 'Pods', 'Node groups', 'Namespaces'],
      plan.networks.map((n) => [
        n.key, n.mode ? `${n.plugin} (${n.mode})` : n.plugin, n.master ?? '-', n.ipam.type, poolsText(n), capacityText(n), n.pods,
        n.nodeGroups.join(', ') || 'none', n.namespaces.join(', '),
      ]),
    ),
    '## Network policy',
    'Inbound on a secondary network is denied unless a rule admits it: MultiNetworkPolicy in the cluster, one security group per network on its ENIs (docs/network-policy.md).',
    table(
      ['Network', 'Admits', 'Security group rules'],
      plan.networks.map((n) => [n.key, n.ingress.length ? n.ingress.join('; ') : 'nothing (closed)', n.securityGroupRules]),
    ),
    ...(plan.policyDaemon ? [`Enforced in the cluster by multi-networkpolicy-iptables, image \`${plan.policyDaemon.image}\`, on networks of type ${plan.policyDaemon.networkPlugins.join(', ')}.`] : []),
    '## Workloads',
    table(
      ['Workload', 'Kind', 'Pods', 'Networks', 'Node groups'],
      plan.workloads.map((w) => [
        w.key, w.kind, w.pods,
        w.attachments.map((a) => (a.network ? `${a.network} as ${a.ifname}` : `${a.text} (not defined)`)).join(', ') || 'cluster network only',
        placementText(w),
      ]),
    ),
    '## Namespaces',
    plan.namespaces.length ? plan.namespaces.join(', ') : '_None._',
    '## Warnings',
    plan.warnings.length
      ? plan.warnings.map((w) => `- \`${w.id}\`${w.line !== undefined ? ` (line ${w.line})` : ''}: ${w.message}`).join('\n')
      : '_None._',
  ];
  return `${sections.join('\n\n')}\n`;
}

/** The plan as JSON: the `Plan` object, two-space indented, keys in the order the types declare them. */
export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
