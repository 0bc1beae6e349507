import { runVerifyK8s } from '../../bin/commands/private/verify-k8s';
import { kubeNode, kubePod, matchingCluster, networkStatus, writeIntent } from '../verify/fixtures';
import { startAdminFakeApi, tls, type AdminFakeApi, type FakeApi } from './fake-api-server';

let fake: AdminFakeApi;
let api: FakeApi;
let kubeconfig: string;
const intentFile = writeIntent();

beforeAll(async () => {
  fake = await startAdminFakeApi();
  ({ api, kubeconfig } = fake);
});
afterAll(() => fake.close());
beforeEach(() => {
  const c = matchingCluster();
  api.nodes = c.nodes;
  api.pods = c.pods;
  api.requests.length = 0;
  api.failWith = undefined;
});

/** stdout, stderr lines, and what a terminal on stderr was sent (progress), unless `tty` is false. */
function capture(tty = true) {
  const out: string[] = [];
  const err: string[] = [];
  const status: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), ...(tty ? { status: { write: (t: string) => status.push(t) } } : {}) }, out, err, status };
}
/** The progress lines a terminal showed, in order. */
const shown = (c: ReturnType<typeof capture>) => c.status.join('').split(/\r\x1b\[2K|\n/).filter(Boolean);
const run = (c: ReturnType<typeof capture>, ...args: string[]) => runVerifyK8s(['--k8s', '-i', intentFile, '--kubeconfig', kubeconfig, ...args], c.io, { env: {} });
const problemLines = (out: string[]) => out.join('\n').split('\n').slice(1).filter((l) => l && !/\sOK$/.test(l) && !/check/.test(l));

tls.describe('multinic verify --k8s', () => {
  test('a cluster as intended: exit 0, every row OK, pods listed by workload query', async () => {
    // GIVEN the API server holding the nodes and pods the intent describes
    const c = capture();
    // WHEN verified over TLS with kubeadm-style client certificate credentials
    const code = await run(c);
    // THEN exit 0: 2 group counts + 2 interface labels + 2 readiness taints + 2 workload counts + 3 address rows
    expect(code).toBe(0);
    const lines = c.out.join('\n').split('\n');
    expect(lines[0]).toMatch(/^OBJECT\s+GROUP\s+DEVICE\s+CHECK\s+EXPECTED\s+OBSERVED\s+STATUS$/);
    expect(lines.at(-1)).toBe('11 checks, all as intended.');
    expect(api.requests).toEqual([
      '/api/v1/nodes?limit=500',
      '/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dmultus-sample-pod&limit=500',
      '/api/v1/namespaces/dcjeon/pods?labelSelector=app%3Dubuntu&limit=500',
    ]);
    expect(shown(c)).toContain('multinic verify --k8s: pods in dcjeon (app=ubuntu): page 1, 2 so far');
  });

  test('pods whose network-status misses an interface or has an address out of range, a node without its label: exit 1, those rows', async () => {
    // GIVEN three faults
    api.pods[0] = kubePod('default', 'multus-sample-pod', { status: networkStatus() });
    api.pods[2] = kubePod('dcjeon', 'ubuntu-whereabouts-deploy-7c9d8-fghij', { labels: { app: 'ubuntu' }, owner: 'ubuntu-whereabouts-deploy-7c9d8',
      status: networkStatus({ name: 'dcjeon/whereabouts-eth1-conf', interface: 'net1', ips: ['10.4.128.1'] }) });
    api.nodes[2] = kubeNode('worker-2', 'workers');
    const c = capture();
    // WHEN verified
    const code = await run(c);
    // THEN exit 1 and exactly three rows differ
    expect(code).toBe(1);
    const bad = problemLines(c.out);
    expect(bad).toHaveLength(3);
    expect(bad[0]).toMatch(/^worker-2\s+workers\s+multus0\s+label multinic\.dev\/interface-multus0\s+true\s+\(absent\)\s+MISSING$/);
    expect(bad[1]).toMatch(/^default\/multus-sample-pod\s+default\/multus-sample-pod\s+net1\s+interface\s+default\/ipvlan-conf\s+\(not in network-status\)\s+MISSING$/);
    expect(bad[2]).toMatch(/^dcjeon\/ubuntu-whereabouts-deploy-7c9d8-fghij\s+dcjeon\/ubuntu-whereabouts-deploy\s+net1\s+address\s+10\.4\.128\.1-10\.4\.128\.254 minus 10\.4\.128\.0\/30\s+10\.4\.128\.1\s+DRIFT$/);
    expect(c.out.join('\n')).toMatch(/3 of 11 checks differ from the intent\.$/);
  });

  test('lists follow the continue token, with progress per page on a terminal (none with --json)', async () => {
    const c = capture();
    const code = await runVerifyK8s(['-i', intentFile, '--kubeconfig', kubeconfig], c.io, { env: {}, pageSize: 1 });
    expect(code).toBe(0);
    expect(api.requests.filter((r) => r.startsWith('/api/v1/nodes'))).toEqual([
      '/api/v1/nodes?limit=1', '/api/v1/nodes?limit=1&continue=1', '/api/v1/nodes?limit=1&continue=2',
    ]);
    expect(shown(c).filter((l) => l.includes(': nodes:'))).toEqual([
      'multinic verify --k8s: nodes: page 1, 1 so far', 'multinic verify --k8s: nodes: page 2, 2 so far', 'multinic verify --k8s: nodes: page 3, 3 so far',
    ]);
    expect(c.err).toEqual([]);
    const j = capture();
    expect(await runVerifyK8s(['-i', intentFile, '--kubeconfig', kubeconfig, '--json'], j.io, { env: {}, pageSize: 1 })).toBe(0);
    expect([j.status, j.err]).toEqual([[], []]);
  });

  // The seed's EC2 failure: eth1 attached by hand had a MAC and no IPv4 address, and nothing said so. A multinic node
  // keeps its startup taint (lib/readiness.ts) until its in-guest setup has configured every secondary interface.
  test('a node booted without the in-guest setup (its multus0 has a MAC and no IPv4): exit 1, the row names node and interface', async () => {
    // GIVEN worker-2 registered with the readiness taint, which its in-guest setup never removed
    api.nodes[2] = { ...api.nodes[2], spec: { taints: [{ key: 'multinic.dev/networks-not-ready', value: 'true', effect: 'NoSchedule' }] } };
    const c = capture();
    // WHEN verified
    const code = await run(c);
    // THEN exit 1 and the one differing row is worker-2's multus0
    expect(code).toBe(1);
    expect(problemLines(c.out)).toEqual([expect.stringMatching(
      /^worker-2\s+workers\s+multus0\s+taint multinic\.dev\/networks-not-ready\s+\(absent: interfaces configured\)\s+NoSchedule: setup of multus0 not complete, or Multus not running\s+MISSING$/)]);
    expect(c.out.join('\n')).toMatch(/1 of 11 checks differ from the intent\.$/);
  });

  test('KUBECONFIG is used when there is no flag; --json prints the report', async () => {
    const c = capture();
    expect(await runVerifyK8s(['-i', intentFile, '--json'], c.io, { env: { KUBECONFIG: kubeconfig } })).toBe(0);
    const rep = JSON.parse(c.out.join('\n'));
    expect([rep.ok, rep.problems, rep.rows.length]).toEqual([11, 0, 11]);
  });

  test.each<[string, { status: number; message: string } | undefined, string | undefined, RegExp]>([
    ['RBAC refuses', { status: 403, message: 'nodes is forbidden' }, undefined, /^multinic verify --k8s: GET \/api\/v1\/nodes is forbidden \(403: nodes is forbidden\)/],
    ['no kubeconfig', undefined, '/nonexistent/kubeconfig', /^multinic verify --k8s: cannot read kubeconfig \/nonexistent\/kubeconfig \(ENOENT\)/],
  ])('%s: exit 1 with one clear line, no table', async (_what, failWith, file, message) => {
    api.failWith = failWith;
    const c = capture();
    expect(await runVerifyK8s(['-i', intentFile, '--kubeconfig', file ?? kubeconfig], c.io, { env: {} })).toBe(1);
    expect(c.err).toHaveLength(c.err.filter((l) => l.includes(': page ')).length + 1);
    expect(c.err.at(-1)).toMatch(message);
    expect(c.out).toEqual([]);
  });

  test('an unknown flag: exit 2 with the usage, nothing asked', async () => {
    const c = capture();
    expect(await run(c, '--bogus')).toBe(2);
    expect(c.err.join('\n')).toContain('Usage: multinic verify --k8s');
    expect(api.requests).toEqual([]);
  });
});
