import { buildPlan } from '../../lib/plan/build';
import { capacityText, cell, renderPlanJson, renderPlanMarkdown, table } from '../../lib/plan/markdown';
import type { Plan, PlanNetwork } from '../../lib/plan/types';
import { BASE_DAEMON_IMAGE, type Mutate, specOf, toEks, validate } from '../util/intent';

function planOf(mutate: Mutate = () => undefined): Plan {
  const r = validate(mutate);
  if (!r.intent) throw new Error(r.findings.map((f) => f.message).join('; '));
  return buildPlan(r.intent, { model: r.model, findings: r.findings });
}

/** The lines of one `## heading` section, up to the next heading. */
function section(md: string, heading: string): string[] {
  const start = md.indexOf(`## ${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const rest = md.slice(start + heading.length + 4);
  const end = rest.indexOf('\n## ');
  return (end < 0 ? rest : rest.slice(0, end)).split('\n').filter((l) => l !== '');
}

describe('table and cell', () => {
  test('pipes, backslashes and line breaks cannot break a row', () => {
    expect(cell('a|b\\c\nd')).toBe('a\\|b\\\\c d');
  });

  test('a header, a separator and one line per row; an empty table says so', () => {
    expect(table(['A', 'B'], [['x', 1], ['y|z', 2]])).toBe('| A | B |\n|---|---|\n| x | 1 |\n| y\\|z | 2 |');
    expect(table(['A'], [])).toBe('_None._');
  });
});

describe('capacityText', () => {
  test.each([
    ['node', 17, '17 addresses per node'],
    ['node', 1, '1 address per node'],
    ['cluster', 251, '251 addresses in the cluster'],
    ['static', 1, '1 pod (static addresses)'],
    ['dhcp', undefined, 'from the DHCP server'],
  ] as const)('%s scope, capacity %s: %s', (scope, capacity, text) => {
    const n = { ipam: { type: 'x', scope, pools: [], capacity } } as unknown as PlanNetwork;
    expect(capacityText(n)).toBe(text);
  });
});

describe('renderPlanMarkdown', () => {
  const md = renderPlanMarkdown(planOf((i) => { specOf(i).workloads[0].container.privileged = true; }));

  test('the network policy section names the daemon image and the plugin types it polices', () => {
    expect(section(md, 'Network policy')).toContain(`Enforced in the cluster by multi-networkpolicy-iptables, image \`${BASE_DAEMON_IMAGE}\`, on networks of type ipvlan.`);
  });

  test('sections in review order, the diagram in a mermaid fence', () => {
    expect(md.split('\n').filter((l) => l.startsWith('#'))).toEqual([
      '# Network plan: rules-test', '## Cluster', '## Diagram', '## Node groups and their ENIs', '## Subnets', '## Networks', '## Network policy', '## Workloads', '## Namespaces', '## Warnings',
    ]);
    expect(section(md, 'Diagram')[0]).toBe('```mermaid');
    expect(section(md, 'Diagram').at(-1)).toBe('```');
    expect(md.endsWith('\n')).toBe(true);
  });

  test('summary line counts nodes, ENIs, networks and pods', () => {
    expect(md.split('\n')[2]).toBe('3 nodes in 2 node groups, 5 ENIs, 2 networks, 3 pods in 2 workloads. VPC 10.0.0.0/16 (zones a, b, MTU 9001); pods 172.16.0.0/16 (calico), services 10.96.0.0/12; Kubernetes 1.36.5.');
  });

  test('one row per ENI of every node group', () => {
    expect(section(md, 'Node groups and their ENIs').slice(1)).toEqual([
      '| Node group | Role | Instance type | Nodes | Zones | Device | Interface | Subnet | Prefixes (/28) | Addresses per node | Src/dst check |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      '| control-plane | control-plane | m6i.large | 1 | a, b | 0 | primary | node-a,node-b | 0 | 1 | on |',
      '| workers | worker | m6i.large | 2 | a | 0 | primary | node-a (10.0.0.0/20) | 0 | 1 | on |',
      '| workers | worker | m6i.large | 2 | a | 1 | multus0 | multus-a (10.0.128.0/24) | 0 | 1 | on |',
    ]);
  });

  test('subnets with usable and used addresses (2 workers + 1 rolling-update surge)', () => {
    expect(section(md, 'Subnets').slice(1)).toEqual([
      '| Subnet | Kind | Zone | CIDR | Reservation | Usable | Used | ENIs |',
      '|---|---|---|---|---|---|---|---|',
      '| node-a | node | a | 10.0.0.0/20 | - | 4091 | 4 | control-plane/primary, workers/primary |',
      '| node-b | node | b | 10.0.16.0/20 | - | 4091 | 1 | control-plane/primary |',
      '| multus-a | secondary | a | 10.0.128.0/24 | - | 251 | 3 | workers/multus0 |',
    ]);
  });

  test('networks with pools, capacity, node groups and namespaces', () => {
    expect(section(md, 'Networks')).toEqual([
      '| Network | Plugin | Master | IPAM | Pools | Capacity | Pods | Node groups | Namespaces |',
      '|---|---|---|---|---|---|---|---|---|',
      '| default/ipvlan-conf | ipvlan (l2) | multus0 | host-local | 192.168.1.0/24: 192.168.1.200-192.168.1.216, gw 192.168.1.1 | 17 addresses per node | 1 | workers | default |',
      '| dcjeon/whereabouts-eth1-conf | ipvlan (l2) | multus0 | whereabouts | 10.4.128.0/24: 10.4.128.1-10.4.128.254, excl 10.4.128.0/30 | 251 addresses in the cluster | 2 | workers | dcjeon |',
    ]);
  });

  test('workloads with their networks (as ifname) and where they can run', () => {
    expect(section(md, 'Workloads').slice(2)).toEqual([
      '| default/multus-sample-pod | Pod | 1 | default/ipvlan-conf as net1 | workers |',
      '| dcjeon/ubuntu-whereabouts-deploy | Deployment | 2 | dcjeon/whereabouts-eth1-conf as net1 | workers |',
    ]);
  });

  test('an attachment that does not resolve and a workload no group can host say so', () => {
    const r = validate((i) => { specOf(i).workloads[0].networks = ['nope']; (specOf(i).networks[1] as { master: string }).master = 'eth9'; });
    const text = renderPlanMarkdown(buildPlan(r.intent!, { model: r.model }));
    expect(section(text, 'Workloads').slice(2)).toEqual([
      '| default/multus-sample-pod | Pod | 1 | nope (not defined) | any worker (workers) |',
      '| dcjeon/ubuntu-whereabouts-deploy | Deployment | 2 | dcjeon/whereabouts-eth1-conf as net1 | none: no worker group carries eth9 |',
    ]);
  });

  test('namespaces and warnings (with their line)', () => {
    expect(section(md, 'Namespaces')).toEqual(['dcjeon, default']);
    expect(section(md, 'Warnings').filter((l) => l.includes('PrivilegedContainer'))).toEqual([expect.stringMatching(/^- `multinic:PrivilegedContainer` \(line \d+\): spec\.workloads\[0\]\.container\.privileged: /)]);
    expect(section(md, 'Warnings').every((l) => l.startsWith('- `multinic:'))).toBe(true);
  });
});

describe('renderPlanJson', () => {
  test('round-trips to the plan object', () => {
    const plan = planOf();
    const text = renderPlanJson(plan);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(plan)));
    expect(text.startsWith('{\n  "name": "rules-test",\n')).toBe(true);
  });
});

describe('renderPlanMarkdown: the cluster flavour', () => {
  test('kubeadm: Calico, the conflist Multus delegates to, pod addresses from podCidr; no VPC CNI table', () => {
    const md = renderPlanMarkdown(planOf());
    const rows = section(md, 'Cluster');
    expect(rows[2]).toBe('| kubeadm | one self-managed kubeadm instance (the control-plane node group) | calico | k8s-pod-network in /etc/cni/net.d/10-calico.conflist | 172.16.0.0/16 (Calico IP-in-IP overlay; the VPC never sees pod addresses) | node address; Calico encapsulates pod traffic between nodes |');
    expect(md).not.toContain('VPC CNI capacity per node');
  });

  test('eks: the VPC CNI on 10-aws.conflist, pods on VPC addresses, and the ENIs and maxPods left for it per group', () => {
    const md = renderPlanMarkdown(planOf(toEks));
    const rows = section(md, 'Cluster');
    expect(rows[2]).toMatch(/^\| eks \| Amazon EKS \(private endpoint\); nodes in Auto Scaling groups that join through access entries \| aws-vpc-cni \| aws-cni in \/etc\/cni\/net\.d\/10-aws\.conflist \| VPC addresses from the node subnet/);
    // m6i.large: 3 ENIs of 10 IPv4; multus0 takes one, so 2 x 9 pod addresses; maxPods adds aws-node, kube-proxy,
    // kube-multus-ds and the Whereabouts DaemonSet (a whereabouts network exists).
    expect(rows).toContain('| workers | 2 | 18 | 22 |');
    // the summary does not pretend pods take podCidr addresses
    expect(md.split('\n')[2]).toContain('pods on VPC addresses (aws-vpc-cni), services 10.96.0.0/12; Kubernetes 1.36.5.');
  });
});
