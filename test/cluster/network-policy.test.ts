/**
 * Issue 20, enforced for real: multi-networkpolicy-iptables, as the DaemonSet multinic emits, on the local cluster's
 * kubelet nodes (containerd, CRI), with the MultiNetworkPolicy objects of test/fixtures/cluster/policy-macvlan.yaml.
 * Pings and TCP connects that the policy admits succeed, those it denies are dropped, on both plugin types this
 * kernel offers (macvlan and bridge; it has no ipvlan, and the VM of test/vm that has it runs no kubelet), across both
 * workers, on a network without spec.config (eni-prefix), for a new pod, and after a policy change applied by a second
 * `up`.
 *
 * The daemon's silent failures are ruled out, not assumed:
 * - node name != hostname: every node of the box shares this machine's hostname, and a daemon pod is Ready only once
 *   it logged the name of its own node (`--hostname-override`), so Ready daemons prove the override works;
 * - plugin types missing from `--network-plugins`: the bridge network is policed only if `bridge` is listed;
 * - networks without spec.config: prefix-net (eni-prefix) is policed only if the daemon reads the node's per-node file;
 * - selectors that cross namespaces: "intruder" carries the client's labels in another namespace and is dropped;
 * - the seconds before a new pod's rules land: every verdict is waited for (bounded), then confirmed; a replaced
 *   server pod's open window is measured and printed.
 * A denial counts only as a drop (a timeout): "connection refused" or a missing tool fails the test instead, and each
 * port that is denied is shown to be served (8080 over eth0, 80 to the client).
 *
 * Needs root, namespaces and the built artifacts (MULTINIC_BOX_ARTIFACTS, from `bash cluster/build/build.sh`);
 * skipped otherwise, naming why.
 */
import * as path from 'node:path';
import { BoxNames } from '../../cluster/box';
import { down } from '../../cluster/down';
import { type Box, boxSupport, startBox } from '../../cluster/testing';
import { NETWORK_STATUS_ANNOTATION, parseNetworkStatus } from '../../lib/verify/network-status';
import { MULTI_NETWORKPOLICY_NAME } from '../../charts/policy/multi-networkpolicy-daemon';
import { VERSIONS } from '../../lib/versions';

jest.setTimeout(900_000);

const support = boxSupport();
const describeBox = support.ok ? describe : describe.skip;
if (!support.ok) process.stderr.write(`test/cluster/network-policy skipped: ${support.reason}\n`);

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'cluster');
const FIRST = path.join(FIXTURES, 'policy-macvlan.yaml');
const CHANGED = path.join(FIXTURES, 'policy-macvlan-changed.yaml');
const CLUSTER = 'policy';
const NS = 'policy';
const ELSEWHERE = 'elsewhere';
/** How long a verdict may take to settle: rules land 1.2-3 s after a change (6 s once) on the prototype; an ICMP change also rolls the daemon. */
const SETTLE_MS = 60_000;
/** Interfaces of the fixture's networks, in the order the workloads attach them. */
const IF = { policy: 'net1', closed: 'net2', prefix: 'net3', bridge: 'net4' } as const;

interface Pod {
  metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { nodeName?: string };
  status: { phase?: string; podIP?: string };
}

let box: Box | undefined;

/** The pod's IPv4 address on `ifname` (eth0: its pod IP). */
function addressOf(pod: Pod, ifname: string): string {
  if (ifname === 'eth0' && pod.status.podIP) return pod.status.podIP;
  const status = parseNetworkStatus(pod.metadata.annotations?.[NETWORK_STATUS_ANNOTATION]);
  if (typeof status === 'string') throw new Error(`${pod.metadata.name}: ${status}`);
  const ip = status.find((e) => e.interface === ifname)?.ips.find((i) => i.includes('.'));
  if (!ip) throw new Error(`${pod.metadata.name} has no IPv4 address on ${ifname}`);
  return ip;
}

async function podsIn(ns: string): Promise<Pod[]> {
  return (await box!.get<{ items: Pod[] }>(['pods', '-n', ns])).items;
}

/** Waits until `count` pods of `ns` run with their networks (and none is terminating); returns them. */
async function waitPodsRunning(ns: string, count: number): Promise<Pod[]> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const all = await podsIn(ns);
    const ready = all.filter((p) => p.status.phase === 'Running' && p.metadata.annotations?.[NETWORK_STATUS_ANNOTATION]);
    if (ready.length === count && all.length === count) return ready;
    if (Date.now() > deadline) throw new Error(`pods in ${ns} not running with networks: ${all.map((p) => `${p.metadata.name}=${p.status.phase}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

type Probe = { kind: 'tcp'; port: number } | { kind: 'ping' };
/** `reached`; `dropped` (no answer within the timeout: what the daemon's DROP gives); else what went wrong. */
type Outcome = 'reached' | 'dropped' | `other: ${string}`;

/**
 * One HTTP request or one ping from pod `from` to `ip`, 2 s timeout. curl, not busybox wget: the box's stand-in image
 * has a static busybox whose wget crashes (SIGSEGV, exit 139) on every request; ping works.
 */
async function probe(from: Pod, ip: string, p: Probe): Promise<Outcome> {
  const cmd = p.kind === 'ping'
    ? `ping -c 1 -W 2 ${ip} >/dev/null 2>&1; echo "rc=$?"`
    : `curl -sS -o /dev/null --connect-timeout 2 -m 3 http://${ip}:${p.port}/ 2>&1; echo "rc=$?"`;
  // The neighbour entry tells a drop by the target's iptables (ARP answered) from a target that is not there at all.
  const r = await box!.exec(from.metadata.namespace, from.metadata.name, ['/bin/sh', '-c', `${cmd}; ip neigh show to ${ip}`]);
  const rc = /rc=(\d+)\n/.exec(r.stdout);
  if (!rc) throw new Error(`kubectl exec in ${from.metadata.name} failed: ${r.stderr || r.stdout}`);
  const code = Number(rc[1]);
  if (code === 0) return 'reached';
  const said = r.stdout.slice(0, rc.index).trim();
  // ping: 1 = no reply; curl: 28 = timed out (a refused connection is 7, which is not a policy's drop)
  if (code !== (p.kind === 'ping' ? 1 : 28)) return `other: exit ${code} ${said}`;
  if (!/lladdr/.test(r.stdout.slice(rc.index))) return `other: no ARP answer from ${ip} (not there at layer 2) ${said}`;
  return 'dropped';
}

/**
 * Waits (bounded) until `from` -> `ip` gives `expected`, then checks that it holds on two more tries: a verdict read
 * once could be the seconds before a pod's rules land. Returns how long it took to settle.
 */
async function expectVerdict(from: Pod, ip: string, p: Probe, expected: 'reached' | 'dropped'): Promise<number> {
  const what = `${from.metadata.namespace}/${from.metadata.name} -> ${ip} ${p.kind === 'ping' ? 'ping' : `TCP ${p.port}`}`;
  const start = Date.now();
  let last: Outcome;
  while ((last = await probe(from, ip, p)) !== expected) {
    if (Date.now() - start > SETTLE_MS) throw new Error(`${what}: ${last} after ${SETTLE_MS / 1000} s; expected ${expected}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  const settled = Date.now() - start;
  for (let i = 0; i < 2; i++) expect([what, await probe(from, ip, p)]).toEqual([what, expected]);
  return settled;
}

beforeAll(async () => {
  if (!support.ok) return;
  try {
    box = await startBox({ intentFile: FIRST, cluster: CLUSTER });
  } catch (e) {
    // startBox keeps the logs but not the box: take it down before failing (nothing of it may outlive the suite).
    await down(new BoxNames(CLUSTER)).catch(() => undefined);
    throw e;
  }
}, 900_000);

afterAll(async () => {
  if (box) expect((await box.stop()).leftovers ?? []).toEqual([]);
}, 300_000);

/** On failure, the box's logs are kept and their folder named. */
async function withLogs(f: () => Promise<void>): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (box) (e as Error).message += `\nbox logs: ${await box.collectLogs().catch(() => 'not collected')}`;
    throw e;
  }
}

/** The pods of the fixture, by role. */
interface Cast { servers: Pod[]; clients: Pod[]; other: Pod; intruder: Pod }
let cast: Cast;

async function castOf(): Promise<Cast> {
  const all = await waitPodsRunning(NS, 5);
  const [intruder] = await waitPodsRunning(ELSEWHERE, 1);
  return {
    servers: all.filter((p) => p.metadata.labels?.app === 'server'),
    clients: all.filter((p) => p.metadata.labels?.app === 'client'),
    other: all.find((p) => p.metadata.name === 'other')!,
    intruder,
  };
}

/** The pod of `pods` on the node of `pod`. */
function sameNode(pods: readonly Pod[], pod: Pod): Pod {
  const found = pods.find((p) => p.spec.nodeName === pod.spec.nodeName);
  if (!found) throw new Error(`no pod of ${pods.map((p) => p.metadata.name).join(', ')} on ${pod.spec.nodeName}`);
  return found;
}

describeBox('MultiNetworkPolicy enforced by multi-networkpolicy-iptables on the local cluster (macvlan, bridge)', () => {
  test('every daemon pod is Ready (it logged its own node\'s name, not the shared hostname), with the pinned image and both plugin types', () => withLogs(async () => {
    type Ds = { status: { desiredNumberScheduled: number; numberReady: number }; spec: { template: { spec: { containers: { image: string; args: string[] }[] } } } };
    const get = () => box!.get<Ds>(['daemonset', '-n', VERSIONS.multiNetworkPolicy.namespace, MULTI_NETWORKPOLICY_NAME]);
    const ds = await get();
    expect(ds.spec.template.spec.containers[0].image).toBe(VERSIONS.multiNetworkPolicy.image);
    expect(ds.spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['--network-plugins=bridge,macvlan', '--hostname-override=$(NODE_NAME)']));
    const deadline = Date.now() + 120_000;
    let status = ds.status;
    while (status.numberReady < status.desiredNumberScheduled || status.desiredNumberScheduled === 0) {
      if (Date.now() > deadline) throw new Error(`daemon pods ready: ${status.numberReady} of ${status.desiredNumberScheduled}`);
      await new Promise((r) => setTimeout(r, 1000));
      status = (await get()).status;
    }
    // one per node: the control plane and both workers
    expect(status.desiredNumberScheduled).toBe(3);
  }));

  test('the pods run with their four networks; servers and clients on both workers', () => withLogs(async () => {
    cast = await castOf();
    // A replica placed before the second worker lost its readiness taint shares a node: delete it, the replacement
    // spreads (the Deployments' spread constraint).
    for (const group of [cast.servers, cast.clients]) {
      if (group[0].spec.nodeName === group[1].spec.nodeName) {
        await box!.kubectlOk(['delete', 'pod', '-n', NS, group[1].metadata.name, '--wait=true']);
        cast = await castOf();
      }
    }
    for (const group of [cast.servers, cast.clients]) {
      expect(group).toHaveLength(2);
      expect(new Set(group.map((s) => s.spec.nodeName)).size).toBe(2);
    }
    for (const p of [...cast.servers, ...cast.clients, cast.other]) for (const ifname of Object.values(IF)) addressOf(p, ifname);
  }));

  test('the cluster network is untouched: a client reaches both servers over eth0 on 8080, which secondary networks deny', () => withLogs(async () => {
    await Promise.all(cast.servers.map((s) => expectVerdict(cast.clients[0], addressOf(s, 'eth0'), { kind: 'tcp', port: 8080 }, 'reached')));
  }));

  test('policy-net (macvlan, whereabouts): the clients reach the servers on TCP 80 and by ping, across nodes; 8080 is dropped', () => withLogs(async () => {
    await Promise.all(cast.clients.flatMap((c) => cast.servers.map(async (s) => {
      const ip = addressOf(s, IF.policy);
      await expectVerdict(c, ip, { kind: 'tcp', port: 80 }, 'reached');
      await expectVerdict(c, ip, { kind: 'ping' }, 'reached');
    })));
    await Promise.all(cast.servers.map((s) => expectVerdict(cast.clients[0], addressOf(s, IF.policy), { kind: 'tcp', port: 8080 }, 'dropped')));
  }));

  test('policy-net: "other" and "intruder" (the client\'s labels in another namespace) are dropped on TCP 80', () => withLogs(async () => {
    await Promise.all(cast.servers.flatMap((s) => [cast.other, cast.intruder].map((from) => expectVerdict(from, addressOf(s, IF.policy), { kind: 'tcp', port: 80 }, 'dropped'))));
  }));

  test('closed-net admits nothing: no ping, no TCP 80 from a client', () => withLogs(async () => {
    await Promise.all(cast.servers.map(async (s) => {
      await expectVerdict(cast.clients[0], addressOf(s, IF.closed), { kind: 'ping' }, 'dropped');
      await expectVerdict(cast.clients[0], addressOf(s, IF.closed), { kind: 'tcp', port: 80 }, 'dropped');
    }));
  }));

  test('prefix-net (eni-prefix, a NAD without spec.config): the clients reach the servers on TCP 80 across nodes; "other" is dropped', () => withLogs(async () => {
    await Promise.all(cast.clients.flatMap((c) => cast.servers.map((s) => expectVerdict(c, addressOf(s, IF.prefix), { kind: 'tcp', port: 80 }, 'reached'))));
    await Promise.all(cast.servers.map((s) => expectVerdict(cast.other, addressOf(s, IF.prefix), { kind: 'tcp', port: 80 }, 'dropped')));
  }));

  test('bridge-net (the bridge plugin, node-local): a client reaches the server on its node on TCP 80; "other" is dropped', () => withLogs(async () => {
    await Promise.all(cast.servers.map((s) => expectVerdict(sameNode(cast.clients, s), addressOf(s, IF.bridge), { kind: 'tcp', port: 80 }, 'reached')));
    const s = sameNode(cast.servers, cast.other);
    await expectVerdict(cast.other, addressOf(s, IF.bridge), { kind: 'tcp', port: 80 }, 'dropped');
  }));

  test('a new server pod: its rules land within seconds of Running (the window is measured), then it is closed like the others', () => withLogs(async () => {
    const old = cast.servers[0];
    await box!.kubectlOk(['delete', 'pod', '-n', NS, old.metadata.name, '--wait=false']);
    let fresh: Pod | undefined;
    const deadline = Date.now() + 120_000;
    while (!fresh) {
      if (Date.now() > deadline) throw new Error('the replacement server pod did not run');
      fresh = (await podsIn(NS)).find((p) => p.metadata.labels?.app === 'server' && p.metadata.name !== old.metadata.name
        && !cast.servers.some((s) => s.metadata.name === p.metadata.name) && p.status.phase === 'Running'
        && p.metadata.annotations?.[NETWORK_STATUS_ANNOTATION] !== undefined);
      if (!fresh) await new Promise((r) => setTimeout(r, 200));
    }
    const window = await expectVerdict(cast.other, addressOf(fresh, IF.policy), { kind: 'tcp', port: 80 }, 'dropped');
    process.stderr.write(`network-policy: a new server pod was open to "other" for about ${window} ms after it ran\n`);
    await expectVerdict(cast.clients[0], addressOf(fresh, IF.policy), { kind: 'tcp', port: 80 }, 'reached');
    cast = await castOf();
  }));

  test('after a second up with a changed policy: "other" reaches TCP 80 on policy-net, closed-net answers a client\'s ping; the rest stays closed', () => withLogs(async () => {
    const report = await box!.apply(CHANGED);
    expect(report.ok).toBe(true);
    cast = await castOf();
    await Promise.all(cast.servers.map(async (s) => {
      await expectVerdict(cast.other, addressOf(s, IF.policy), { kind: 'tcp', port: 80 }, 'reached');
      await expectVerdict(cast.clients[0], addressOf(s, IF.closed), { kind: 'ping' }, 'reached');
      // still closed: what the change did not admit
      await expectVerdict(cast.other, addressOf(s, IF.policy), { kind: 'tcp', port: 8080 }, 'dropped');
      await expectVerdict(cast.clients[0], addressOf(s, IF.closed), { kind: 'tcp', port: 80 }, 'dropped');
      await expectVerdict(cast.intruder, addressOf(s, IF.policy), { kind: 'tcp', port: 80 }, 'dropped');
    }));
  }));
});
