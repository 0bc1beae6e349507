/**
 * docs/network-policy.md, "Publishing the daemon image", steps 2 and 3 against a real registry on loopback: the image
 * cluster/build/build.sh makes (images/mnp.tar) is pushed with skopeo as the docs say, the digest the registry
 * reports is the one to pin, the pushed image is what the DaemonSet runs (entrypoint, the probe's /bin/sh and grep),
 * and the pinned reference is accepted by the intent and emitted by the chart. Only the AWS login differs on ECR.
 *
 * Needs the box artifacts (the same gate as the cluster suites), skopeo and docker-registry; skipped otherwise.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { boxSupport } from '../../cluster/testing';
import { validateText } from '../../lib/intent/validate';
import { buildPlan } from '../../lib/plan/build';
import { baseIntent, yamlOf } from '../util/intent';
import { gate, missingReason } from '../util/require-tool';

const support = boxSupport();
const needs = gate(support.ok ? missingReason(['skopeo', 'docker-registry']) : support.reason);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

function skopeo(...args: string[]): string {
  const r = spawnSync('skopeo', args, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`skopeo ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

needs.describe('publishing the daemon image (skopeo to a registry on loopback)', () => {
  let dir = '';
  let registry: ChildProcess | undefined;
  let repo = '';

  beforeAll(async () => {
    // here, not in the describe body, which runs (and would leave a folder) also when the suite is skipped
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-publish-'));
    const port = await freePort();
    const config = path.join(dir, 'config.yml');
    fs.writeFileSync(config, [
      'version: 0.1', 'log: { level: warn, accesslog: { disabled: true } }',
      `storage: { filesystem: { rootdirectory: ${path.join(dir, 'data')} } }`, `http: { addr: 127.0.0.1:${port}, secret: test }`, '',
    ].join('\n'));
    registry = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
    repo = `127.0.0.1:${port}/multi-networkpolicy-iptables`;
    const deadline = Date.now() + 10_000;
    while (spawnSync('skopeo', ['list-tags', '--tls-verify=false', `docker://${repo}`], { timeout: 5000 }).stderr?.includes('connection refused')) {
      if (Date.now() > deadline) throw new Error('docker-registry did not listen');
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 30_000);

  afterAll(() => {
    registry?.kill();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('skopeo copy of images/mnp.tar, then the digest skopeo inspect reports: an image the DaemonSet can run, pinned in the intent', () => {
    const archive = path.join((support as { artifacts: string }).artifacts, 'images', 'mnp.tar');
    // WHEN it is pushed and inspected as the docs say (--tls-verify=false: a plain-HTTP registry on loopback)
    skopeo('copy', '--dest-tls-verify=false', `oci-archive:${archive}`, `docker://${repo}:cbf2b11`);
    const digest = skopeo('inspect', '--tls-verify=false', '--format', '{{.Digest}}', `docker://${repo}:cbf2b11`).trim();
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // THEN the pushed image runs the daemon, and has the readiness probe's sh and grep
    const config = JSON.parse(skopeo('inspect', '--tls-verify=false', '--config', `docker://${repo}@${digest}`));
    expect(config.config.Entrypoint).toEqual(['/usr/bin/multi-networkpolicy-iptables']);
    expect([config.os, config.architecture]).toEqual(['linux', 'amd64']);
    skopeo('copy', '--src-tls-verify=false', `docker://${repo}@${digest}`, `dir:${path.join(dir, 'pulled')}`);
    const layers = fs.readdirSync(path.join(dir, 'pulled')).filter((f) => /^[0-9a-f]{64}$/.test(f) && `sha256:${f}` !== config.digest);
    const files = layers.flatMap((l) => spawnSync('tar', ['tzf', path.join(dir, 'pulled', l)], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout.split('\n'));
    expect(files).toEqual(expect.arrayContaining(['usr/bin/multi-networkpolicy-iptables', 'bin/sh', 'bin/grep', 'usr/sbin/iptables-restore']));
    // AND the reference with that digest is a valid spec.policy.daemonImage, which the plan shows
    const intent = baseIntent();
    intent.spec.policy = { daemonImage: `${repo}:cbf2b11@${digest}` };
    const r = validateText(yamlOf(intent), 'intent.yaml');
    expect(r.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(buildPlan(r.intent!).policyDaemon?.image).toBe(`${repo}:cbf2b11@${digest}`);
  }, 120_000);
});
