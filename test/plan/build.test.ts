import { buildPlan, nodeSubnetName, PLAN_WARNINGS } from '../../lib/plan/build';
import type { Plan } from '../../lib/plan/types';
import { BASE_DAEMON_IMAGE, type Mutate, specOf, toEks, validate } from '../util/intent';
import { VERSIONS } from '../../lib/versions';

/** The plan of `baseIntent()` after `mutate`, with the validation findings passed in as the CLI does. */
function planOf(mutate: Mutate = () => undefined): Plan {
  const r = validate(mutate);
  if (!r.intent) throw new Error(r.findings.map((f) => f.message).join('; '));
  return buildPlan(r.intent, { model: r.model, findings: r.findings });
}

describe('buildPlan', () => {
  test('node groups: the primary ENI in the node subnet of the zone, secondary ENIs by device index', () => {
    // GIVEN the base intent (workers carry multus0 in multus-a, zone a)
    // WHEN
    const plan = planOf();
    // THEN
    expect(plan.nodeGroups).toEqual([
      {
        name: 'control-plane', role: 'control-plane', instanceType: 'm6i.large', count: 1, zones: ['a', 'b'], networks: [],
        enis: [{ deviceIndex: 0, name: 'primary', subnet: 'node-a,node-b', ipv4PrefixCount: 0, addressesPerNode: 1, sourceDestCheck: true }],
      },
      {
        name: 'workers', role: 'worker', instanceType: 'm6i.large', count: 2, zones: ['a'],
        networks: ['dcjeon/whereabouts-eth1-conf', 'default/ipvlan-conf'],
        enis: [
          { deviceIndex: 0, name: 'primary', subnet: 'node-a', subnetCidr: '10.0.0.0/20', ipv4PrefixCount: 0, addressesPerNode: 1, sourceDestCheck: true },
          { deviceIndex: 1, name: 'multus0', nodeLabel: 'multinic.dev/interface-multus0', subnet: 'multus-a', subnetCidr: '10.0.128.0/24', ipv4PrefixCount: 0, addressesPerNode: 1, sourceDestCheck: true },
        ],
      },
    ]);
  });

  test('subnets: node subnets per zone, then spec.subnets, with the addresses the ENIs take', () => {
    // GIVEN workers with 2 prefixes on multus0 and a reservation in multus-a
    const plan = planOf((i) => {
      specOf(i).nodeGroups[1].interfaces![0].ipv4PrefixCount = 2;
      specOf(i).subnets[0].podCidrReservation = '10.0.128.128/25';
    });
    // THEN 2 nodes + 1 rolling-update surge, x (1 + 2 x 16) addresses in multus-a; 128 reserved of 256
    expect(plan.subnets).toEqual([
      { name: 'node-a', kind: 'node', zone: 'a', cidr: '10.0.0.0/20', usable: 4091, used: 4, enis: ['control-plane/primary', 'workers/primary'] },
      { name: 'node-b', kind: 'node', zone: 'b', cidr: '10.0.16.0/20', usable: 4091, used: 1, enis: ['control-plane/primary'] },
      { name: 'multus-a', kind: 'secondary', zone: 'a', cidr: '10.0.128.0/24', reservation: '10.0.128.128/25', usable: 123, used: 99, enis: ['workers/multus0'] },
    ]);
  });

  test('networks: plugin, master, IPAM pools and capacity, carrying groups, attached workloads and namespaces', () => {
    const plan = planOf();
    expect(plan.networks).toEqual([
      {
        key: 'default/ipvlan-conf', name: 'ipvlan-conf', namespace: 'default', plugin: 'ipvlan', mode: 'l2', master: 'multus0',
        ipam: { type: 'host-local', scope: 'node', capacity: 17, pools: [{ subnet: '192.168.1.0/24', range: '192.168.1.200-192.168.1.216', gateway: '192.168.1.1', excludes: [], capacity: 17 }] },
        nodeGroups: ['workers'], workloads: ['default/multus-sample-pod'], pods: 1, namespaces: ['default'], ingress: [], securityGroupRules: 0,
      },
      {
        key: 'dcjeon/whereabouts-eth1-conf', name: 'whereabouts-eth1-conf', namespace: 'dcjeon', plugin: 'ipvlan', mode: 'l2', master: 'multus0',
        ipam: { type: 'whereabouts', scope: 'cluster', capacity: 251, pools: [{ subnet: '10.4.128.0/24', range: '10.4.128.1-10.4.128.254', excludes: ['10.4.128.0/30'], capacity: 251 }] },
        nodeGroups: ['workers'], workloads: ['dcjeon/ubuntu-whereabouts-deploy'], pods: 2, namespaces: ['dcjeon'], ingress: [], securityGroupRules: 0,
      },
    ]);
  });

  test('policy: each rule as a line, the security group\'s rule count (none without an ENI)', () => {
    const plan = planOf((i) => {
      specOf(i).networks[1].ingress = [{ pods: { app: 'ubuntu' }, from: [{ pods: { app: 'ubuntu' } }, { cidr: '10.9.0.0/24' }], ports: [{ port: 80 }], icmp: true }];
    });
    expect(plan.networks[1].ingress).toEqual(['to pods app=ubuntu from pods app=ubuntu in dcjeon; 10.9.0.0/24 on TCP 80, ICMP']);
    // 6 blocks of the whereabouts range + 1 CIDR, each for TCP 80 and ICMP
    expect(plan.networks[1].securityGroupRules).toBe(14);
    expect(plan.networks[0].ingress).toEqual([]);
  });

  test('policy daemon: the image and the plugin types it polices; none without a network', () => {
    expect(planOf().policyDaemon).toEqual({ image: BASE_DAEMON_IMAGE, networkPlugins: ['ipvlan'] });
    expect(planOf((i) => { delete i.spec.policy; }).policyDaemon?.image).toBe(VERSIONS.multiNetworkPolicy.image);
    const none = planOf((i) => { const s = specOf(i); s.networks = []; s.workloads = []; s.services = []; s.configMaps = []; });
    expect(none.policyDaemon).toBeUndefined();
  });

  test('a bridge network has no master and is on every worker group; a workload attached across namespaces lists both', () => {
    // GIVEN a bridge network in "default" that the dcjeon Deployment also attaches (qualified)
    const plan = planOf((i) => {
      specOf(i).networks.push({ name: 'br', namespace: 'default', type: 'bridge', ipam: { type: 'whereabouts', range: '10.5.0.0/24' } });
      specOf(i).workloads[1].networks = ['whereabouts-eth1-conf', 'default/br@br1'];
    });
    // THEN
    const br = plan.networks[2];
    expect([br.plugin, br.mode, br.master, br.nodeGroups, br.workloads, br.namespaces]).toEqual(['bridge', 'cni0', undefined, ['workers'], ['dcjeon/ubuntu-whereabouts-deploy'], ['dcjeon', 'default']]);
    expect(plan.workloads[1].attachments).toEqual([
      { text: 'whereabouts-eth1-conf', network: 'dcjeon/whereabouts-eth1-conf', ifname: 'net1' },
      { text: 'default/br@br1', network: 'default/br', ifname: 'br1' },
    ]);
    expect(plan.workloads[1].masters).toEqual(['multus0']);
  });

  test('workloads land on the worker groups that carry every master; none when no group does', () => {
    // GIVEN a second worker group without interfaces, and the Pod's network moved to a master nobody carries
    const plan = planOf((i) => {
      specOf(i).nodeGroups.push({ name: 'plain', role: 'worker', instanceType: 'm6i.large', count: 1, interfaces: [], labels: {} });
      (specOf(i).networks[0] as { master: string }).master = 'multus9';
      specOf(i).workloads.push({ kind: 'Pod', name: 'nonet', namespace: 'default', networks: [], container: { image: 'busybox:1.36' } });
    });
    // THEN
    expect(plan.workloads.map((w) => [w.key, w.masters, w.nodeGroups])).toEqual([
      ['default/multus-sample-pod', ['multus9'], []],
      ['dcjeon/ubuntu-whereabouts-deploy', ['multus0'], ['workers']],
      ['default/nonet', [], ['workers', 'plain']],
    ]);
  });

  test('warnings: validation warnings with their line, then the plan\'s capacity checks', () => {
    // GIVEN a privileged container (a warning), 300 workers x 1 address in a /24, and 3 replicas on a 2-address pool
    const plan = planOf((i) => {
      specOf(i).workloads[0].container.privileged = true;
      specOf(i).nodeGroups[1].count = 300;
      specOf(i).networks[1].ipam = { type: 'whereabouts', range: '10.4.128.0/30' };
      (specOf(i).workloads[1] as { replicas: number }).replicas = 3;
    });
    // THEN (other rules' warnings left out: this test is about how warnings get into the plan)
    const ids: string[] = ['multinic:PrivilegedContainer', PLAN_WARNINGS.subnetFull, PLAN_WARNINGS.poolFull];
    expect(plan.warnings.filter((w) => ids.includes(w.id)).map((w) => [w.id, w.source, w.message])).toEqual([
      ['multinic:PrivilegedContainer', 'validation', expect.stringContaining('spec.workloads[0].container.privileged')],
      [PLAN_WARNINGS.subnetFull, 'plan', 'subnet multus-a (10.0.128.0/24) has 251 assignable addresses but the planned ENIs take 301, with one more node per worker group during a rolling update (workers/multus0)'],
      [PLAN_WARNINGS.poolFull, 'plan', 'network dcjeon/whereabouts-eth1-conf: 3 pods attach but the whereabouts pool hands out 2 addresses'],
    ]);
    expect(plan.warnings.find((w) => w.id === 'multinic:PrivilegedContainer')?.line).toEqual(expect.any(Number));
  });

  test('totals add nodes, ENIs (per node), networks and pods', () => {
    expect(planOf().totals).toEqual({ nodes: 3, enis: 5, networks: 2, pods: 3 });
  });

  test('deterministic: the same intent gives the same plan, byte for byte', () => {
    expect(JSON.stringify(planOf())).toBe(JSON.stringify(planOf()));
  });

  test('does not throw on a structurally valid intent whose values do not parse (rules report them)', () => {
    // GIVEN a VPC of one address, a bad subnet CIDR and a bad pool
    const r = validate((i) => {
      specOf(i).vpc = { cidr: '10.0.0.0/32', zones: ['a', 'b', 'c'], mtu: 9001 };
      specOf(i).subnets[0].cidr = '10.0.128.0/33';
      specOf(i).networks[1].ipam = { type: 'whereabouts', range: 'nonsense' };
    });
    // WHEN / THEN
    expect(r.valid).toBe(false);
    const plan = buildPlan(r.intent!, { findings: r.findings });
    expect(plan.subnets.map((s) => [s.name, s.usable])).toEqual([['multus-a', 0]]);
    expect(plan.networks[1].ipam.pools).toEqual([]);
  });

  test('nodeSubnetName names the primary-ENI subnet of a zone', () => {
    expect(nodeSubnetName('b')).toBe('node-b');
  });
});

describe('buildPlan: flavour eks', () => {
  test('the cluster names EKS and the VPC CNI; workers get their VPC CNI capacity; the node subnet counts pod addresses', () => {
    const r = validate(toEks);
    if (!r.intent) throw new Error('invalid');
    const plan = buildPlan(r.intent);
    expect(plan.cluster.flavour).toBe('eks');
    expect(plan.cluster.network.conflist).toBe('10-aws.conflist');
    expect(plan.nodeGroups.map((g) => [g.name, g.vpcCni])).toEqual([['workers', { enis: 2, podAddresses: 18, maxPods: 22 }]]);
    // (2 nodes + 1 rolling-update surge) x 2 ENIs x 10 addresses in zone a (the zone of multus0); nothing in zone b
    expect(plan.subnets.filter((s) => s.kind === 'node').map((s) => s.used)).toEqual([60, 0]);
  });

  test('kubeadm plans carry no VPC CNI capacity and one node-subnet address per node', () => {
    const plan = buildPlan(validate().intent!);
    expect(plan.cluster.flavour).toBe('kubeadm');
    expect(plan.nodeGroups.every((g) => g.vpcCni === undefined)).toBe(true);
  });
});
