/**
 * go/ocibuild, the OCI image builder of the local cluster, run as the build runs it: deterministic archives whatever
 * the files' times and modes, the index annotation `ctr images import` names images after, the layer listing, and a
 * registry storage that Debian's real docker-registry serves.
 *
 * Needs Go (skipped with its name otherwise); the registry test also needs docker-registry.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SRC = join(__dirname, '..', '..', '..', 'cluster', 'build', 'go', 'ocibuild');
const hasGo = spawnSync('go', ['version']).status === 0;
const hasRegistry = spawnSync('docker-registry', ['--version']).status === 0;
if (!hasGo) console.warn('test/cluster/build/ocibuild: skipped: go is not installed (Go 1.26, see docs/toolchain.md)');
if (!hasRegistry) console.warn('test/cluster/build/ocibuild: registry test skipped: docker-registry is not installed (apt-get install docker-registry)');
const describeGo = hasGo ? describe : describe.skip;

interface Listing { images: Array<{ ref: string; manifest: string; config: { config: Record<string, unknown>; rootfs: { diff_ids: string[] } }; layers: Array<{ digest: string; entries: string[] }> }> }

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

describeGo('ocibuild', () => {
  let dir: string;
  let bin: string;
  const run = (...args: string[]) => spawnSync(bin, args, { encoding: 'utf8' });
  const ok = (...args: string[]): string => {
    const r = run(...args);
    if (r.status !== 0) throw new Error(`ocibuild ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  /** A small rootfs; `variant` changes only what must not matter (times, group/other bits, creation order). */
  const rootfs = (name: string, variant: boolean): string => {
    const root = join(dir, name);
    mkdirSync(join(root, 'usr', 'bin'), { recursive: true });
    mkdirSync(join(root, 'tmp'));
    chmodSync(join(root, 'tmp'), 0o1777);
    if (variant) writeFileSync(join(root, 'usr', 'bin', 'hello'), '#!/bin/sh\necho hello\n');
    writeFileSync(join(root, 'etc-file'), 'x\n');
    if (!variant) writeFileSync(join(root, 'usr', 'bin', 'hello'), '#!/bin/sh\necho hello\n');
    chmodSync(join(root, 'usr', 'bin', 'hello'), variant ? 0o700 : 0o775);
    chmodSync(join(root, 'etc-file'), variant ? 0o600 : 0o664);
    symlinkSync('/usr/bin/hello', join(root, 'hi'));
    const t = variant ? new Date('2020-01-02T03:04:05Z') : new Date();
    for (const p of ['etc-file', 'usr/bin/hello', 'usr/bin', 'usr', 'tmp']) utimesSync(join(root, p), t, t);
    return root;
  };
  const build = (root: string, out: string, refs = ['example.com/team/hello:v1', 'docker.io/library/hello:1.0']) =>
    ok('image', '-o', out, ...refs.flatMap((r) => ['-ref', r]), '-rootfs', root, '-entrypoint', '["/usr/bin/hello"]', '-user', '65535:65535', '-env', 'PATH=/usr/bin').trim();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ocibuild-test-'));
    bin = join(dir, 'ocibuild');
    execFileSync('go', ['build', '-o', bin, '.'], { cwd: SRC, env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' }, stdio: 'pipe' });
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same bytes and digest for the same files whatever their times, group/other bits and order', () => {
    const a = build(rootfs('a', false), join(dir, 'a.tar'));
    const b = build(rootfs('b', true), join(dir, 'b.tar'));
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b).toBe(a);
    expect(sha256(readFileSync(join(dir, 'b.tar')))).toBe(sha256(readFileSync(join(dir, 'a.tar'))));
  });

  it('changes the digest when a file changes', () => {
    const root = rootfs('c', false);
    writeFileSync(join(root, 'etc-file'), 'y\n');
    expect(build(root, join(dir, 'c.tar'))).not.toBe(build(rootfs('d', false), join(dir, 'd.tar')));
  });

  it('annotates every index entry with its full reference for ctr images import', () => {
    build(rootfs('e', false), join(dir, 'e.tar'));
    const index = JSON.parse(execFileSync('tar', ['-xOf', join(dir, 'e.tar'), 'index.json'], { encoding: 'utf8' }));
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations)).toEqual([
      { 'io.containerd.image.name': 'docker.io/library/hello:1.0', 'org.opencontainers.image.ref.name': '1.0' },
      { 'io.containerd.image.name': 'example.com/team/hello:v1', 'org.opencontainers.image.ref.name': 'v1' },
    ]);
    expect(index.manifests[0].platform).toEqual({ architecture: 'amd64', os: 'linux' });
    expect(execFileSync('tar', ['-tf', join(dir, 'e.tar')], { encoding: 'utf8' }).split('\n').filter(Boolean).slice(-2)).toEqual(['index.json', 'oci-layout']);
  });

  it('lists a layer in lexical order with owner 0:0, mtime 0 and normalised modes', () => {
    build(rootfs('f', true), join(dir, 'f.tar'));
    const l = JSON.parse(ok('list', join(dir, 'f.tar'))) as Listing;
    expect(l.images.map((i) => i.ref)).toEqual(['docker.io/library/hello:1.0', 'example.com/team/hello:v1']);
    expect(l.images[0].layers).toHaveLength(1);
    expect(l.images[0].layers[0].entries).toEqual([
      '0644 0:0 2 0 etc-file',
      '0777 0:0 0 0 hi -> /usr/bin/hello',
      '1777 0:0 0 0 tmp/',
      '0755 0:0 0 0 usr/',
      '0755 0:0 0 0 usr/bin/',
      '0755 0:0 21 0 usr/bin/hello',
    ]);
    expect(l.images[0].config.config).toEqual({ User: '65535:65535', Env: ['PATH=/usr/bin'], Entrypoint: ['/usr/bin/hello'] });
    expect(l.images[0].config.rootfs.diff_ids).toHaveLength(1);
  });

  it('refuses a reference without tag or digest, and writes nothing', () => {
    const r = run('image', '-o', join(dir, 'g.tar'), '-ref', 'docker.io/library/hello', '-rootfs', rootfs('g', false));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('image reference "docker.io/library/hello" has neither tag nor digest: pin one');
    expect(spawnSync('test', ['-e', join(dir, 'g.tar')]).status).not.toBe(0);
  });

  it('writes a registry storage: blobs by digest, tag links to the manifest', () => {
    const digest = build(rootfs('h', false), join(dir, 'h.tar'));
    const root = join(dir, 'reg-h');
    expect(ok('store', '-root', root, join(dir, 'h.tar')).trim().split('\n').sort()).toEqual([`library/hello@${digest}`, `team/hello@${digest}`]);
    const v2 = join(root, 'docker', 'registry', 'v2');
    expect(readFileSync(join(v2, 'repositories', 'team', 'hello', '_manifests', 'tags', 'v1', 'current', 'link'), 'utf8')).toBe(digest);
    const hex = digest.slice('sha256:'.length);
    expect(sha256(readFileSync(join(v2, 'blobs', 'sha256', hex.slice(0, 2), hex, 'data')))).toBe(hex);
  });

  it('refuses two references that differ only by host in one registry', () => {
    build(rootfs('i', false), join(dir, 'i1.tar'), ['ghcr.io/team/hello:v1']);
    build(rootfs('j', false), join(dir, 'i2.tar'), ['quay.io/team/hello:v1']);
    const r = run('store', '-root', join(dir, 'reg-i'), join(dir, 'i1.tar'), join(dir, 'i2.tar'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ghcr.io/team/hello:v1 and quay.io/team/hello:v1 would be the same repository team/hello in one registry');
  });

  (hasRegistry ? it : it.skip)('is served by the real docker-registry (distribution 2.8) as written', async () => {
    const digest = build(rootfs('k', false), join(dir, 'k.tar'));
    const root = join(dir, 'reg-k');
    ok('store', '-root', root, join(dir, 'k.tar'));
    const port = await freePort();
    const config = join(dir, 'registry.yml');
    writeFileSync(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${root}\n  maintenance:\n    readonly:\n      enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n  secret: test\n`);
    const reg: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
    try {
      const base = `http://127.0.0.1:${port}/v2`;
      const manifest = await retry(() => fetch(`${base}/team/hello/manifests/v1`, { headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' } }));
      expect(manifest.status).toBe(200);
      expect(manifest.headers.get('docker-content-digest')).toBe(digest);
      const body = await manifest.json() as { layers: Array<{ digest: string }> };
      const layer = await fetch(`${base}/team/hello/blobs/${body.layers[0].digest}`);
      expect(layer.status).toBe(200);
      expect(`sha256:${sha256(Buffer.from(await layer.arrayBuffer()))}`).toBe(body.layers[0].digest);
      expect((await fetch(`${base}/team/hello/manifests/v2`)).status).toBe(404);
    } finally {
      reg.kill('SIGTERM');
    }
  }, 30_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

async function retry(f: () => Promise<Response>): Promise<Response> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await f();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
