/**
 * The local cluster for real (issue 18): the default intent (its macvlan variant on a kernel without ipvlan) on a
 * control plane and kubelet nodes, then a changed intent with a node whose networks become ready after its pods
 * exist, then an intent with several node groups and subnets. One box per intent, brought up once, many assertions.
 * What each test expects comes from the intent (its model, the box topology, lib/verify), not from fixed addresses,
 * so the fixtures may change their networks.
 *
 * Needs root, namespaces and the built artifacts (cluster/testing.ts boxSupport); skipped otherwise, naming why. A
 * failing test leaves the box's logs in a folder whose path it prints, and nothing else behind.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import type { Io } from '../../bin/cli';
import { runVerifyK8s } from '../../bin/commands/private/verify-k8s';
import { clusterNetworkOf } from '../../charts/app';
import { type Box, boxSupport, startBox } from '../../cluster/testing';
import { boxTopology } from '../../cluster/topology';
import { BoxNames } from '../../cluster/box';
import { listNetns, listProcesses, listCgroups, listMounts } from '../../cluster/provider/discover';
import { run, sleep } from '../../cluster/provider/exec';
import { down } from '../../cluster/down';
import type { KubeNode, KubePod } from '../../lib/kube/types';
import { buildModel, type IntentModel, type ResolvedWorkload } from '../../lib/model/model';
import { Ipv4Address, Ipv4Cidr } from '../../lib/net/ipv4';
import { NETWORKS_NOT_READY_TAINT } from '../../lib/readiness';
import { belongsTo, verifyCluster } from '../../lib/verify/k8s';

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

type Pod = KubePod & {
  metadata: { name: string; namespace: string; uid: string };
  status?: { phase?: string; conditions?: { type: string; status: string; message?: string }[]; containerStatuses?: { restartCount: number }[] };
};
type Node = KubeNode & { status?: { conditions?: { type: string; status: string }[] } };
interface StatusEntry { name: string; interface?: string; ips?: string[] }

async function verifyK8s(box: Box, intentFile: string): Promise<{ code: number; out: string }> {
  let out = '';
  const io: Io = { out: (t) => { out += `${t}\n`; }, err: () => undefined };
  const code = await runVerifyK8s(['--kubeconfig', box.kubeconfig, '-i', intentFile, '--problems-only'], io);
  return { code, out };
}

const networkStatus = (p: Pod): StatusEntry[] =>
  JSON.parse(p.metadata.annotations?.['k8s.v1.cni.cncf.io/network-status'] ?? '[]') as StatusEntry[];

/** What the intent predicts for a pod of `w`: the cluster network on eth0, then each attachment's network on its interface. */
function predictedInterfaces(model: IntentModel, w: ResolvedWorkload): [string, string][] {
  return [[clusterNetworkOf(model.intent).name, 'eth0'], ...w.attachments.map((a): [string, string] => [a.network!.key, a.ifname])];
}

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

/** Polls `f` every second until it returns a value, or fails naming `what` and the last value seen. */
async function eventually<T>(what: string, timeoutMs: number, f: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s: ${what}`);
    await sleep(1000);
  }
}

function leftovers(cluster: string): string[] {
  return [
    ...listProcesses(cluster).map((p) => `process ${p.pid} ${p.cmdline}`),
    ...listNetns(`mnb-${cluster}-`),
    ...listCgroups(`multinic-box/${cluster}`),
    ...listMounts(`mnb-${cluster}-`, new BoxNames(cluster).dir).map((m) => `mount ${m}`),
  ];
}

/** The intent's workload pods as the API server has them, checked against the model; returns them by workload. */
async function expectWorkloadsAsPredicted(box: Box, model: IntentModel): Promise<Map<ResolvedWorkload, Pod[]>> {
  const pods = (await box.get<{ items: Pod[] }>(['pods', '-A'])).items.filter((p) => p.metadata.deletionTimestamp === undefined);
  const nodes = (await box.get<{ items: Node[] }>(['nodes'])).items;
  const out = new Map<ResolvedWorkload, Pod[]>();
  for (const w of model.workloads) {
    const mine = pods.filter((p) => belongsTo(w.workload, p));
    out.set(w, mine);
    expect({ workload: w.workload.name, pods: mine.length }).toEqual({ workload: w.workload.name, pods: w.podCount });
    for (const p of mine) {
      expect({ pod: p.metadata.name, phase: p.status?.phase }).toEqual({ pod: p.metadata.name, phase: 'Running' });
      if (w.attachments.length > 0) expect(networkStatus(p).map((s) => [s.name, s.interface])).toEqual(predictedInterfaces(model, w));
    }
  }
  // every address inside what the intent predicts for the pod's node (lib/verify, as `multinic verify --k8s`)
  expect(verifyCluster(model, nodes, (w) => pods.filter((p) => belongsTo(w, p))).filter((r) => r.status !== 'ok')).toEqual([]);
  return out;
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
      const topo = boxTopology(box!.intent, {});
      const nodes = (await box!.get<{ items: Node[] }>(['nodes'])).items;
      expect(nodes.map((n) => n.metadata.name).sort()).toEqual(topo.nodes.map((n) => n.name).sort());
      for (const n of nodes) {
        expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
        // the startup taint is gone: Multus and the ENI setup are ready there
        expect((n.spec?.taints ?? []).map((t) => t.key)).not.toContain(NETWORKS_NOT_READY_TAINT.key);
        // labels as on EC2 (node group, one per interface)
        for (const label of topo.nodes.find((t) => t.name === n.metadata.name)!.labels) {
          const [k, v] = label.split('=');
          expect(n.metadata.labels?.[k]).toBe(v);
        }
      }
      const ds = (await box!.get<{ items: { metadata: { name: string }; status: { desiredNumberScheduled: number; numberAvailable?: number } }[] }>(['daemonsets', '-A'])).items;
      expect(ds.map((d) => d.metadata.name)).toEqual(expect.arrayContaining(['kube-multus-ds', 'multinic-node-ready']));
      for (const d of ds) expect({ ds: d.metadata.name, available: d.status.numberAvailable }).toEqual({ ds: d.metadata.name, available: topo.nodes.length });
      const model = buildModel(box!.intent);
      expect(model.workloads.some((w) => w.attachments.length > 0)).toBe(true);
      await expectWorkloadsAsPredicted(box!, model);
    });
  }, 600_000);

  test('multinic verify --k8s passes against it', async () => {
    const r = await verifyK8s(box!, DEFAULT);
    expect(r.out).toMatch(/all as intended/);
    expect(r.code).toBe(0);
  }, 60_000);

  test('kubectl exec and logs work through the kubelets (CA-signed serving certificates), and pods on two nodes reach each other over their network', async () => {
    await withLogs(box, async () => {
      const model = buildModel(box!.intent);
      // a Deployment of 2+ replicas whose network admits ICMP from the Deployment's own pods (or has no policy)
      const admits = (w: ResolvedWorkload) => w.attachments.some((a) => {
        const ingress = a.network!.network.ingress ?? [];
        return ingress.length === 0 || ingress.some((r) => r.icmp && (r.from ?? []).some((f) => 'pods' in f && f.pods !== undefined && Object.entries(f.pods).every(([k, v]) => w.workload.labels[k] === v)));
      });
      const w = model.workloads.find((x) => x.workload.kind === 'Deployment' && x.podCount >= 2 && admits(x));
      expect(w).toBeDefined();
      const attachment = w!.attachments.find((a) => admits({ ...w!, attachments: [a] }))!;
      const podsOf = async () => (await box!.get<{ items: Pod[] }>(['pods', '-n', w!.workload.namespace])).items.filter((p) => belongsTo(w!.workload, p) && p.metadata.deletionTimestamp === undefined);
      let pods = await podsOf();
      if (new Set(pods.map((p) => p.spec?.nodeName)).size < 2) {
        // Both replicas were placed on the first node whose startup taint went away: one more try spreads them
        // (the replicas' soft anti-affinity).
        await box!.kubectlOk(['delete', 'pod', '-n', w!.workload.namespace, pods[0].metadata.name, '--wait=false']);
        pods = await eventually('the replicas on two nodes', 120_000, async () => {
          const now = await podsOf();
          const running = now.filter((p) => p.status?.phase === 'Running' && networkStatus(p).some((s) => s.interface === attachment.ifname));
          return running.length >= 2 && new Set(running.map((p) => p.spec?.nodeName)).size >= 2 ? running : undefined;
        });
      }
      const [a, b] = [pods[0], pods.find((p) => p.spec?.nodeName !== pods[0].spec?.nodeName)!];
      const bIp = networkStatus(b).find((s) => s.interface === attachment.ifname)!.ips![0];
      const r = await box!.exec(a.metadata.namespace, a.metadata.name, ['ping', '-c1', '-W2', '-I', attachment.ifname, bIp]);
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      const logs = await box!.kubectl(['logs', '-n', 'kube-system', 'ds/multinic-node-ready']);
      expect(logs.stdout).toContain('removed the taint');
    });
  }, 240_000);

  test('kubectl port-forward with the printed kubeconfig reaches a pod\'s HTTP server from this shell', async () => {
    await withLogs(box, async () => {
      type WebPod = Pod & { spec?: { containers?: { ports?: { containerPort: number }[] }[] } };
      const pods = (await box!.get<{ items: WebPod[] }>(['pods', '-A'])).items;
      const web = pods.find((p) => p.status?.phase === 'Running' && (p.spec?.containers ?? []).some((c) => (c.ports ?? []).some((x) => x.containerPort === 80)));
      expect(web).toBeDefined();
      const pf = spawn(box!.artifacts.bin('kubectl'), ['--kubeconfig', box!.kubeconfig, 'port-forward', '-n', web!.metadata.namespace!, `pod/${web!.metadata.name}`, ':80'],
        { stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        const port = await new Promise<number>((resolve, reject) => {
          let out = '';
          const timer = setTimeout(() => reject(new Error(`no port-forward within 30 s: ${out}`)), 30_000);
          pf.stdout.on('data', (d: Buffer) => { out += d.toString(); const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out); if (m) { clearTimeout(timer); resolve(Number(m[1])); } });
          pf.stderr.on('data', (d: Buffer) => { out += d.toString(); });
          pf.on('exit', (code) => { clearTimeout(timer); reject(new Error(`kubectl port-forward exited ${code}: ${out}`)); });
        });
        const status = await new Promise<number>((resolve, reject) => {
          http.get({ host: '127.0.0.1', port, path: '/', timeout: 10_000 }, (res) => { res.resume(); resolve(res.statusCode ?? 0); })
            .on('timeout', function (this: http.ClientRequest) { this.destroy(new Error('no answer within 10 s')); }).on('error', reject);
        });
        expect(status).toBe(200);
      } finally {
        pf.kill('SIGKILL');
      }
    });
  }, 120_000);

  test('a second up applies a changed intent (a node whose pods exist before its networks are ready, more replicas, a workload gone) without restarting untouched pods', async () => {
    await withLogs(box, async () => {
      const model = buildModel(box!.intent);
      const doc = parse(fs.readFileSync(DEFAULT, 'utf8')) as { spec: { subnets: { name: string; zone: string }[]; nodeGroups: unknown[]; networks: unknown[]; workloads: { kind: string; name: string; replicas?: number; networks?: unknown[] }[] } };
      const scaled = model.workloads.find((w) => w.workload.kind === 'Deployment' && w.attachments.length > 0)!;
      // a bare Pod whose command changes: it cannot change in place, so up replaces it (lib/pod-spec.ts). (Its
      // `sleep infinity` ignores SIGTERM: the replacement sits out the 30 s termination grace, as it would on AWS. The
      // pruned Pod is the one whose shell ends on SIGTERM: pruning another one here also rolls the policy daemon.)
      const removed = model.workloads.find((w) => w.workload.kind === 'Pod' && w.attachments.length > 0)!;
      const recreated = model.workloads.find((w) => w.workload.kind === 'Pod' && w !== removed)!;
      const newCommand = ['sleep', '86401'];
      // a worker group that joins now, with an interface of its own in a subnet of its own (the others' prefixes may
      // fill theirs), and a Deployment that can only run there
      const lateSubnet = { name: 'late-a', cidr: '10.0.131.0/24', zone: doc.spec.subnets[0].zone };
      expect(box!.intent.spec.subnets.map((x) => x.cidr)).not.toContain(lateSubnet.cidr);
      doc.spec.subnets.push(lateSubnet);
      doc.spec.nodeGroups.push({ name: 'late', role: 'worker', instanceType: 'm6i.large', count: 1, interfaces: [{ name: 'late0', subnet: lateSubnet.name, ipv4PrefixCount: 1 }] });
      doc.spec.networks.push({ name: 'late-net', namespace: 'late', type: 'macvlan', master: 'late0', mode: 'bridge', ipam: { type: 'eni-prefix', prefixes: 1 } });
      doc.spec.workloads = doc.spec.workloads.filter((w) => w.name !== removed.workload.name);
      doc.spec.workloads.find((w) => w.name === scaled.workload.name)!.replicas = scaled.podCount + 2;
      (doc.spec.workloads.find((w) => w.name === recreated.workload.name) as unknown as { container: { command?: string[] } }).container.command = newCommand;
      doc.spec.workloads.push({ kind: 'Deployment', name: 'late-web', namespace: 'late', replicas: 1, labels: { app: 'late-web' }, networks: ['late-net'], container: { image: 'docker.io/nicolaka/netshoot:v0.13', command: ['sleep', 'infinity'] } } as never);
      const changed = path.join(tmp, 'changed.yaml');
      fs.writeFileSync(changed, stringify(doc));
      const current = (await box!.get<{ items: Pod[] }>(['pods', '-A'])).items;
      const before = current.filter((p) => model.workloads.some((w) => w !== removed && w !== recreated && belongsTo(w.workload, p)));
      expect(before.length).toBeGreaterThan(0);
      const oldRecreated = current.find((p) => belongsTo(recreated.workload, p))!;
      expect(oldRecreated).toBeDefined();

      // the late node boots without its in-guest ENI setup: it keeps the startup taint
      const report = await box!.apply(changed, (l) => process.stderr.write(`${l}\n`), ['late-1']);
      expect(report.ok).toBe(true);
      const lateWeb = async () => (await box!.get<{ items: Pod[] }>(['pods', '-n', 'late'])).items.filter((p) => p.metadata.name.startsWith('late-web-'));
      const [waiting] = await lateWeb();
      expect(waiting.status?.phase).toBe('Pending');
      // unschedulable: the only node with its interface still has the startup taint
      expect(waiting.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message).toMatch(/untolerated taint/);
      const lateNode = await box!.get<Node>(['node', 'late-1']);
      expect((lateNode.spec?.taints ?? []).map((t) => t.key)).toContain(NETWORKS_NOT_READY_TAINT.key);
      // untouched pods: same UID, no restart
      const after = (await box!.get<{ items: Pod[] }>(['pods', '-A'])).items;
      for (const p of before) {
        const q = after.find((x) => x.metadata.uid === p.metadata.uid);
        expect({ pod: p.metadata.name, restarts: q?.status?.containerStatuses?.[0].restartCount }).toEqual({ pod: p.metadata.name, restarts: 0 });
      }
      // the changed bare Pod: replaced (a new UID) with the new command
      expect(report.facts.replaced).toContain(`${recreated.workload.namespace}/${recreated.workload.name}`);
      const fresh = (after as (Pod & { spec?: { containers?: { command?: string[] }[] } })[]).find((p) => belongsTo(recreated.workload, p));
      expect(fresh?.metadata.uid).toBeDefined();
      expect(fresh!.metadata.uid).not.toBe(oldRecreated.metadata.uid);
      expect(fresh!.spec?.containers?.[0].command).toEqual(newCommand);
      // the removed workload is pruned
      await eventually(`${removed.workload.name} pruned`, 90_000, async () =>
        (await box!.get<{ items: Pod[] }>(['pods', '-n', removed.workload.namespace])).items.some((p) => p.metadata.name === removed.workload.name) ? undefined : true);

      // the node's networks become ready: the pod that waited for them runs there, with its network
      expect(box!.runEniSetup('late-1').status).toBe(0);
      const running = await eventually('late-web Running on late-1', 180_000, async () => {
        const [p] = await lateWeb();
        return p?.status?.phase === 'Running' ? p : undefined;
      });
      expect(running.metadata.uid).toBe(waiting.metadata.uid);
      expect(running.spec?.nodeName).toBe('late-1');
      expect(networkStatus(running).map((s) => [s.name, s.interface])).toEqual([[clusterNetworkOf(box!.intent).name, 'eth0'], ['late/late-net', 'net1']]);
      // its address inside the /28 that the late node's ENI was delegated
      const late = boxTopology(box!.intent, {}).nodes.find((n) => n.name === 'late-1')!;
      const ip = Ipv4Address.parse(networkStatus(running)[1].ips![0]);
      expect(late.enis[0].prefixes.some((c) => Ipv4Cidr.parse(c).contains(ip))).toBe(true);
      await eventually('every workload as the changed intent predicts', 120_000, async () => {
        try { await expectWorkloadsAsPredicted(box!, buildModel(box!.intent)); return true; } catch { return undefined; }
      });
      await expectWorkloadsAsPredicted(box!, buildModel(box!.intent));
      const v = await verifyK8s(box!, changed);
      expect(v.out).toMatch(/all as intended/);
      expect(v.code).toBe(0);
    });
  }, 600_000);
});

describeBox('an intent with several node groups and subnets on a local cluster', () => {
  let box: Box | undefined;
  afterAll(async () => {
    if (box !== undefined) expect((await box.stop()).leftovers).toEqual([]);
    expect(leftovers(`${CLUSTER}g`)).toEqual([]);
  }, 180_000);

  test('every group\'s nodes, each network only where its master is, addresses from each node\'s own prefixes, verify --k8s passes', async () => {
    box = await startBox({ intentFile: GROUPS, cluster: `${CLUSTER}g`, out: (l) => process.stderr.write(`${l}\n`) });
    await withLogs(box, async () => {
      const topo = boxTopology(box!.intent, {});
      const nodes = (await box!.get<{ items: Node[] }>(['nodes'])).items;
      expect(nodes.map((n) => n.metadata.name).sort()).toEqual(topo.nodes.map((n) => n.name).sort());
      expect(new Set(topo.nodes.map((n) => n.group))).toEqual(new Set(box!.intent.spec.nodeGroups.map((g) => g.name)));
      const model = buildModel(box!.intent);
      const byWorkload = await expectWorkloadsAsPredicted(box!, model);
      for (const [w, pods] of byWorkload) {
        for (const p of pods) {
          const node = topo.nodes.find((n) => n.name === p.spec?.nodeName)!;
          for (const a of w.attachments) {
            // only on nodes that have the network's master interface
            const eni = node.enis.find((e) => e.name === a.network!.master);
            expect({ pod: p.metadata.name, network: a.network!.key, node: node.name, master: eni?.name }).toEqual({ pod: p.metadata.name, network: a.network!.key, node: node.name, master: a.network!.master });
            if (a.network!.network.ipam.type === 'eni-prefix') {
              // eni-prefix: from the /28 delegated to this node's ENI, not just anywhere in the subnet
              const ip = Ipv4Address.parse(networkStatus(p).find((s) => s.interface === a.ifname)!.ips![0]);
              expect({ pod: p.metadata.name, ip: ip.toString(), inOwnPrefix: eni!.prefixes.some((c) => Ipv4Cidr.parse(c).contains(ip)) })
                .toEqual({ pod: p.metadata.name, ip: ip.toString(), inOwnPrefix: true });
            }
          }
        }
      }
      expect([...byWorkload.keys()].some((w) => w.attachments.some((a) => a.network!.network.ipam.type === 'eni-prefix'))).toBe(true);
      const r = await verifyK8s(box!, GROUPS);
      expect(r.out).toMatch(/all as intended/);
      expect(r.code).toBe(0);
    });
  }, 600_000);
});

// `up` killed with SIGKILL in the middle (nodes booted, the apply under way), then `down` from what it finds: the
// issue's "removes every process, namespace, mount, cgroup, link and rule it made, even after a crash". Runs the
// built CLI (npm test builds it first) so that there is a process to kill.
const CLI = path.join(__dirname, '..', '..', 'build', 'bin', 'multinic.js');
(support.ok && fs.existsSync(CLI) ? describe : describe.skip)(`down after a crash (needs ${path.relative(process.cwd(), CLI)}: node scripts/build.js)`, () => {
  const crashed = `${CLUSTER}c`;
  afterAll(async () => { await down(new BoxNames(crashed)).catch(() => undefined); }, 60_000);

  test('up killed with SIGKILL once its nodes have booted: down leaves no process, namespace, cgroup, mount, host link or host rule', async () => {
    // the box's links all carry its MACs (02:6d:6e:..., cluster/topology.ts), and are made inside its namespaces
    const boxLinksOnHost = () => run('ip', ['-o', 'link', 'show']).stdout.split('\n').filter((l) => /link\/ether 02:6d:6e:/.test(l));
    const hostRules = () => `${run('nft', ['list', 'ruleset']).stdout}\n${run('iptables-save', []).stdout.replace(/^#.*$/gm, '')}`;
    const rules = hostRules();
    const up = spawn(process.execPath, [CLI, 'cluster', 'up', '--name', crashed, '-i', DEFAULT], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env } });
    let said = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`up did not boot its nodes within 120 s: ${said}`)), 120_000);
      up.stderr.on('data', (d: Buffer) => { said += d.toString(); if (/✓ Starting the nodes/.test(said)) { clearTimeout(timer); resolve(); } });
      up.on('exit', (code) => { clearTimeout(timer); reject(new Error(`up exited ${code} before its nodes booted: ${said}`)); });
    });
    up.kill('SIGKILL');
    await new Promise((r) => up.once('exit', r));
    // what the crash left: the box's processes and namespaces
    expect(listProcesses(crashed).length).toBeGreaterThan(0);
    expect(listNetns(`mnb-${crashed}-`).length).toBeGreaterThan(0);
    const r = await down(new BoxNames(crashed));
    expect(r.leftovers).toEqual([]);
    expect(leftovers(crashed)).toEqual([]);
    expect(boxLinksOnHost()).toEqual([]);
    expect(hostRules()).toEqual(rules);
  }, 180_000);
});
