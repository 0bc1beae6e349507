/**
 * The EKS flavour's manifests on the local cluster (issue 16, item 3): an intent with `flavour: eks` (the default
 * intent's macvlan variant, test/fixtures/cluster/eks-macvlan.yaml) on real kubelets. The box cannot run EKS, nodeadm
 * or the VPC CNI; its nodes write the cluster-network stand-in under the VPC CNI's network name and file (`aws-cni` in
 * 10-aws.conflist, from lib/eks/cluster-network.ts), so Multus, configured exactly as the EKS deploy configures it,
 * must find its delegate by that name: a Multus config still naming Calico's network would leave every pod without
 * its sandbox and the box would not come up.
 *
 * Then multinic's EKS functions (infra/eks/lambda) run against this real API server, each authenticated as the
 * Kubernetes group its access entry maps it to (a client certificate of the box's CA with that group) under the RBAC
 * the stack applies: the Pod replacement deletes exactly a changed bare Pod; the node lifecycle function drains a
 * worker (a PodDisruptionBudget holds its pod until lifted; ~30 s of it is the workloads' own termination grace) and
 * continues a Ready node's launch, its AWS calls through aws-sdk-client-mock.
 *
 * Needs root, namespaces and the built artifacts (MULTINIC_BOX_ARTIFACTS); skipped otherwise, naming why. A failing
 * test leaves the box's logs in a folder whose path it prints.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AutoScalingClient, CompleteLifecycleActionCommand } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient, SignalResourceCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import type { Io } from '../../bin/cli';
import { runVerifyK8s } from '../../bin/commands/private/verify-k8s';
import { listCgroups, listNetns, listProcesses } from '../../cluster/provider/discover';
import { type Box, boxSupport, startBox } from '../../cluster/testing';
import { AWS_CNI } from '../../lib/eks/cluster-network';
import { NETWORKS_NOT_READY_TAINT } from '../../lib/readiness';
import { VERSIONS } from '../../lib/versions';
import { functionRbac } from '../../infra/eks/function-rbac';
import { EKS_FUNCTIONS } from '../../infra/eks/defaults';

const kubeJs = require('../../infra/eks/lambda/kube.js');
const replacement = require('../../infra/eks/lambda/pod-replacement.js');
const lifecycle = require('../../infra/eks/lambda/node-lifecycle.js');

const support = boxSupport();
const describeBox = support.ok ? describe : describe.skip;
if (!support.ok) process.stderr.write(`test/cluster/eks skipped: ${support.reason}\n`);

const INTENT = path.join(__dirname, '..', 'fixtures', 'cluster', 'eks-macvlan.yaml');
const CLUSTER = 'eks';

interface Pod {
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: { nodeName?: string };
  status: { phase?: string };
}
interface Node { metadata: { name: string }; spec: { podCIDR?: string; taints?: { key: string }[] }; status: { conditions?: { type: string; status: string }[] } }
type NetworkStatus = { name: string; interface?: string; ips?: string[] }[];

/**
 * A client of the box's API server as a member of `group` only (CN multinic-<group>), its certificate signed by the
 * box's CA: what an EKS access entry with that Kubernetes group and no access policy makes of a function's role.
 */
function clientAs(box: Box, group: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-eks-fn-'));
  const key = path.join(dir, 'k.pem');
  const csr = path.join(dir, 'r.csr');
  const crt = path.join(dir, 'c.pem');
  const pki = box.names.pkiDir;
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=multinic-${group.replace(/:/g, '-')}/O=${group}`], { stdio: 'pipe' });
  execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', path.join(pki, 'ca.crt'), '-CAkey', path.join(pki, 'ca.key'), '-set_serial', String(Date.now()), '-days', '1', '-out', crt], { stdio: 'pipe' });
  const server = /server: (\S+)/.exec(fs.readFileSync(box.kubeconfig, 'utf8'))![1];
  const client = kubeJs.kubeClient({ server, ca: fs.readFileSync(path.join(pki, 'ca.crt'), 'utf8'), cert: fs.readFileSync(crt, 'utf8'), key: fs.readFileSync(key, 'utf8') });
  fs.rmSync(dir, { recursive: true, force: true });
  return client;
}

const networkStatus = (p: Pod): NetworkStatus => JSON.parse(p.metadata.annotations?.['k8s.v1.cni.cncf.io/network-status'] ?? '[]') as NetworkStatus;

/** Whether `ip` lies in `cidr` (IPv4). */
function inCidr(ip: string, cidr: string): boolean {
  const n = (a: string) => a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const [base, len] = cidr.split('/');
  const size = 2 ** (32 - Number(len));
  return Math.floor(n(ip) / size) === Math.floor(n(base) / size);
}

async function withLogs<T>(box: Box | undefined, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (box !== undefined) (e as Error).message += `\nbox logs: ${await box.collectLogs().catch(() => 'not collected')}`;
    throw e;
  }
}

describeBox('an eks-flavour intent on a local cluster: Multus delegates to the stand-in for the VPC CNI', () => {
  let box: Box | undefined;
  afterAll(async () => {
    if (box !== undefined) expect((await box.stop()).leftovers).toEqual([]);
    expect([...listProcesses(CLUSTER).map((p) => `process ${p.pid}`), ...listNetns(`mnb-${CLUSTER}-`), ...listCgroups(`multinic-box/${CLUSTER}`)]).toEqual([]);
  }, 180_000);

  test('up: the workers (no control-plane group: EKS runs it) Ready and untainted, Multus configured for aws-cni', async () => {
    box = await startBox({ intentFile: INTENT, cluster: CLUSTER, out: (l) => process.stderr.write(`${l}\n`) });
    await withLogs(box, async () => {
      expect(box!.report.ok).toBe(true);
      const nodes = (await box!.get<{ items: Node[] }>(['nodes'])).items;
      expect(nodes.map((n) => n.metadata.name).sort()).toEqual(['workers-1', 'workers-2']);
      for (const n of nodes) {
        expect(n.status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
        expect((n.spec.taints ?? []).map((t) => t.key)).not.toContain(NETWORKS_NOT_READY_TAINT.key);
      }
      // The applied Multus daemon config is the EKS one: delegate by the VPC CNI's name, wait for its file.
      const cm = await box!.get<{ data: Record<string, string> }>(['configmap', '-n', 'kube-system', 'multus-daemon-config']);
      const daemon = JSON.parse(cm.data['daemon-config.json']) as { clusterNetwork?: string; readinessindicatorfile?: string };
      expect(daemon.clusterNetwork).toBe(AWS_CNI.name);
      expect(daemon.readinessindicatorfile).toBe(`/host/etc/cni/net.d/${AWS_CNI.conflist}`);
    });
  }, 300_000);

  test('each node has the stand-in under the VPC CNI\'s file and network name, and no Calico config', () => {
    for (const node of ['workers-1', 'workers-2']) {
      const ls = box!.inNode(node, 'ls', ['/etc/cni/net.d']);
      expect(ls.status).toBe(0);
      const files = ls.stdout.split('\n').filter(Boolean);
      expect(files).toContain(AWS_CNI.conflist);
      expect(files).not.toContain(VERSIONS.calico.cniConfigFile);
      const conf = box!.inNode(node, 'cat', [`/etc/cni/net.d/${AWS_CNI.conflist}`]);
      expect((JSON.parse(conf.stdout) as { name: string }).name).toBe(AWS_CNI.name);
    }
  });

  test('every workload pod Running with eth0 from the aws-cni delegate (an address of its node\'s pod CIDR) and its net1', async () => {
    await withLogs(box, async () => {
      const nodes = new Map((await box!.get<{ items: Node[] }>(['nodes'])).items.map((n) => [n.metadata.name, n.spec.podCIDR ?? '']));
      const pods = (await box!.get<{ items: Pod[] }>(['pods', '-A'])).items.filter((p) => ['default', 'dcjeon', 'redhet-demo'].includes(p.metadata.namespace));
      expect(pods).toHaveLength(7);
      for (const p of pods) {
        expect(p.status.phase).toBe('Running');
        const st = networkStatus(p);
        // The intent's one pod without secondary networks (the seed's control case) has the cluster network only.
        expect(st.map((s) => s.interface)).toEqual(p.metadata.name.endsWith('-nonet') ? ['eth0'] : ['eth0', 'net1']);
        expect(st[0].name).toBe(AWS_CNI.name);
        expect(inCidr(st[0].ips![0], nodes.get(p.spec.nodeName!)!)).toBe(true);
      }
      const client = pods.find((p) => p.metadata.name === 'ipvlan-whereabouts-client')!;
      expect(networkStatus(client)[1]).toMatchObject({ name: 'redhet-demo/ipvlan-whereabouts-net-attach-def', interface: 'net1' });
      expect(networkStatus(client)[1].ips?.[0]).toMatch(/^10\.2\.130\./);
    });
  }, 60_000);

  test('the whereabouts replicas reach each other over net1, and multinic verify --k8s passes', async () => {
    const pods = (await box!.get<{ items: Pod[] }>(['pods', '-n', 'dcjeon'])).items;
    expect(pods).toHaveLength(2);
    const [a, b] = pods;
    const bIp = networkStatus(b).find((s) => s.interface === 'net1')!.ips![0];
    const r = await box!.exec('dcjeon', a.metadata.name, ['ping', '-c1', '-W2', bIp]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    let out = '';
    const io: Io = { out: (t) => { out += `${t}\n`; }, err: () => undefined };
    const code = await runVerifyK8s(['--kubeconfig', box!.kubeconfig, '-i', INTENT, '--problems-only'], io);
    // exit 0: every check as the intent predicts (the report rides along in a failure message)
    expect({ code, out }).toEqual({ code: 0, out: expect.stringMatching(/\d+ checks/) });
  }, 60_000);
  // multinic's EKS functions (infra/eks/lambda) against this real API server, each as the Kubernetes group of its
  // access entry with the RBAC the stack applies (infra/eks/function-rbac.ts): what the kubectl handler cannot do.
  test('the Pod replacement deletes exactly the changed bare Pod, and waits until it is gone; its group may do nothing else', async () => {
    await withLogs(box, async () => {
      const rbac = path.join(os.tmpdir(), `multinic-eks-rbac-${process.pid}.json`);
      fs.writeFileSync(rbac, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: functionRbac() }));
      await box!.kubectlOk(['apply', '-f', rbac]);
      fs.rmSync(rbac);
      const kube = clientAs(box!, EKS_FUNCTIONS.podReplacementGroup);
      const managed = (await box!.get<{ items: Pod[] }>(['pods', '-A', '-l', 'app.kubernetes.io/managed-by=multinic'])).items
        .filter((p) => p.metadata.annotations?.['multinic.dev/pod-spec']);
      // the alpine Pod (its shell traps TERM, so it goes at once) changes; the others stay as they are
      const target = managed.find((p) => p.metadata.name === 'multus-sample-pod')!;
      const value = (p: Pod) => p.metadata.annotations!['multinic.dev/pod-spec'];
      const wanted = managed.map((p) => (p === target ? value(p).replace(/[^/]+$/, '0000000000000000') : value(p)));
      const uids = new Map(managed.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, (p.metadata as { uid?: string }).uid]));
      const r = await replacement.replaceChanged(kube, wanted, { waitMs: 60_000, pollMs: 500 });
      expect(r.replaced).toEqual([`${target.metadata.namespace}/${target.metadata.name}`]);
      const after = (await box!.get<{ items: Pod[] }>(['pods', '-A', '-l', 'app.kubernetes.io/managed-by=multinic'])).items;
      expect(after.find((p) => p.metadata.name === target.metadata.name && p.metadata.namespace === target.metadata.namespace)).toBeUndefined();
      for (const p of after) if (uids.has(`${p.metadata.namespace}/${p.metadata.name}`)) expect((p.metadata as { uid?: string }).uid).toBe(uids.get(`${p.metadata.namespace}/${p.metadata.name}`));
      // least privilege: Pods only; no Node, no eviction, no Secret
      expect((await kube.raw('GET', '/api/v1/nodes')).status).toBe(403);
      expect((await kube.raw('GET', '/api/v1/secrets')).status).toBe(403);
    });
  }, 90_000);

  test('drain: cordons, honours a PodDisruptionBudget, evicts all but DaemonSet pods, deletes the Node, continues the termination; ready: continues a Ready node\'s launch and signals', async () => {
    await withLogs(box, async () => {
      const node = 'workers-2';
      // nodeadm's providerID (aws:///<zone>/<instance-id>), which the function looks the instance up by
      await box!.kubectlOk(['patch', 'node', node, '-p', JSON.stringify({ spec: { providerID: 'aws:///local-a/i-0b0x00000000002' } })]);
      await box!.kubectlOk(['patch', 'node', 'workers-1', '-p', JSON.stringify({ spec: { providerID: 'aws:///local-a/i-0b0x00000000001' } })]);
      const image = (await box!.get<{ items: Array<Pod & { spec: { containers: { image: string }[] } }> }>(['pods', '-A', '-l', 'app.kubernetes.io/managed-by=multinic'])).items[0].spec.containers[0].image;
      const guarded = {
        apiVersion: 'v1', kind: 'List', items: [
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'drain-test' } },
          {
            apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'guarded', namespace: 'drain-test' },
            spec: {
              replicas: 1, selector: { matchLabels: { app: 'guarded' } },
              template: {
                metadata: { labels: { app: 'guarded' } },
                spec: { nodeSelector: { 'kubernetes.io/hostname': node }, terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image, command: ['sleep', 'infinity'] }] },
              },
            },
          },
          { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'guarded', namespace: 'drain-test' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } } },
        ],
      };
      const file = path.join(os.tmpdir(), `multinic-eks-drain-${process.pid}.json`);
      fs.writeFileSync(file, JSON.stringify(guarded));
      await box!.kubectlOk(['apply', '-f', file]);
      fs.rmSync(file);
      await box!.kubectlOk(['wait', '-n', 'drain-test', '--for=condition=Available', 'deployment/guarded', '--timeout=60s'], 70_000);
      // the disruption controller has counted the budget: 0 disruptions allowed
      for (let i = 0; i < 30; i++) {
        const pdb = await box!.get<{ status?: { currentHealthy?: number; disruptionsAllowed?: number } }>(['pdb', '-n', 'drain-test', 'guarded']);
        if (pdb.status?.currentHealthy === 1) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      const kube = clientAs(box!, EKS_FUNCTIONS.nodeLifecycleGroup);
      const log: string[] = [];
      // while the budget holds, the guarded pod stays (eviction refused, HTTP 429) and the node is cordoned
      const left = await lifecycle.drainNode(kube, node, Date.now() + 1500, 1000, (l: string) => log.push(l));
      expect(left).toContain(`drain-test/${(await box!.get<{ items: Pod[] }>(['pods', '-n', 'drain-test'])).items[0].metadata.name}`);
      expect(log.some((l) => l.includes('refused for now (PodDisruptionBudget)'))).toBe(true);
      expect((await box!.get<{ spec: { unschedulable?: boolean } }>(['node', node])).spec.unschedulable).toBe(true);
      await box!.kubectlOk(['delete', 'pdb', '-n', 'drain-test', 'guarded']);

      const asMock = mockClient(AutoScalingClient);
      const cfnMock = mockClient(CloudFormationClient);
      asMock.on(CompleteLifecycleActionCommand).resolves({});
      cfnMock.on(SignalResourceCommand).resolves({});
      try {
        const detail = (id: string, hook: string) => ({ LifecycleActionToken: 't', AutoScalingGroupName: 'asg', LifecycleHookName: hook, EC2InstanceId: id, NotificationMetadata: JSON.stringify({ stack: 's', resource: 'Asg' }) });
        const deps = { kube, autoscaling: new AutoScalingClient({ region: 'us-east-1' }), cloudformation: new CloudFormationClient({ region: 'us-east-1' }), pollMs: 1000, marginMs: 0, log: (l: string) => log.push(l) };
        const t0 = Date.now();
        const drained = await lifecycle.handler({ 'detail-type': lifecycle.TERMINATE, detail: detail('i-0b0x00000000002', 'multinic-drain') }, { getRemainingTimeInMillis: () => 75_000 }, deps);
        process.stderr.write(`eks: drain of ${node} took ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
        expect(drained).toEqual({ instance: 'i-0b0x00000000002', result: 'CONTINUE', node });
        const pods = (await box!.get<{ items: Array<Pod & { metadata: { ownerReferences?: { kind: string }[] } }> }>(['pods', '-A', '--field-selector', `spec.nodeName=${node}`])).items;
        // only DaemonSet pods are left (they would go with the instance)
        expect(pods.filter((p) => !(p.metadata.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet')).map((p) => p.metadata.name)).toEqual([]);
        expect((await box!.kubectl(['get', 'node', node])).status).not.toBe(0);
        expect(asMock.commandCalls(CompleteLifecycleActionCommand).map((c) => c.args[0].input)).toEqual([
          { AutoScalingGroupName: 'asg', LifecycleHookName: 'multinic-drain', LifecycleActionToken: 't', InstanceId: 'i-0b0x00000000002', LifecycleActionResult: 'CONTINUE' },
        ]);
        const ready = await lifecycle.handler({ 'detail-type': lifecycle.LAUNCH, detail: detail('i-0b0x00000000001', 'multinic-ready') }, { getRemainingTimeInMillis: () => 30_000 }, deps);
        expect(ready).toEqual({ instance: 'i-0b0x00000000001', result: 'CONTINUE', node: 'workers-1' });
        expect(cfnMock.commandCalls(SignalResourceCommand).map((c) => c.args[0].input)).toEqual([{ StackName: 's', LogicalResourceId: 'Asg', UniqueId: 'i-0b0x00000000001', Status: 'SUCCESS' }]);
        // least privilege: no Secrets, no Pod deletion outside an eviction
        expect((await kube.raw('GET', '/api/v1/secrets')).status).toBe(403);
        expect((await kube.raw('DELETE', '/api/v1/namespaces/drain-test/pods/x')).status).toBe(403);
      } finally {
        asMock.restore();
        cfnMock.restore();
      }
    });
  }, 150_000);
});
