import { diffIntents, EMPTY_PLAN, fieldChanges, pairBy, show } from '../../lib/diff/diff';
import type { Change } from '../../lib/diff/types';
import type { NetworkIntent } from '../../lib/intent/types';
import { BASE_DAEMON_IMAGE, eks, type Mutate, specOf, toEks, validate } from '../util/intent';

/** `baseIntent()` after `mutate`, parsed. */
function intentOf(mutate: Mutate = () => undefined): NetworkIntent {
  const r = validate(mutate);
  if (!r.intent) throw new Error(r.findings.map((f) => f.message).join('; '));
  return r.intent;
}

/** The changes from `baseIntent()` to `baseIntent()` after `mutate`, without the capacity ones unless asked. */
function changesFor(mutate: Mutate, withCapacity = false): Change[] {
  return diffIntents(intentOf(), intentOf(mutate)).changes.filter((c) => withCapacity || c.subject !== 'capacity');
}

describe('diffIntents', () => {
  test('no change, no changes', () => {
    const d = diffIntents(intentOf(), intentOf(), { base: 'a.yaml', head: 'b.yaml' });
    expect(d).toEqual({ base: 'a.yaml', head: 'b.yaml', changes: [], replacements: [] });
  });

  test('a network added and one removed', () => {
    expect(changesFor((i) => {
      specOf(i).networks[0] = { name: 'br', namespace: 'default', type: 'bridge', ipam: { type: 'whereabouts', range: '10.5.0.0/24' } };
      specOf(i).workloads[0].networks = ['br'];
    }).filter((c) => c.subject === 'network')).toEqual([
      { subject: 'network', kind: 'added', key: 'default/br', details: ['bridge cni0, whereabouts 10.5.0.1-10.5.0.254'], effect: 'New NetworkAttachmentDefinition.', replaces: [] },
      { subject: 'network', kind: 'removed', key: 'default/ipvlan-conf', details: ['ipvlan l2 on multus0, host-local 192.168.1.200-192.168.1.216'], effect: 'NetworkAttachmentDefinition deleted; 1 pod(s) attached to it no longer start.', replaces: [] },
    ]);
  });

  test('a network\'s range, plugin and master change field by field; pods keep the old config until recreated', () => {
    // GIVEN a second interface for the new master
    const changes = changesFor((i) => {
      specOf(i).nodeGroups[1].interfaces!.push({ name: 'multus1', subnet: 'multus-a' });
      Object.assign(specOf(i).networks[1], { type: 'macvlan', master: 'multus1', mode: 'bridge' });
      specOf(i).networks[1].ipam = { type: 'whereabouts', range: '10.4.128.0/23', exclude: ['10.4.128.0/30'] };
    });
    expect(changes.find((c) => c.subject === 'network')).toEqual({
      subject: 'network', kind: 'changed', key: 'dcjeon/whereabouts-eth1-conf',
      details: ['type: ipvlan -> macvlan', 'master: multus0 -> multus1', 'mode: l2 -> bridge', 'ipam.range: 10.4.128.0/24 -> 10.4.128.0/23'],
      effect: 'NetworkAttachmentDefinition updated; Multus reads it when a pod starts, so the 2 attached pod(s) keep the old configuration until recreated.',
      replaces: [],
    });
  });

  test('fields the plan does not show (sbr, cniVersion) still counts', () => {
    const changes = changesFor((i) => { specOf(i).networks[0].sbr = true; specOf(i).networks[0].cniVersion = '0.4.0'; });
    expect(changes.map((c) => c.details)).toEqual([['cniVersion: 1.0.0 -> 0.4.0', 'sbr: false -> true']]);
  });

  test('moving an ENI to another subnet replaces the group\'s instances, and says so', () => {
    const d = diffIntents(intentOf(), intentOf((i) => {
      specOf(i).subnets.push({ name: 'multus-b', cidr: '10.0.129.0/24', zone: 'a' });
      specOf(i).nodeGroups[1].interfaces![0].subnet = 'multus-b';
    }));
    expect(d.changes.find((c) => c.subject === 'eni')).toEqual({
      subject: 'eni', kind: 'changed', key: 'workers/multus0', details: ['subnet: multus-a -> multus-b'],
      effect: 'The ENI moves. ENIs are attached at launch from the launch template: the group\'s nodes are launched anew to apply it.',
      replaces: ['the 2 instances of node group workers'],
    });
    expect(d.replacements).toEqual(['the 2 instances of node group workers']);
  });

  test.each([
    ['an ENI added', (i: Parameters<Mutate>[0]) => { specOf(i).nodeGroups[1].interfaces!.push({ name: 'multus1', subnet: 'multus-a', ipv4PrefixCount: 2 }); }, 'added', 'workers/multus1', ['device 2 in subnet multus-a, 2 /28 prefixes']],
    ['an ENI removed', (i: Parameters<Mutate>[0]) => { specOf(i).nodeGroups[1].interfaces = []; }, 'removed', 'workers/multus0', ['device 1 in subnet multus-a']],
    ['a device index change (an ENI inserted before)', (i: Parameters<Mutate>[0]) => { specOf(i).nodeGroups[1].interfaces!.unshift({ name: 'multus1', subnet: 'multus-a' }); }, 'changed', 'workers/multus0', ['deviceIndex: 1 -> 2']],
  ])('%s replaces the group\'s instances', (_what, mutate, kind, key, details) => {
    const enis = changesFor(mutate).filter((c) => c.subject === 'eni');
    expect(enis.find((c) => c.key === key)).toEqual(expect.objectContaining({ kind, key, details, replaces: ['the 2 instances of node group workers'] }));
  });

  test('a control-plane instance type change is not a replacement: the control plane is never rolled', () => {
    expect(changesFor((i) => { specOf(i).nodeGroups[0].instanceType = 'm6i.xlarge'; })).toEqual([{
      subject: 'nodeGroup', kind: 'changed', key: 'control-plane', details: ['instanceType: m6i.large -> m6i.xlarge'],
      effect: 'The launch template changes, but the running control plane keeps the old one: it is never rolled (a new one would start an empty cluster). Replace it by hand to apply the change.',
      replaces: [],
    }]);
  });

  test('node count scales in place; an instance type change replaces the instances', () => {
    expect(changesFor((i) => { specOf(i).nodeGroups[1].count = 3; })).toEqual([{
      subject: 'nodeGroup', kind: 'changed', key: 'workers', details: ['count: 2 -> 3'],
      effect: 'The Auto Scaling group scales from 2 to 3 nodes; existing nodes stay.', replaces: [],
    }]);
    expect(changesFor((i) => { specOf(i).nodeGroups[1].instanceType = 'm6i.xlarge'; })).toEqual([{
      subject: 'nodeGroup', kind: 'changed', key: 'workers', details: ['instanceType: m6i.large -> m6i.xlarge'],
      effect: 'The launch template (instance type, role) or the zone of the Auto Scaling group changes: nodes are launched anew, one at a time.',
      replaces: ['the 2 instances of node group workers'],
    }]);
  });

  test('a subnet CIDR change replaces the subnet and the instances with ENIs in it', () => {
    const c = changesFor((i) => { specOf(i).subnets[0].cidr = '10.0.130.0/24'; }).find((x) => x.subject === 'subnet');
    expect(c?.details).toEqual(['cidr: 10.0.128.0/24 -> 10.0.130.0/24']);
    expect(c?.replaces).toEqual(['subnet multus-a', 'the 2 instances of node group workers']);
  });

  test('a workload whose attachments change is listed; a Deployment rolls, a Pod is recreated', () => {
    const changes = changesFor((i) => {
      specOf(i).workloads[0].networks = ['ipvlan-conf@eth9'];
      specOf(i).workloads[1].networks = [];
    });
    expect(changes.map((c) => [c.key, c.details, c.effect])).toEqual([
      ['default/multus-sample-pod', ['networks: default/ipvlan-conf as net1 -> default/ipvlan-conf as eth9'], 'A running Pod\'s networks cannot change: the Pod is deleted and created again.'],
      ['dcjeon/ubuntu-whereabouts-deploy', ['networks: dcjeon/whereabouts-eth1-conf as net1 -> none'], 'The pod template changes (networks annotation, node affinity): the Deployment rolls its pods.'],
    ]);
  });

  test('a container change (image, command, ports) or a label change is listed: a Deployment rolls, a Pod is recreated', () => {
    const changes = changesFor((i) => {
      specOf(i).workloads[0].container.image = 'docker.io/library/alpine:3.21';
      specOf(i).workloads[1].container.ports = [80, 443];
      specOf(i).workloads[1].labels = { app: 'ubuntu', tier: 'web' };
    });
    expect(changes.map((c) => [c.subject, c.key, c.details, c.effect])).toEqual([
      ['workload', 'default/multus-sample-pod', ['container.image: docker.io/library/alpine:3.20 -> docker.io/library/alpine:3.21'], 'A running Pod\'s networks cannot change: the Pod is deleted and created again.'],
      ['workload', 'dcjeon/ubuntu-whereabouts-deploy', ['labels: {"app":"ubuntu"} -> {"app":"ubuntu","tier":"web"}', 'container.ports: [80] -> [80,443]'], 'The pod template changes (container or labels): the Deployment rolls its pods.'],
    ]);
  });

  test('Services: added, removed and changed (ports, selector, network)', () => {
    const changes = changesFor((i) => {
      specOf(i).services[0].ports = [{ port: 8080, targetPort: 80 }];
      specOf(i).services[0].network = 'whereabouts-eth1-conf';
      specOf(i).services.push({ name: 'web', namespace: 'default', selector: { app: 'web' }, ports: [{ port: 443 }] });
    });
    expect(changes.map((c) => [c.kind, c.key, c.details])).toEqual([
      ['changed', 'dcjeon/ubuntu-svc', ['ports: 80/TCP -> 8080->80/TCP', 'network: (unset) -> whereabouts-eth1-conf']],
      ['added', 'default/web', ['ports 443/TCP, selector app=web']],
    ]);
    const removed = changesFor((i) => { specOf(i).services = []; });
    expect(removed.map((c) => [c.subject, c.kind, c.key, c.effect])).toEqual([['service', 'removed', 'dcjeon/ubuntu-svc', 'Service deleted: its ClusterIP stops answering.']]);
  });

  test('ConfigMaps: a changed page is listed by key with its length, not its content', () => {
    const changes = changesFor((i) => { specOf(i).configMaps[0].data = { 'index.html': 'hello, world\n', 'extra.txt': 'x' }; });
    expect(changes.map((c) => [c.subject, c.kind, c.key, c.details])).toEqual([
      ['configMap', 'changed', 'dcjeon/ubuntu-html', ['index.html: changed (6 -> 13 characters)', 'extra.txt: added (1 characters)']],
    ]);
    expect(changes[0].effect).toMatch(/refreshes mounted files/);
  });

  test('capacity changes: a pool that shrinks below the pods attached, and subnet use (2 workers + 1 rolling-update surge)', () => {
    const changes = changesFor((i) => {
      specOf(i).networks[1].ipam = { type: 'whereabouts', range: '10.4.128.0/31' };
      specOf(i).nodeGroups[1].interfaces![0].ipv4PrefixCount = 1;
    }, true).filter((c) => c.subject === 'capacity');
    expect(changes.map((c) => [c.key, c.details, c.effect])).toEqual([
      ['subnet multus-a', ['used 3 of 251 -> 51 of 251 addresses'], '200 addresses left.'],
      ['network dcjeon/whereabouts-eth1-conf', ['251 addresses in the cluster -> 2 addresses in the cluster'], '2 pod(s) attach.'],
    ]);
  });

  test('VPC CIDR and cluster settings', () => {
    const changes = changesFor((i) => { specOf(i).vpc.cidr = '10.1.0.0/16'; specOf(i).subnets[0].cidr = '10.1.128.0/24'; specOf(i).cluster.kubernetesVersion = '1.36.6'; });
    expect(changes.filter((c) => c.subject === 'cluster').map((c) => [c.key, c.details, c.replaces])).toEqual([
      ['vpc', ['vpc.cidr: 10.0.0.0/16 -> 10.1.0.0/16'], ['the VPC and every subnet, ENI and instance in it']],
      ['cluster', ['cluster.kubernetesVersion: 1.36.5 -> 1.36.6'], ['the 1 instance of node group control-plane', 'the 2 instances of node group workers']],
    ]);
  });

  test('a new intent file (no base): everything is added', () => {
    const d = diffIntents(undefined, intentOf(), { base: 'main', head: 'intent.yaml' });
    expect(d.changes.map((c) => `${c.kind} ${c.subject} ${c.key}`)).toEqual([
      'added cluster rules-test', 'added subnet node-a', 'added subnet node-b', 'added subnet multus-a', 'added nodeGroup control-plane', 'added nodeGroup workers',
      'added network default/ipvlan-conf', 'added network dcjeon/whereabouts-eth1-conf', 'added workload default/multus-sample-pod', 'added workload dcjeon/ubuntu-whereabouts-deploy',
      'added service dcjeon/ubuntu-svc', 'added configMap dcjeon/ubuntu-html',
    ]);
    expect(EMPTY_PLAN.totals.nodes).toBe(0);
  });
});

describe('helpers', () => {
  test('show: strings bare, others as JSON, missing as (unset)', () => {
    expect([show('a'), show(1), show([1, 'b']), show(undefined)]).toEqual(['a', '1', '[1,"b"]', '(unset)']);
  });

  test('fieldChanges: only differing fields, nested ones one level down', () => {
    expect(fieldChanges({ a: 1, b: { c: 1, d: 2 }, e: 'x' }, { a: 1, b: { c: 1, d: 3 }, f: 'y' }, 'p.', ['b'])).toEqual(['p.b.d: 2 -> 3', 'p.e: x -> (unset)', 'p.f: (unset) -> y']);
  });

  test('pairBy: head order, then what only the base has', () => {
    expect(pairBy(['a', 'b', 'c'], ['c', 'd', 'a'], (x) => x)).toEqual([['c', 'c', 'c'], ['d', undefined, 'd'], ['a', 'a', 'a'], ['b', 'b', undefined]]);
  });
});

describe('diffIntents: the cluster flavour', () => {
  const parsed = (mutate: Mutate) => {
    const r = validate(mutate);
    if (!r.intent) throw new Error('invalid');
    return r.intent;
  };

  test('kubeadm -> eks replaces the cluster stack and says which cluster network each side uses', () => {
    const d = diffIntents(parsed(() => undefined), parsed(toEks));
    const c = d.changes.find((x) => x.subject === 'cluster' && x.key === 'cluster');
    expect(c?.details).toEqual(expect.arrayContaining(['cluster.flavour: kubeadm -> eks', 'cluster.primaryCni: calico -> aws-vpc-cni']));
    expect(c?.effect).toContain('cluster network calico -> aws-vpc-cni');
    expect(c?.replaces[0]).toBe('the cluster stack: control plane and every node');
  });

  test('eks: a minor upgrade is done in place by EKS, a patch or podCidr change does nothing, a service CIDR change rebuilds', () => {
    const base = parsed(toEks);
    const minor = diffIntents(base, parsed(eks((i) => { i.spec.cluster.kubernetesVersion = '1.35.9'; })));
    expect(minor.changes[0].effect).toMatch(/^EKS upgrades the control plane in place \(1\.36 -> 1\.35/);
    const patch = diffIntents(base, parsed(eks((i) => { i.spec.cluster.kubernetesVersion = '1.36.9'; i.spec.cluster.podCidr = '172.17.0.0/16'; })));
    expect(patch.changes[0].replaces).toEqual([]);
    const svc = diffIntents(base, parsed(eks((i) => { i.spec.cluster.serviceCidr = '172.20.0.0/16'; })));
    expect(svc.changes[0].replaces[0]).toBe('the EKS cluster');
  });
});

describe('diffIntents: policy', () => {
  const parse = intentOf;
  const spec = specOf;

  test('GIVEN a rule added and one widened THEN one policy change per network, rule by rule, applied in place', () => {
    const a = parse((i) => { spec(i).networks[1].ingress = [{ from: [{ pods: { app: 'ubuntu' } }], ports: [{ port: 80 }] }]; });
    const b = parse((i) => {
      spec(i).networks[1].ingress = [{ from: [{ pods: { app: 'ubuntu' } }], ports: [{ port: 80 }], icmp: true }];
      spec(i).networks[0].ingress = [{ from: [{ cidr: '10.9.0.0/24' }], ports: [{ port: 22 }] }];
    });
    const changes = diffIntents(a, b).changes.filter((c) => c.subject === 'policy');
    expect(changes.map((c) => [c.key, c.kind, c.details])).toEqual([
      ['default/ipvlan-conf', 'changed', ['+ to every pod from 10.9.0.0/24 on TCP 22', 'security group rules: 0 -> 1']],
      ['dcjeon/whereabouts-eth1-conf', 'changed', ['- to every pod from pods app=ubuntu in dcjeon on TCP 80', '+ to every pod from pods app=ubuntu in dcjeon on TCP 80, ICMP', 'security group rules: 6 -> 12']],
    ]);
    expect(changes[1].effect).toBe('The network\'s MultiNetworkPolicy objects change: the daemon rewrites the rules of running pods within seconds, no pod restarts. Its security group rules change in place; no instance is replaced. ICMP rules live in the daemon\'s custom rules: the DaemonSet rolls, node by node.');
    expect(changes.every((c) => c.replaces.length === 0)).toBe(true);
    // AND the network itself is not reported changed for its rules
    expect(diffIntents(a, b).changes.filter((c) => c.subject === 'network')).toEqual([]);
  });

  test('GIVEN every rule removed THEN the effect says the network is closed', () => {
    const a = parse((i) => { spec(i).networks[1].ingress = [{ from: [{ pods: { app: 'ubuntu' } }], ports: [{ port: 80 }] }]; });
    const [c] = diffIntents(a, parse()).changes.filter((x) => x.subject === 'policy');
    expect(c.details).toEqual(['- to every pod from pods app=ubuntu in dcjeon on TCP 80', 'security group rules: 6 -> 0']);
    expect(c.effect).toContain('the network is closed to every peer');
  });

  test('GIVEN the daemon image changed and a plugin type added THEN one change of the daemon, which rolls', () => {
    const published = 'public.ecr.aws/example/multi-networkpolicy-iptables:cbf2b11@sha256:' + 'ab'.repeat(32);
    const b = parse((i) => { i.spec.policy = { daemonImage: published }; spec(i).networks[0] = { ...spec(i).networks[0], type: 'macvlan', mode: 'bridge' } as never; });
    const [c, ...rest] = diffIntents(parse(), b).changes.filter((x) => x.key === 'multi-networkpolicy daemon');
    expect(rest).toEqual([]);
    expect([c.subject, c.kind, c.details]).toEqual(['policy', 'changed', [
      `image: ${BASE_DAEMON_IMAGE} -> ${published}`, '--network-plugins: ipvlan -> ipvlan,macvlan',
    ]]);
    expect(c.effect).toContain('DaemonSet rolls');
    expect(c.replaces).toEqual([]);
  });

  test('GIVEN the same daemon THEN no daemon change', () => {
    expect(diffIntents(parse(), parse()).changes.filter((x) => x.key === 'multi-networkpolicy daemon')).toEqual([]);
  });
});
