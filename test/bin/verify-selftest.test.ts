import { runVerifySelftest } from '../../bin/commands/private/verify-selftest';
import type { KubePod } from '../../lib/kube/types';
import {
  DONE_TAG, formatResultLine, SELFTEST_NAMESPACE, SELFTEST_NETWORK_LABEL, SELFTEST_ROLE_LABEL, selftestNetworks,
  type ClientRole, type SelftestNetwork,
} from '../../lib/selftest';
import { buildModel } from '../../lib/model/model';
import { startAdminFakeApi, tls, type AdminFakeApi, type FakeApi } from '../kube/fake-api-server';
import { verifyIntent, writeIntent } from '../verify/fixtures';

// The verify fixture intent: ipvlan-conf (host-local) and whereabouts-eth1-conf on multus0, two workers.
const intentFile = writeIntent();
const networks = selftestNetworks(buildModel(verifyIntent()));
let fake: AdminFakeApi;
let api: FakeApi;
let kubeconfig: string;

beforeAll(async () => {
  fake = await startAdminFakeApi();
  ({ api, kubeconfig } = fake);
});
afterAll(() => fake.close());

const clientPod = (n: SelftestNetwork, client: ClientRole, phase: string, suffix = 'abcde'): KubePod => ({
  metadata: { name: `${n.id}-${client}-${suffix}`, namespace: SELFTEST_NAMESPACE, labels: { [SELFTEST_NETWORK_LABEL]: n.id, [SELFTEST_ROLE_LABEL]: client } },
  spec: { nodeName: 'worker-1' },
  status: { phase },
});

/** The log a client prints when every case gives `result(case)`. */
function log(n: SelftestNetwork, client: ClientRole, pod: string, result: (c: SelftestNetwork['cases'][number]) => 'pass' | 'fail' = (c) => c.expect): string {
  const lines = n.cases.filter((c) => c.client === client).map((c) => formatResultLine({
    network: n.network.key, client, fromPod: pod, fromNode: 'worker-1', toPod: c.server, toNode: c.sameNode ? 'worker-1' : 'worker-2',
    via: c.via, sameNode: c.sameNode, expect: c.expect, result: result(c),
  }));
  return ['waiting for servers', ...lines, `${DONE_TAG} network=${n.network.key} client=${client} cases=${lines.length}`, ''].join('\n');
}

/** Every client Succeeded with the given results. */
function deployFinished(result?: (n: SelftestNetwork, c: SelftestNetwork['cases'][number]) => 'pass' | 'fail') {
  api.pods = [];
  api.logs = {};
  for (const n of networks) {
    for (const client of ['attached', 'unattached'] as const) {
      const p = clientPod(n, client, 'Succeeded');
      api.pods.push(p);
      api.logs[`${SELFTEST_NAMESPACE}/${p.metadata.name}`] = log(n, client, p.metadata.name, result ? (c) => result(n, c) : undefined);
    }
  }
}

beforeEach(() => {
  api.requests.length = 0;
  api.failWith = undefined;
  deployFinished();
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}
const run = (c: ReturnType<typeof capture>, ...args: string[]) => runVerifySelftest(['--selftest', '-i', intentFile, '--kubeconfig', kubeconfig, ...args], c.io, { env: {} });
const lines = (c: ReturnType<typeof capture>) => c.out.join('\n').split('\n');

tls.describe('multinic verify --selftest', () => {
  test('GIVEN the matrix of the fixture intent THEN 2 networks x 2 clients x 2 servers x 2 interfaces', () => {
    expect(networks.map((n) => [n.network.key, n.cases.length])).toEqual([['default/ipvlan-conf', 8], ['dcjeon/whereabouts-eth1-conf', 8]]);
  });

  test('every case as expected (cross-node net1 fails on these host-local/whereabouts networks, as expected): exit 0', async () => {
    // GIVEN every client Succeeded and printed the expected results
    const c = capture();
    // WHEN verified
    const code = await run(c);
    // THEN exit 0, a table of 16 OK rows, one list and one log request per client
    expect(code).toBe(0);
    const l = lines(c);
    expect(l[0]).toMatch(/^NETWORK\s+FROM\s+TO\s+VIA\s+SAME NODE\s+EXPECTED\s+RESULT\s+STATUS$/);
    expect(l.filter((x) => / OK$/.test(x))).toHaveLength(16);
    expect(l.at(-1)).toBe('16 cases, all as expected.');
    const n = networks[0];
    expect(l[4]).toMatch(new RegExp(`^default/ipvlan-conf\\s+${n.id}-attached-abcde@worker-1\\s+${n.id}-server-b@worker-2\\s+net1\\s+no\\s+fail\\s+fail\\s+OK$`));
    expect(api.requests).toEqual([
      `/api/v1/namespaces/${SELFTEST_NAMESPACE}/pods?limit=500`,
      ...networks.flatMap((x) => ['attached', 'unattached'].map((r) => `/api/v1/namespaces/${SELFTEST_NAMESPACE}/pods/${x.id}-${r}-abcde/log?container=client`)),
    ]);
  });

  test('a cross-node ping that fails where it should pass: exit 1, that row FAIL with the reason', async () => {
    // GIVEN the attached client of ipvlan-conf could not reach server B over eth0
    deployFinished((n, c) => (n === networks[0] && c.client === 'attached' && !c.sameNode && c.via === 'eth0' ? 'fail' : c.expect));
    const c = capture();
    // WHEN verified
    const code = await run(c);
    // THEN exit 1, exactly one FAIL row and its note
    expect(code).toBe(1);
    const l = lines(c);
    const bad = l.filter((x) => /\s(FAIL|RUNNING|MISSING|ERROR)$/.test(x));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^default\/ipvlan-conf\s+\S+-attached-abcde@worker-1\s+\S+-server-b@worker-2\s+eth0\s+no\s+pass\s+fail\s+FAIL$/);
    expect(l).toContain(`default/ipvlan-conf attached -> ${networks[0].id}-server-b@worker-2 via eth0: expected pass (cluster network), got fail`);
    expect(l.at(-1)).toBe('1 of 16 cases differ from the expectation or have not finished.');
  });

  test('a client still running: its cases RUNNING, exit 1', async () => {
    // GIVEN the unattached client of whereabouts-eth1-conf Running, its log so far without result lines
    const n = networks[1];
    const p = api.pods.find((x) => x.metadata.name === `${n.id}-unattached-abcde`)!;
    api.pods = api.pods.map((x) => (x === p ? { ...p, status: { phase: 'Running' } } : x));
    api.logs[`${SELFTEST_NAMESPACE}/${p.metadata.name}`] = 'waiting for servers\n';
    const c = capture();
    // WHEN verified
    const code = await run(c);
    // THEN exit 1 and its 4 cases RUNNING, the rest OK
    expect(code).toBe(1);
    const l = lines(c);
    expect(l.filter((x) => /\sRUNNING$/.test(x))).toHaveLength(4);
    expect(l.filter((x) => /\sOK$/.test(x))).toHaveLength(12);
    expect(l.filter((x) => /\sRUNNING$/.test(x)).every((x) => x.startsWith(`dcjeon/whereabouts-eth1-conf  ${n.id}-unattached-abcde `))).toBe(true);
    expect(l.at(-1)).toBe('4 of 16 cases differ from the expectation or have not finished.');
  });

  test('a Pending client: its log is not asked for, cases RUNNING', async () => {
    const n = networks[0];
    api.pods = api.pods.map((x) => (x.metadata.name === `${n.id}-attached-abcde` ? { ...x, status: { phase: 'Pending' } } : x));
    const c = capture();
    expect(await run(c)).toBe(1);
    expect(api.requests).not.toContain(`/api/v1/namespaces/${SELFTEST_NAMESPACE}/pods/${n.id}-attached-abcde/log?container=client`);
    expect(lines(c).filter((x) => /\sRUNNING$/.test(x))).toHaveLength(4);
  });

  test('no self-test deployed: exit 1, one line that says how to deploy it, no table', async () => {
    // GIVEN an empty namespace
    api.pods = [];
    const c = capture();
    // WHEN verified
    const code = await run(c);
    // THEN
    expect(code).toBe(1);
    expect(c.out).toEqual([]);
    expect(c.err.at(-1)).toBe(`multinic verify --selftest: no self-test client pods in namespace ${SELFTEST_NAMESPACE}; deploy the self-test with \`multinic synth --with-selftest -o dist\` and \`kubectl apply -f dist/\`, then run this again.`);
  });

  test('--json prints the report with counts', async () => {
    const c = capture();
    expect(await run(c, '--json')).toBe(0);
    const rep = JSON.parse(c.out.join('\n'));
    expect([rep.ok, rep.problems, rep.rows.length, rep.rows[0].status]).toEqual([16, 0, 16, 'ok']);
  });

  test('an unknown flag: exit 2 with the usage, nothing asked', async () => {
    const c = capture();
    expect(await run(c, '--bogus')).toBe(2);
    expect(c.err.join('\n')).toContain('Usage: multinic verify --selftest');
    expect(api.requests).toEqual([]);
  });
});
