/**
 * Issue 19, items 4 and 5: Whereabouts under load, and no address leaks on delete. Twenty pods of one
 * multinic-rendered network created at once, deleted, the pools and the nodes' IPAM stores looked at before and
 * after; a host-local pod that must not make Whereabouts complain; and last, a node removed with pods on it, whose
 * addresses Whereabouts must free. Scenarios of test/cluster/seed-experiments.test.ts (one box): they run after the
 * experiments, since the last one takes a worker away.
 *
 * The leak that motivates item 5 is Multus upstream #1449: with a `.conflist` cluster network, DEL replays a stripped
 * config and the cluster network's address leaks (reference/box.md). The configuration multinic emits must not leak.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { Ipv4Address, Ipv4Cidr } from '../../../lib/net/ipv4';
import { seedIntent } from './intent';
import { waitFor, type Pod } from './kube';
import type { SeedLab } from './lab';

const NS = 'seed-load';
const RANGE = '10.60.0.0/24';
const EXCLUDE = '10.60.0.0/29';
const GATEWAY = '10.60.0.1';
const PODS = 20;

let loadDir: string;
let variant: 'ipvlan' | 'macvlan';

/**
 * The load intent: the box's own cluster (nodes, VPC) with one Whereabouts network (gateway inside its exclude, as
 * multinic:GatewayInRange demands) and a Deployment of `replicas` on it, plus one host-local Pod on another network.
 * Synthesised by multinic; returns the manifests of the networks and workloads, without the Namespace of the box.
 */
function loadManifests(lab: SeedLab, replicas: number): { networks: string; workloads: string } {
  const doc = parse(readFileSync(lab.box.intent, 'utf8')) as { spec: Record<string, unknown> & { nodeGroups: Array<{ role: string; interfaces?: Array<{ name: string }> }> } };
  const master = doc.spec.nodeGroups.find((g) => g.role === 'worker' && g.interfaces?.length)!.interfaces![0].name;
  const link = variant === 'ipvlan' ? { type: 'ipvlan', mode: 'l2' } : { type: 'macvlan', mode: 'bridge' };
  doc.spec.networks = [
    { name: 'load-net', namespace: NS, ...link, master, ipam: { type: 'whereabouts', range: RANGE, exclude: [EXCLUDE], gateway: GATEWAY } },
    { name: 'plain-net', namespace: NS, ...link, master, ipam: { type: 'host-local', ranges: [[{ subnet: '10.61.0.0/24', rangeStart: '10.61.0.10', rangeEnd: '10.61.0.250', gateway: '10.61.0.1' }]] } },
  ];
  // (a shell that ends on SIGTERM: `sleep infinity` alone ignores it and every deletion would wait its full 30 s)
  const container = { image: 'docker.io/nicolaka/netshoot:v0.13', command: ['/bin/sh', '-c', 'trap "exit 0" TERM; sleep infinity & wait'] };
  doc.spec.workloads = [
    { kind: 'Deployment', name: 'load', namespace: NS, replicas, labels: { app: 'load' }, networks: ['load-net'], container },
    { kind: 'Pod', name: 'plain', namespace: NS, networks: ['plain-net'], container },
  ];
  doc.spec.services = [];
  doc.spec.configMaps = [];
  const file = join(loadDir, `load-${replicas}.yaml`);
  writeFileSync(file, stringify(doc));
  const out = join(loadDir, `dist-${replicas}`);
  const r = lab.box.multinic(['synth', '-i', file, '-o', out]);
  if (r.status !== 0) throw new Error(`multinic synth of the load intent failed:\n${r.stderr}`);
  // Only the objects of the load namespace: its Namespace and the kube-system daemons belong to the box's own up.
  const read = (f: string) => parseAllDocuments(readFileSync(join(out, f), 'utf8')).map((d) => d.toJS() as { kind: string; metadata: { namespace?: string } })
    .filter((d) => d && d.kind !== 'Namespace' && d.metadata.namespace === NS).map((d) => stringify(d)).join('---\n');
  return { networks: read('0002-networks.k8s.yaml'), workloads: read('0003-workloads.k8s.yaml') };
}

/** Per worker: how many addresses each IPAM store under /var/lib/cni/networks holds (host-local's files). */
function nodeStores(lab: SeedLab): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const node of lab.box.workers) {
    const r = lab.box.onNode(node, 'cd /var/lib/cni/networks 2>/dev/null && for d in *; do [ -d "$d" ] && echo "$d $(ls "$d" | grep -cE "^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$")"; done; true');
    // (a store left empty counts as none: host-local keeps the directory of a network it served)
    out[node] = Object.fromEntries(r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' ')).filter(([, n]) => Number(n) > 0).map(([d, n]) => [d, Number(n)]));
  }
  return out;
}

const loadPods = (lab: SeedLab) => lab.kube.pods(NS, 'app=load');
const whereaboutsLog = (lab: SeedLab, since: string) => lab.kube.must(['-n', 'kube-system', 'logs', '-l', 'app=whereabouts', '--all-containers', '--prefix', `--since-time=${since}`, '--tail=-1']);

/** The scenarios of items 4 and 5, as jest tests in the current describe block; the last one takes a worker away. */
export function whereaboutsScenarios(lab: SeedLab): void {
  beforeAll(() => {
    loadDir = lab.tmpDir('multinic-seed-load-');
    variant = seedIntent().variant;
    lab.kube.apply(stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }));
  });

  test(`4 and 5. ${PODS} pods at once get ${PODS} distinct addresses outside the exclude and the gateway; deleted, they leave nothing allocated`, async () => {
    // GIVEN the nodes' IPAM stores before, and multinic's load network
    const before = nodeStores(lab);
    const m = loadManifests(lab, PODS);
    const start = new Date().toISOString();
    lab.kube.apply(m.networks);
    // WHEN a Deployment of 20 is created at once
    lab.kube.apply(m.workloads);
    const pods: Pod[] = await waitFor(`${PODS} load pods Running`, 240_000, () => {
      const p = loadPods(lab).filter((x) => x.status.phase === 'Running');
      return p.length === PODS ? p : undefined;
    }, 2000);
    // THEN 20 distinct addresses, all in the range, none excluded, none the gateway
    const addrs = pods.map((p) => lab.kube.address(p)!);
    expect(new Set(addrs).size).toBe(PODS);
    const range = Ipv4Cidr.parse(RANGE);
    const excluded = Ipv4Cidr.parse(EXCLUDE);
    for (const a of addrs) {
      expect([a, range.contains(Ipv4Address.parse(a)), excluded.contains(Ipv4Address.parse(a)), a === GATEWAY]).toEqual([a, true, false, false]);
    }
    // AND Whereabouts' pool holds exactly these pods, one reservation each
    const held = lab.kube.allocations(RANGE);
    expect(held.map(([, podref]) => podref).sort()).toEqual(pods.map((p) => `${NS}/${p.metadata.name}`).sort());
    expect(lab.kube.reservations().filter((r) => r.startsWith('10.60.0.')).length).toBe(PODS);
    // AND the host-local pod runs without a single Whereabouts error (item 4: other networks make none)
    await lab.kube.running(NS, 'plain');
    // WHEN everything is deleted
    lab.kube.delete(m.workloads);
    await waitFor('the load pods to be gone', 180_000, () => (loadPods(lab).length === 0 ? true : undefined), 2000);
    // THEN the pool holds nothing, no reservation is left, and no node keeps a cluster-network or host-local address
    // of the deleted pods (Multus #1449 would leave one per pod on the cluster network's store)
    await waitFor('the load pool to be empty', 60_000, () => (lab.kube.allocations(RANGE).length === 0 ? true : undefined), 2000);
    expect(lab.kube.reservations().filter((r) => r.startsWith('10.60.0.'))).toEqual([]);
    const after = await waitFor('every node\'s IPAM stores to be back to their counts before', 60_000, () => {
      const s = nodeStores(lab);
      return JSON.stringify(s) === JSON.stringify(before) ? s : undefined;
    }, 2000).catch(() => nodeStores(lab));
    expect(after).toEqual(before);
    // (Whereabouts' own daemons, about this namespace's pods: the host-local pod and the load pods)
    const errors = whereaboutsLog(lab, start).split('\n').filter((l) => l.includes(NS) && /\berror\b|level=error|\bE\d{4} /i.test(l));
    expect(errors).toEqual([]);
  });

  test('4. a node removed with pods on it: the Whereabouts reconciler frees their addresses', async () => {
    // GIVEN the IP reconciler running every minute instead of daily (multinic's default, VERSIONS.whereabouts),
    // restarted so that it reads the new schedule (first: its restart overlaps the pods' start)
    const cron = lab.kube.json<{ data: Record<string, string> }>(['-n', 'kube-system', 'get', 'configmap', 'whereabouts-config']).data['cron-expression'];
    lab.kube.must(['-n', 'kube-system', 'patch', 'configmap', 'whereabouts-config', '--type', 'merge', '-p', JSON.stringify({ data: { 'cron-expression': '* * * * *' } })]);
    lab.kube.must(['-n', 'kube-system', 'rollout', 'restart', 'deployment/whereabouts-reconciler']);
    // AND load pods on every worker
    const m = loadManifests(lab, 4);
    lab.kube.apply(m.networks);
    // (multinic spreads a Deployment's replicas over the nodes with the interface: charts/workloads/workload.ts)
    const docs = parseAllDocuments(m.workloads).map((d) => d.toJS() as { kind: string; spec: { template?: { spec: Record<string, unknown> } } });
    expect(docs.find((d) => d.kind === 'Deployment')!.spec.template!.spec.topologySpreadConstraints).toBeDefined();
    lab.kube.apply(docs.filter((d) => d.kind === 'Deployment').map((d) => stringify(d)).join('---\n'));
    const pods = await waitFor('4 load pods Running', 180_000, () => {
      const p = loadPods(lab).filter((x) => x.status.phase === 'Running');
      return p.length === 4 ? p : undefined;
    }, 2000);
    const gone = lab.box.workers[lab.box.workers.length - 1];
    const onGone = pods.filter((p) => p.spec.nodeName === gone).map((p) => `${NS}/${p.metadata.name}`);
    expect(onGone.length).toBeGreaterThan(0);
    expect(lab.kube.allocations(RANGE).map(([, ref]) => ref)).toEqual(expect.arrayContaining(onGone));
    // WHEN the node goes away (everything on it stopped, Node deleted: an instance terminated): no CNI DEL ever runs
    // there, and its Whereabouts ip-control-loop (which frees the addresses of deleted pods of its own node) is gone
    // with it, so only the reconciler can free them
    expect((await lab.box.removeNode(gone)).status).toBe(0);
    try {
      // THEN once the pods are garbage-collected, the reconciler frees their addresses, and only theirs
      await waitFor(`the addresses of ${onGone.join(', ')} to be freed`, 300_000, () => {
        const refs = lab.kube.allocations(RANGE).map(([, ref]) => ref);
        return onGone.every((r) => !refs.includes(r)) ? true : undefined;
      }, 3000);
      const kept = pods.filter((p) => p.spec.nodeName !== gone).map((p) => `${NS}/${p.metadata.name}`);
      expect(lab.kube.allocations(RANGE).map(([, ref]) => ref)).toEqual(expect.arrayContaining(kept));
    } finally {
      lab.kube.must(['-n', 'kube-system', 'patch', 'configmap', 'whereabouts-config', '--type', 'merge', '-p', JSON.stringify({ data: { 'cron-expression': cron } })]);
      lab.kube.delete(docs.filter((d) => d.kind === 'Deployment').map((d) => stringify(d)).join('---\n'));
    }
  });
}
