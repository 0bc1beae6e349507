/**
 * The EKS flavour's manifests on the local cluster (issue 16, item 3): an intent with `flavour: eks` (the default
 * intent's macvlan variant, test/fixtures/cluster/eks-macvlan.yaml) on real kubelets. The box cannot run EKS, nodeadm
 * or the VPC CNI; its nodes write the cluster-network stand-in under the VPC CNI's network name and file (`aws-cni` in
 * 10-aws.conflist, from lib/eks/cluster-network.ts), so Multus, configured exactly as the EKS deploy configures it,
 * must find its delegate by that name: a Multus config still naming Calico's network would leave every pod without
 * its sandbox and the box would not come up.
 *
 * Needs root, namespaces and the built artifacts (MULTINIC_BOX_ARTIFACTS); skipped otherwise, naming why. A failing
 * test leaves the box's logs in a folder whose path it prints.
 */
import * as path from 'node:path';
import type { Io } from '../../bin/cli';
import { runVerifyK8s } from '../../bin/commands/private/verify-k8s';
import { listCgroups, listNetns, listProcesses } from '../../cluster/provider/discover';
import { type Box, boxSupport, startBox } from '../../cluster/testing';
import { AWS_CNI } from '../../lib/eks/cluster-network';
import { NETWORKS_NOT_READY_TAINT } from '../../lib/readiness';
import { VERSIONS } from '../../lib/versions';

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
});
