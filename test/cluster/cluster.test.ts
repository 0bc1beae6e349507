/**
 * The local cluster for real (issue 18): the default intent (its macvlan variant on a kernel without ipvlan) on a
 * control plane and kubelet nodes, then a changed intent with a node that joins after the workloads exist, then an
 * intent with several node groups and subnets. One box per intent, brought up once, many assertions.
 *
 * Needs root, namespaces and the built artifacts (MULTINIC_BOX_ARTIFACTS, from `bash cluster/build/build.sh`);
 * skipped otherwise, naming why. A failing test leaves the box's logs in a folder whose path it prints.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Io } from '../../bin/cli';
import { runVerifyK8s } from '../../bin/commands/private/verify-k8s';
import { type Box, boxSupport, startBox } from '../../cluster/testing';
import { listNetns, listProcesses, listCgroups } from '../../cluster/provider/discover';
import { NETWORKS_NOT_READY_TAINT } from '../../lib/readiness';

const support = boxSupport();
const describeBox = support.ok ? describe : describe.skip;
if (!support.ok) {
  // Said once, visibly: the suite is skipped, not passed.
  process.stderr.write(`test/cluster skipped: ${support.reason}\n`);
}

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'cluster');
const DEFAULT = path.join(FIXTURES, 'default-macvlan.yaml');
const GROUPS = path.join(FIXTURES, 'groups.yaml');
const CLUSTER = 'jest';

interface Pod {
  metadata: { name: string; namespace: string; uid: string; annotations?: Record<string, string> };
  spec: { nodeName?: string };
  status: { phase?: string; containerStatuses?: { restartCount: number }[] };
}
interface Node { metadata: { name: string; labels?: Record<string, string> }; spec: { taints?: { key: string }[] }; status: { conditions?: { type: string; status: string }[] } }

async function verifyK8s(box: Box, intentFile: string): Promise<{ code: number; out: string }> {
  let out = '';
  const io: Io = { out: (t) => { out += `${t}\n`; }, err: () => undefined };
  const code = await runVerifyK8s(['--kubeconfig', box.kubeconfig, '-i', intentFile, '--problems-only'], io);
  return { code, out };
}

const networkStatus = (p: Pod): { name: string; interface?: string; ips?: string[] }[] =>
  JSON.parse(p.metadata.annotations?.['k8s.v1.cni.cncf.io/network-status'] ?? '[]') as { name: string; interface?: string; ips?: string[] }[];

/** On failure, the box's logs are kept and their folder named. */
async function withLogs<T>(box: Box | undefined, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (box !== undefined) {
      const dir = await box.collectLogs().catch(() => 'not collected');
      (e as Error).message += `\nbox logs: ${dir}`;
    }
    throw e;
  }
}

function leftovers(cluster: string): string[] {
  return [
    ...listProcesses(cluster).map((p) => `process ${p.pid} ${p.cmdline}`),
    ...listNetns(`mnb-${cluster}-`),
    ...listCgroups(`multinic-box/${cluster}`),
  ];
}

describeBox('the default intent (macvlan variant) on a local cluster', () => {
  let box: Box | undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-box-test-'));
  afterAll(async () => {
    if (box !== undefined) {
      const r = await box.stop();
      expect(r.leftovers).toEqual([]);
    }
    expect(leftovers(CLUSTER)).toEqual([]);
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 180_000);

  test('up: every node Ready through its kubelet, every DaemonSet available, every workload pod Running with its networks', async () => {
    box = await startBox({ intentFile: DEFAULT, cluster: CLUSTER, out: (l) => process.stderr.write(`${l}\n`) });
    await withLogs(box, async () => {
      expect(box!.report.ok).toBe(true);
      const nodes = (await box!.get<{ items: Node[] }>(['nodes'])).items;
      expect(nodes.map((n) => n.metadata.name).sort()).toEqual(['control-plane-1', 'workers-1', 'workers-2']);
      for (const n of nodes) {
        expect(n.status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
        // the startup taint is gone: Multus and the ENI setup are ready there
        expect((n.spec.taints ?? []).map((t) => t.key)).not.toContain(NETWORKS_NOT_READY_TAINT.key);
      }
      expect(nodes.find((n) => n.metadata.name === 'workers-1')?.metadata.labels?.['multinic.dev/interface-multus0']).toBe('true');
      const ds = (await box!.get<{ items: { metadata: { name: string }; status: { desiredNumberScheduled: number; numberAvailable?: number } }[] }>(['daemonsets', '-A'])).items;
      expect(ds.map((d) => d.metadata.name).sort()).toEqual(expect.arrayContaining(['kube-multus-ds', 'multinic-node-ready', 'whereabouts']));
      for (const d of ds) expect(d.status.numberAvailable).toBe(d.status.desiredNumberScheduled);
      const pods = (await box!.get<{ items: Pod[] }>(['pods', '-A'])).items;
      const client = pods.find((p) => p.metadata.name === 'ipvlan-whereabouts-client')!;
      expect(networkStatus(client).map((s) => [s.name, s.interface])).toEqual([
        ['k8s-pod-network', 'eth0'], ['redhet-demo/ipvlan-whereabouts-net-attach-def', 'net1'],
      ]);
      expect(networkStatus(client)[1].ips?.[0]).toMatch(/^10\.2\.130\./);
      const workloadPods = pods.filter((p) => ['default', 'dcjeon', 'redhet-demo'].includes(p.metadata.namespace));
      expect(workloadPods).toHaveLength(7);
      for (const p of workloadPods) expect(p.status.phase).toBe('Running');
    });
  }, 600_000);

  test('multinic verify --k8s passes against it', async () => {
    const r = await verifyK8s(box!, DEFAULT);
    expect(r.out).toMatch(/\d+ checks, all as intended\./); // lib/verify/table.ts summary when nothing differs
    expect(r.code).toBe(0);
  }, 60_000);

  test('kubectl exec and logs work through the kubelets (CA-signed serving certificates), and pods on two nodes reach each other over net1', async () => {
    const pods = (await box!.get<{ items: Pod[] }>(['pods', '-n', 'dcjeon'])).items;
    expect(pods).toHaveLength(2);
    const [a, b] = pods;
    const bIp = networkStatus(b).find((s) => s.interface === 'net1')!.ips![0];
    const r = await box!.exec('dcjeon', a.metadata.name, ['ping', '-c1', '-W2', bIp]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const logs = await box!.kubectl(['logs', '-n', 'kube-system', 'ds/multinic-node-ready']);
    expect(logs.stdout).toContain('removed the taint');
  }, 60_000);

  test('a second up applies a changed intent (a node that joins after the workloads exist, more replicas, a workload gone) without restarting untouched pods', async () => {
    await withLogs(box, async () => {
      const before = (await box!.get<{ items: Pod[] }>(['pods', '-n', 'redhet-demo'])).items;
      const changed = path.join(tmp, 'changed.yaml');
      fs.writeFileSync(changed, fs.readFileSync(DEFAULT, 'utf8')
        // a second worker group that joins now, carrying multus0
        .replace('  networks:\n', '    - name: late\n      role: worker\n      instanceType: m6i.large\n      count: 1\n      interfaces:\n        - name: multus0\n          subnet: multus-a\n          ipv4PrefixCount: 2\n  networks:\n')
        .replace('name: ubuntu-whereabouts-deploy\n      namespace: dcjeon\n      replicas: 2', 'name: ubuntu-whereabouts-deploy\n      namespace: dcjeon\n      replicas: 6')
        .replace(/    - kind: Pod\n      name: multus-sample-pod[\s\S]*?sleep infinity & wait"\]\n/, ''));
      const report = await box!.apply(changed);
      expect(report.ok).toBe(true);
      const after = (await box!.get<{ items: Pod[] }>(['pods', '-A'])).items;
      // untouched pods: same UID, no restart
      for (const p of before) {
        const q = after.find((x) => x.metadata.uid === p.metadata.uid);
        expect(q?.status.containerStatuses?.[0].restartCount).toBe(0);
      }
      // the removed workload is pruned
      expect(after.find((p) => p.metadata.name === 'multus-sample-pod')).toBeUndefined();
      // the late node carries pods, and every one of them has net1: none started before its networks were ready
      const dcjeon = after.filter((p) => p.metadata.namespace === 'dcjeon');
      expect(dcjeon).toHaveLength(6);
      for (const p of dcjeon) expect(networkStatus(p).map((s) => s.interface)).toContain('net1');
      expect(dcjeon.some((p) => p.spec.nodeName === 'late-1')).toBe(true);
      expect((await verifyK8s(box!, changed)).code).toBe(0);
    });
  }, 600_000);
});

describeBox('an intent with several node groups and subnets on a local cluster', () => {
  let box: Box | undefined;
  afterAll(async () => {
    if (box !== undefined) expect((await box.stop()).leftovers).toEqual([]);
    expect(leftovers(`${CLUSTER}g`)).toEqual([]);
  }, 180_000);

  test('every group\'s nodes, each network only where its master is, verify --k8s passes', async () => {
    box = await startBox({ intentFile: GROUPS, cluster: `${CLUSTER}g`, out: (l) => process.stderr.write(`${l}\n`) });
    await withLogs(box, async () => {
      const nodes = (await box!.get<{ items: Node[] }>(['nodes'])).items;
      expect(nodes.map((n) => n.metadata.name).sort()).toEqual(['back-1', 'back-2', 'control-plane-1', 'front-1']);
      const pods = (await box!.get<{ items: Pod[] }>(['pods', '-n', 'back'])).items;
      expect(pods).toHaveLength(2);
      for (const p of pods) {
        expect(p.spec.nodeName).toMatch(/^back-/);
        expect(networkStatus(p).map((s) => s.interface)).toEqual(['eth0', 'net1', 'net2']);
        // eni-prefix: the address comes from the node's delegated /28 in the upper half of back-b
        expect(networkStatus(p)[1].ips?.[0]).toMatch(/^10\.0\.129\.(1[2-9][0-9]|2[0-5][0-9])$/);
      }
      const r = await verifyK8s(box!, GROUPS);
      expect(r.code).toBe(0);
    });
  }, 600_000);
});
