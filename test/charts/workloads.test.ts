import * as fs from 'node:fs';
import { Testing } from 'cdk8s';
import { parse, stringify } from 'yaml';
import { defaultIntentPath } from '../../lib/intent/load';
import { validateText } from '../../lib/intent/validate';
import { NetworksChart } from '../../charts/networks/networks-chart';
import { WorkloadsChart } from '../../charts/workloads/workloads-chart';
import { defaultModel, seedFaithfulModel } from '../util/default-model';
import { validateManifests } from '../util/k8s-schema';

describe('WorkloadsChart', () => {
  // GIVEN the default intent
  const model = defaultModel();
  const app = Testing.app();
  const networks = new NetworksChart(app, 'networks', { model });
  const chart = new WorkloadsChart(app, 'workloads', { model, attachments: networks.attachments });
  const objects = Testing.synth(chart);
  const byName = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const podSpec = (o: { kind: string; spec: any }) => (o.kind === 'Pod' ? o.spec : o.spec.template.spec);
  const podAnnotations = (o: { kind: string; metadata: any; spec: any }) => (o.kind === 'Pod' ? o.metadata.annotations : o.spec.template.metadata.annotations);

  test('every bare Pod, and nothing else, carries multinic.dev/pod-spec naming itself (how a changed Pod is replaced)', () => {
    const stamped = objects.filter((o) => o.metadata.annotations?.['multinic.dev/pod-spec'] !== undefined);
    expect(stamped.map((o) => o.metadata.annotations['multinic.dev/pod-spec'].replace(/[0-9a-f]{16}$/, 'HASH'))).toEqual([
      'default/multus-sample-pod/HASH', 'redhet-demo/ipvlan-whereabouts-client/HASH', 'redhet-demo/ipvlan-whereabouts-client-nonet/HASH',
    ]);
    expect(stamped.every((o) => o.kind === 'Pod')).toBe(true);
    // WHEN a Pod's command changes THEN its value changes, and the other Pods' values do not
    const changed = defaultModel();
    const edited = { ...changed, workloads: changed.workloads.map((w) => (w.workload.name === 'multus-sample-pod'
      ? { ...w, workload: { ...w.workload, container: { ...w.workload.container, command: ['sleep', '1'] } } } : w)) };
    const app2 = Testing.app();
    const net2 = new NetworksChart(app2, 'networks', { model: edited });
    const again = Testing.synth(new WorkloadsChart(app2, 'workloads', { model: edited, attachments: net2.attachments }));
    const value = (os: any[], name: string) => os.find((o) => o.metadata.name === name).metadata.annotations['multinic.dev/pod-spec'];
    expect(value(again, 'multus-sample-pod')).not.toBe(value(objects, 'multus-sample-pod'));
    expect(value(again, 'ipvlan-whereabouts-client')).toBe(value(objects, 'ipvlan-whereabouts-client'));
  });

  test('the seed workloads are all there', () => {
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'ConfigMap redhet-demo/ipvlan-whereabouts-configmap',
      'Pod default/multus-sample-pod',
      'Deployment dcjeon/ubuntu-whereabouts-deploy',
      'Deployment redhet-demo/ipvlan-whereabouts-deploy',
      'Pod redhet-demo/ipvlan-whereabouts-client',
      'Pod redhet-demo/ipvlan-whereabouts-client-nonet',
      'Service redhet-demo/ipvlan-whereabouts-svc',
    ]);
  });

  test.each([
    ['Pod', 'multus-sample-pod', [{ name: 'ipvlan-conf', namespace: 'default' }]],
    ['Deployment', 'ubuntu-whereabouts-deploy', [{ name: 'whereabouts-eth1-conf', namespace: 'dcjeon' }]],
    ['Deployment', 'ipvlan-whereabouts-deploy', [{ name: 'ipvlan-whereabouts-net-attach-def', namespace: 'redhet-demo' }]],
    ['Pod', 'ipvlan-whereabouts-client', [{ name: 'ipvlan-whereabouts-net-attach-def', namespace: 'redhet-demo' }]],
  ])('%s %s: networks annotation names the NAD with its namespace', (kind, name, expected) => {
    const o = byName(kind, name)!;
    expect(JSON.parse(podAnnotations(o)['k8s.v1.cni.cncf.io/networks'])).toEqual(expected);
  });

  test.each([
    ['Pod', 'multus-sample-pod'], ['Deployment', 'ubuntu-whereabouts-deploy'], ['Deployment', 'ipvlan-whereabouts-deploy'], ['Pod', 'ipvlan-whereabouts-client'],
  ])('%s %s: required node affinity to nodes carrying multus0', (kind, name) => {
    expect(podSpec(byName(kind, name)!).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
      .toEqual([{ matchExpressions: [{ key: 'multinic.dev/interface-multus0', operator: 'In', values: ['true'] }] }]);
  });

  // The seed's Deployment of two replicas on Worker1 and Worker2 (issue 19, test 7): one per node carrying the
  // interface, even when the manifests are applied before every worker is ready (the local cluster showed a
  // preference losing to the startup taint: both replicas on the first ready worker).
  test.each([['ubuntu-whereabouts-deploy'], ['ipvlan-whereabouts-deploy']])('Deployment %s: its replicas must spread over the nodes with the interface, tainted ones counted', (name) => {
    const o = byName('Deployment', name)!;
    const own = o.spec.selector.matchLabels;
    expect(podSpec(o).topologySpreadConstraints).toEqual([{
      maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: own },
      matchLabelKeys: ['pod-template-hash'], nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore',
    }]);
    expect(podSpec(o).affinity.podAntiAffinity).toBeUndefined();
  });

  test('Pods get no spread constraint', () => {
    expect(podSpec(byName('Pod', 'multus-sample-pod')!).topologySpreadConstraints).toBeUndefined();
  });

  test('a pod without secondary networks has neither annotation nor affinity', () => {
    const o = byName('Pod', 'ipvlan-whereabouts-client-nonet')!;
    expect(o.metadata.annotations?.['k8s.v1.cni.cncf.io/networks']).toBeUndefined();
    expect(o.spec.affinity).toBeUndefined();
  });

  test('the Service selects the nginx pods on the cluster network: no service-network, which nothing would proxy', () => {
    const svc = byName('Service', 'ipvlan-whereabouts-svc')!;
    expect(svc.metadata.annotations?.['k8s.v1.cni.cncf.io/service-network']).toBeUndefined();
    expect(svc.spec.selector).toEqual({ app: 'ipvlan-whereabouts' });
    expect(svc.spec.ports).toEqual([{ port: 80, targetPort: 80, protocol: 'TCP' }]);
    expect(svc.metadata.labels?.['service.kubernetes.io/service-proxy-name']).toBeUndefined();
    const deploy = byName('Deployment', 'ipvlan-whereabouts-deploy')!;
    expect(deploy.spec.template.metadata.labels).toMatchObject({ app: 'ipvlan-whereabouts' });
  });

  test('the seed-faithful example\'s Service carries the service-network of the NAD object, still served by kube-proxy', () => {
    const faithful = seedFaithfulModel();
    const fApp = Testing.app();
    const fNetworks = new NetworksChart(fApp, 'networks', { model: faithful });
    const fObjects = Testing.synth(new WorkloadsChart(fApp, 'workloads', { model: faithful, attachments: fNetworks.attachments }));
    const svc = fObjects.find((o) => o.kind === 'Service' && o.metadata.name === 'ipvlan-whereabouts-svc')!;
    expect(svc.metadata.annotations).toEqual({ 'k8s.v1.cni.cncf.io/service-network': 'redhet-demo/ipvlan-whereabouts-net-attach-def' });
    // Not handed to multus-proxy (not installed): kube-proxy keeps serving it.
    expect(svc.metadata.labels?.['service.kubernetes.io/service-proxy-name']).toBeUndefined();
  });

  test('the nginx deployment mounts its ConfigMap and no container runs privileged', () => {
    const spec = podSpec(byName('Deployment', 'ipvlan-whereabouts-deploy')!);
    expect(spec.containers[0].volumeMounts).toEqual([expect.objectContaining({ mountPath: '/usr/share/nginx/html' })]);
    const volume = spec.volumes.find((v: any) => v.name === spec.containers[0].volumeMounts[0].name);
    expect(volume.configMap.name).toBe('ipvlan-whereabouts-configmap');
    for (const o of objects.filter((x) => x.kind === 'Pod' || x.kind === 'Deployment')) {
      expect(podSpec(o).containers[0].securityContext.privileged).toBe(false);
      expect(podSpec(o).containers[0].resources.requests).toEqual({ cpu: '50m', memory: '64Mi' });
    }
  });

  test('every object passes Kubernetes schema validation', () => {
    expect(validateManifests(objects)).toEqual([]);
  });
});

describe('WorkloadsChart with names that collide once "-" and "/" are dropped, and a ConfigMap mounted twice', () => {
  // GIVEN an accepted intent with a-b/c beside a/b-c (networks, config maps, workloads, services) and one ConfigMap
  // mounted at two paths
  const d = parse(fs.readFileSync(defaultIntentPath(), 'utf8'));
  d.spec.networks.push(
    { name: 'c', namespace: 'a-b', type: 'bridge', bridge: 'br1', ipam: { type: 'whereabouts', range: '10.7.0.0/24' } },
    { name: 'b-c', namespace: 'a', type: 'bridge', bridge: 'br2', ipam: { type: 'whereabouts', range: '10.8.0.0/24' } },
  );
  d.spec.configMaps.push({ name: 'c', namespace: 'a-b', data: { k: 'v' } }, { name: 'b-c', namespace: 'a', data: { k: 'w' } });
  const pod = (namespace: string, name: string, cm: string) => ({ kind: 'Pod', name, namespace, networks: [name], container: { image: 'docker.io/library/alpine:3.20', mounts: [{ configMap: cm, path: '/one' }, { configMap: cm, path: '/two' }] } });
  d.spec.workloads.push(pod('a-b', 'c', 'c'), pod('a', 'b-c', 'b-c'));
  d.spec.services.push({ name: 'c', namespace: 'a-b', selector: { x: 'y' }, ports: [{ port: 80 }] }, { name: 'b-c', namespace: 'a', selector: { x: 'y' }, ports: [{ port: 80 }] });
  const r = validateText(stringify(d), 'collide.yaml');

  test('validate accepts it, and both charts synthesize every object once', () => {
    expect(r.findings.filter((f) => f.level === 'error')).toEqual([]);
    const app = Testing.app();
    const networks = new NetworksChart(app, 'networks', { model: r.model! });
    const objects = [...Testing.synth(networks), ...Testing.synth(new WorkloadsChart(app, 'workloads', { model: r.model!, attachments: networks.attachments }))];
    const keys = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(keys('NetworkAttachmentDefinition')).toEqual(expect.arrayContaining(['a-b/c', 'a/b-c']));
    for (const kind of ['ConfigMap', 'Pod', 'Service']) expect(keys(kind)).toEqual(expect.arrayContaining(['a-b/c', 'a/b-c']));
    // AND the ConfigMap mounted twice is one volume with two mounts
    const p = objects.find((o) => o.kind === 'Pod' && o.metadata.namespace === 'a' && o.metadata.name === 'b-c');
    expect(p.spec.volumes).toEqual([{ name: 'configmap-b-c', configMap: { name: 'b-c' } }]);
    expect(p.spec.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(['/one', '/two']);
  });
});
