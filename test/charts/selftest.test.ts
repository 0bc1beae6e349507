import { App, Testing } from 'cdk8s';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { addCharts, synthManifests } from '../../charts/app';
import { NetworksChart } from '../../charts/networks/networks-chart';
import { SelftestChart } from '../../charts/selftest/selftest-chart';
import { buildModel } from '../../lib/model/model';
import { CLIENT_SCRIPT, SELFTEST_DEFAULTS, SELFTEST_IMAGE, SELFTEST_NAMESPACE, selftestNetworks } from '../../lib/selftest';
import { defaultIntent, defaultModel } from '../util/default-model';
import { validateManifests } from '../util/k8s-schema';

describe('SelftestChart', () => {
  // GIVEN the default intent (4 ipvlan networks on multus0, two workers)
  const model = defaultModel();
  const app = Testing.app();
  const networks = new NetworksChart(app, 'networks', { model });
  const chart = new SelftestChart(app, 'selftest', { model, attachments: networks.attachments });
  const objects = Testing.synth(chart);
  const byName = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const routable = chart.networks.find((n) => n.network.key === 'redhet-demo/routable-net')!;

  test('every object passes schema validation', () => {
    expect(validateManifests([...Testing.synth(networks), ...objects])).toEqual([]);
  });

  test('per network two server Pods and two client Jobs, all in multinic-selftest, beside one ServiceAccount, Role, RoleBinding', () => {
    expect(objects.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata.namespace === SELFTEST_NAMESPACE)).toBe(true);
    expect(objects.filter((o) => o.kind === 'Pod').map((o) => o.metadata.name)).toEqual(chart.networks.flatMap((n) => [`${n.id}-server-a`, `${n.id}-server-b`]));
    expect(objects.filter((o) => o.kind === 'Job').map((o) => o.metadata.name)).toEqual(chart.networks.flatMap((n) => [`${n.id}-attached`, `${n.id}-unattached`]));
    expect(objects.filter((o) => !['Pod', 'Job'].includes(o.kind)).map((o) => o.kind)).toEqual(['Namespace', 'ServiceAccount', 'Role', 'RoleBinding']);
    expect(chart.networks.map((n) => n.network.key)).toEqual(model.networks.map((n) => n.key));
  });

  test('least privilege: the Role allows get on the server pods by name, nothing else; only the clients mount a token', () => {
    const role = byName('Role', 'multinic-selftest-client')!;
    expect(role.rules.every((r: any) => r.verbs.join() === 'get' && r.resources.join() === 'pods' && r.apiGroups.join() === '')).toBe(true);
    expect(role.rules.flatMap((r: any) => r.resourceNames).sort()).toEqual(chart.networks.flatMap((n) => n.servers.map((s) => s.pod)).sort());
    const binding = objects.find((o) => o.kind === 'RoleBinding')!;
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'multinic-selftest-client' });
    expect(binding.subjects).toEqual([{ apiGroup: '', kind: 'ServiceAccount', name: 'multinic-selftest-client', namespace: SELFTEST_NAMESPACE }]);
    expect(objects.filter((o) => o.kind === 'Pod').map((o) => o.spec.automountServiceAccountToken)).toEqual(Array(8).fill(false));
    expect(objects.filter((o) => o.kind === 'Job').map((o) => [o.spec.template.spec.serviceAccountName, o.spec.template.spec.automountServiceAccountToken]))
      .toEqual(Array(8).fill(['multinic-selftest-client', true]));
  });

  test('servers: the NAD object as net1, required node affinity to the master label, server B kept off server A\'s node', () => {
    const a = byName('Pod', `${routable.id}-server-a`)!;
    const b = byName('Pod', `${routable.id}-server-b`)!;
    for (const p of [a, b]) {
      expect(JSON.parse(p.metadata.annotations['k8s.v1.cni.cncf.io/networks'])).toEqual([{ name: 'routable-net', namespace: 'redhet-demo' }]);
      expect(p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
        .toEqual([{ matchExpressions: [{ key: 'multinic.dev/interface-multus0', operator: 'In', values: ['true'] }] }]);
      expect(p.spec.containers[0].image).toBe(SELFTEST_IMAGE);
      expect(p.spec.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
    }
    const anti = b.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution;
    expect(anti).toHaveLength(1);
    expect(anti[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(Object.entries(anti[0].labelSelector.matchLabels).every(([k, v]) => a.metadata.labels[k] === v)).toBe(true);
  });

  test.each([['attached', true], ['unattached', false]] as const)('client %s: on server A\'s node, the script and its env, net1 only when attached', (client, attached) => {
    const job = byName('Job', `${routable.id}-${client}`)!;
    const spec = job.spec.template.spec;
    const a = byName('Pod', `${routable.id}-server-a`)!;
    expect(job.spec.backoffLimit).toBe(0);
    expect(job.spec.activeDeadlineSeconds).toBe(SELFTEST_DEFAULTS.activeDeadlineSeconds);
    expect(spec.restartPolicy).toBe('Never');
    const co = spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution;
    expect(co[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(Object.entries(co[0].labelSelector.matchLabels).every(([k, v]) => a.metadata.labels[k] === v)).toBe(true);
    const annotations = job.spec.template.metadata.annotations ?? {};
    expect(annotations['k8s.v1.cni.cncf.io/networks'] === undefined).toBe(!attached);
    const c = spec.containers[0];
    expect(c.command).toEqual(['/bin/bash', '-c', CLIENT_SCRIPT]);
    expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_RAW'] });
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom.fieldRef.fieldPath]));
    expect(env).toEqual({
      NETWORK: 'redhet-demo/routable-net', NAD: 'redhet-demo/routable-net', CLIENT: client,
      SERVERS: `${routable.id}-server-a ${routable.id}-server-b`,
      CASES: attached
        ? `${routable.id}-server-a:eth0:pass ${routable.id}-server-a:net1:pass ${routable.id}-server-b:eth0:pass ${routable.id}-server-b:net1:pass`
        : `${routable.id}-server-a:eth0:pass ${routable.id}-server-a:net1:fail ${routable.id}-server-b:eth0:pass ${routable.id}-server-b:net1:fail`,
      WAIT_SECONDS: '300', PING_COUNT: '3', PING_TIMEOUT: '1', POD_NAME: 'metadata.name', NODE_NAME: 'spec.nodeName',
    });
  });
});

describe('addCharts / synthManifests with the self-test', () => {
  test('withSelftest adds the chart last, after the workloads; without it there is none', () => {
    const names = (withSelftest: boolean) => addCharts(Testing.app(), defaultModel(), { withSelftest }).map((c) => c.node.id);
    expect(names(true)).toEqual(['multus', 'networks', 'workloads', 'selftest']);
    expect(names(false)).toEqual(['multus', 'networks', 'workloads']);
  });

  test('no network on a node interface: nothing to test, no chart', () => {
    const intent = defaultIntent();
    const noMasters = { ...intent, spec: { ...intent.spec, nodeGroups: intent.spec.nodeGroups.map((g) => ({ ...g, interfaces: [] })) } };
    expect(selftestNetworks(buildModel(noMasters))).toEqual([]);
    expect(addCharts(new App(), buildModel(noMasters), { withSelftest: true }).map((c) => c.node.id)).not.toContain('selftest');
  });

  test('synthManifests writes 0004-selftest.k8s.yaml whose objects all validate', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-selftest-synth-'));
    try {
      const files = synthManifests(defaultIntent(), path.join(dir, 'out'), {}, { withSelftest: true });
      expect(files).toEqual(['0000-multus.k8s.yaml', '0002-networks.k8s.yaml', '0003-workloads.k8s.yaml', '0004-selftest.k8s.yaml']);
      const all = files.flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, 'out', f), 'utf8')).map((d) => d.toJSON()));
      expect(validateManifests(all)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
