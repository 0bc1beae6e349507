/**
 * The client script for real: bash, curl and jq against the fake API server over TLS (the Role's one permission,
 * GET of a server pod by name), and iputils ping in network namespaces this test creates, bound to the client's
 * eth0 and net1 as in the pod. Server B's net1 address is assigned nowhere: the seed's cross-node failure; or it is
 * an address held on the client's own segment (host-local on two nodes), where a ping answered by the wrong pod fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KubePod } from '../../lib/kube/types';
import { CLIENT_SCRIPT, clientEnv, DONE_TAG, ERROR_TAG, formatResultLine, SELFTEST_NAMESPACE, selftestNetworks } from '../../lib/selftest';
import { makePki, startFakeApi, TOKEN, type FakeApi, type Pki } from '../kube/fake-api-server';
import { defaultModel } from '../util/default-model';
import { must, run } from '../util/netns';
import { requireTools } from '../util/require-tool';

const routable = selftestNetworks(defaultModel()).find((n) => n.network.key === 'redhet-demo/routable-net')!;
const [serverA, serverB] = routable.servers.map((s) => s.pod);
const tag = `mst${process.pid}`;
const CLIENT_NS = `${tag}c`;
const SERVER_NS = `${tag}s`;
const needs = requireTools(['ip', 'ping', 'curl', 'jq', 'openssl', 'shellcheck'], { root: 'network namespaces' });

/** The net1 MACs of the servers (server A's is its veth's in the servers' namespace). */
const MAC_A = '0a:00:00:00:00:02';
const MAC_B = '0a:00:00:00:00:03';

function serverPod(name: string, node: string, eth0: string, net1: string, mac = name === serverB ? MAC_B : MAC_A, phase = 'Running'): KubePod {
  return {
    metadata: {
      name, namespace: SELFTEST_NAMESPACE,
      annotations: {
        'k8s.v1.cni.cncf.io/network-status': JSON.stringify([
          { name: 'k8s-pod-network', ips: [eth0], default: true, dns: {} },
          { name: 'redhet-demo/routable-net', interface: 'net1', ips: [net1], mac, dns: {} },
        ]),
      },
    },
    spec: { nodeName: node },
    status: { phase },
  };
}

needs.describe('CLIENT_SCRIPT', () => {
  let pki: Pki;
  let api: FakeApi;
  let dir: string;

  beforeAll(async () => {
    pki = makePki();
    api = await startFakeApi(pki);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-selftest-'));
    // the service account mount, as kubelet writes it
    fs.mkdirSync(path.join(dir, 'sa'));
    fs.writeFileSync(path.join(dir, 'sa', 'namespace'), SELFTEST_NAMESPACE);
    fs.writeFileSync(path.join(dir, 'sa', 'token'), TOKEN);
    fs.copyFileSync(pki.caCert, path.join(dir, 'sa', 'ca.crt'));
    // ping runs in the client's namespace, as it would in the pod
    fs.mkdirSync(path.join(dir, 'bin'));
    // (ping, and ip for who answered; the wrappers call ip by its path, not themselves)
    const ip = must('sh', ['-c', 'command -v ip']).trim();
    for (const tool of ['ping', 'ip']) {
      fs.writeFileSync(path.join(dir, 'bin', tool), `#!/bin/sh\nexec ${ip} netns exec ${CLIENT_NS} ${must('sh', ['-c', `command -v ${tool}`]).trim()} "$@"\n`, { mode: 0o755 });
    }
    // client eth0/net1 wired to a "servers" namespace: eth0 10.99.0.0/24, net1 10.98.0.0/24
    must('ip', ['netns', 'add', CLIENT_NS]);
    must('ip', ['netns', 'add', SERVER_NS]);
    for (const [ifname, prefix] of [['eth0', '10.99.0'], ['net1', '10.98.0']]) {
      must('ip', ['-n', CLIENT_NS, 'link', 'add', ifname, 'type', 'veth', 'peer', 'name', `p${ifname}`, 'netns', SERVER_NS]);
      must('ip', ['-n', CLIENT_NS, 'addr', 'add', `${prefix}.1/24`, 'dev', ifname]);
      must('ip', ['-n', CLIENT_NS, 'link', 'set', ifname, 'up']);
      must('ip', ['-n', SERVER_NS, 'link', 'set', `p${ifname}`, 'up']);
    }
    // server A's eth0 and net1, server B's eth0; server B's net1 (10.98.0.3) is nowhere
    for (const [addr, dev] of [['10.99.0.2/24', 'peth0'], ['10.99.0.3/24', 'peth0'], ['10.98.0.2/24', 'pnet1']]) must('ip', ['-n', SERVER_NS, 'addr', 'add', addr, 'dev', dev]);
    must('ip', ['-n', SERVER_NS, 'link', 'set', 'pnet1', 'address', MAC_A]);
  });
  afterAll(async () => {
    run('ip', ['netns', 'del', CLIENT_NS]);
    run('ip', ['netns', 'del', SERVER_NS]);
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(pki.dir, { recursive: true, force: true });
  });

  // Asynchronous: the fake API server answers from this process's event loop.
  const runScript = (env: Record<string, string>) => new Promise<{ stdout: string; status: number | null }>((resolve) => {
    const child = spawn('bash', ['-c', CLIENT_SCRIPT], {
      timeout: 30_000, killSignal: 'SIGKILL', stdio: ['ignore', 'pipe', 'ignore'],
      env: {
        PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`, KUBE_API: api.url, SA_DIR: path.join(dir, 'sa'),
        ...clientEnv(routable, 'attached'), PING_COUNT: '1', WAIT_SECONDS: '10', POD_NAME: 'client-abcde', NODE_NAME: 'worker-1', ...env,
      },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
    child.on('close', (status) => resolve({ stdout, status }));
  });

  test('shellcheck finds nothing', () => {
    // GIVEN the script  WHEN checked  THEN clean
    const r = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: CLIENT_SCRIPT, encoding: 'utf8', timeout: 20_000 });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  test('servers ready: one line per case in the result format, the cross-node net1 ping fails, then DONE', async () => {
    // GIVEN server A on the client's node and server B on another, both Running with both addresses
    api.pods = [serverPod(serverA, 'worker-1', '10.99.0.2', '10.98.0.2'), serverPod(serverB, 'worker-2', '10.99.0.3', '10.98.0.3')];
    api.requests.length = 0;
    // WHEN the attached client runs
    const r = await runScript({});
    // THEN four result lines in the format verify parses, and exit 0
    const line = (to: string, toNode: string, via: 'eth0' | 'net1', sameNode: boolean, result: 'pass' | 'fail') => formatResultLine({
      network: 'redhet-demo/routable-net', client: 'attached', fromPod: 'client-abcde', fromNode: 'worker-1', toPod: to, toNode, via, sameNode, expect: 'pass', result,
    });
    expect(r.stdout.trim().split('\n')).toEqual([
      line(serverA, 'worker-1', 'eth0', true, 'pass'),
      line(serverA, 'worker-1', 'net1', true, 'pass'),
      line(serverB, 'worker-2', 'eth0', false, 'pass'),
      line(serverB, 'worker-2', 'net1', false, 'fail'),
      `${DONE_TAG} network=redhet-demo/routable-net client=attached cases=4`,
    ]);
    expect(r.status).toBe(0);
    // AND it asked for exactly the two server pods by name
    expect(api.requests).toEqual([`/api/v1/namespaces/${SELFTEST_NAMESPACE}/pods/${serverA}`, `/api/v1/namespaces/${SELFTEST_NAMESPACE}/pods/${serverB}`]);
  });

  test('a server that stays Pending: an ERROR line naming it after WAIT_SECONDS, exit 1, no ping', async () => {
    // GIVEN server B Pending without addresses
    api.pods = [serverPod(serverA, 'worker-1', '10.99.0.2', '10.98.0.2'), { ...serverPod(serverB, '', '', ''), metadata: { name: serverB, namespace: SELFTEST_NAMESPACE }, status: { phase: 'Pending' } }];
    // WHEN the client runs with a 1 s wait
    const r = await runScript({ WAIT_SECONDS: '1', POLL_SECONDS: '0.2' });
    // THEN
    expect(r.stdout.trim()).toBe(`${ERROR_TAG} network=redhet-demo/routable-net client=attached reason=servers-not-ready servers=${serverB} waited=1s`);
    expect(r.status).toBe(1);
  });

  test.each([
    // (iputils ping bound to net1 gets no answer from its own address; busybox ping, in the box's image, does)
    ['the client\'s own address', '10.98.0.1', / result=fail( answered=self)?$/],
    ['server A\'s address (another pod on the client\'s segment)', '10.98.0.2', new RegExp(` result=fail answered=${MAC_A}$`)],
  ])('server B\'s net1 address is %s (host-local on two nodes): whatever answers, it is not server B, so the case fails', async (_what, addr, tail) => {
    // GIVEN server B with a net1 address that answers on the client's side
    api.pods = [serverPod(serverA, 'worker-1', '10.99.0.2', '10.98.0.2'), serverPod(serverB, 'worker-2', '10.99.0.3', addr)];
    // WHEN the attached client runs
    const r = await runScript({});
    // THEN server A over net1 passes (its own MAC answered), server B over net1 fails, naming who answered if any
    const lines = r.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/to=\S+@worker-1 via=net1 .* result=pass$/);
    expect(lines[3].startsWith(`${formatResultLine({
      network: 'redhet-demo/routable-net', client: 'attached', fromPod: 'client-abcde', fromNode: 'worker-1', toPod: serverB, toNode: 'worker-2',
      via: 'net1', sameNode: false, expect: 'pass', result: 'fail',
    })}`)).toBe(true);
    expect(lines[3]).toMatch(tail);
    expect(r.status).toBe(0);
  });

  test('the unattached client has no net1: its net1 cases fail, eth0 passes', async () => {
    // GIVEN both servers ready, and a client namespace whose net1 is down and without address (as absent as a ping -I can tell)
    api.pods = [serverPod(serverA, 'worker-1', '10.99.0.2', '10.98.0.2'), serverPod(serverB, 'worker-2', '10.99.0.3', '10.98.0.3')];
    const unattached = selftestNetworks(defaultModel()).find((n) => n.network.key === 'redhet-demo/routable-net')!;
    // WHEN run as the unattached client with net1 deleted
    must('ip', ['-n', CLIENT_NS, 'link', 'del', 'net1']);
    const r = await runScript(clientEnv(unattached, 'unattached'));
    // THEN results pass, fail, pass, fail, each expected so
    expect(r.stdout.trim().split('\n').map((l) => /via=(\S+) .* expect=(\S+) result=(\S+)/.exec(l)?.slice(1).join(' '))).toEqual([
      'eth0 pass pass', 'net1 fail fail', 'eth0 pass pass', 'net1 fail fail', undefined,
    ]);
  });
});
