/**
 * The pins of the local cluster build: the build script reads the same versions the TypeScript does (lib/versions.ts,
 * the one source shared with the AWS deploy) plus the box-only pins of cluster/build/pins.env, and every Go build
 * module requires exactly the pinned release.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSIONS } from '../../../lib/versions';

const ROOT = join(__dirname, '..', '..', '..');
const BUILD = join(ROOT, 'cluster', 'build');

function pinsFromScript(): Record<string, string> {
  const r = spawnSync('bash', [join(BUILD, 'pins.sh'), '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pins.sh failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, string>;
}

function pinsEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(join(BUILD, 'pins.env'), 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(\S+)$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

const v = (s: string): string => (s.startsWith('v') ? s : `v${s}`);

describe('cluster/build pins', () => {
  const pins = pinsFromScript();

  it('reads the versions, commit and image references it shares with the AWS deploy from lib/versions.ts', () => {
    expect(pins).toMatchObject({
      KUBERNETES_VERSION: v(VERSIONS.kubernetes.version),
      CONTAINERD_VERSION: v(VERSIONS.containerd.version),
      RUNC_VERSION: v(VERSIONS.runc.version),
      CNI_PLUGINS_VERSION: v(VERSIONS.cniPlugins.version),
      MULTUS_VERSION: v(VERSIONS.multus.version),
      WHEREABOUTS_VERSION: v(VERSIONS.whereabouts.version),
      MULTUS_IMAGE: VERSIONS.multus.image,
      WHEREABOUTS_IMAGE: VERSIONS.whereabouts.image,
      MNP_COMMIT: VERSIONS.multiNetworkPolicy.commit,
      MNP_IMAGE: VERSIONS.multiNetworkPolicy.image,
      READINESS_IMAGE: VERSIONS.readiness.image,
    });
  });

  it('takes the box-only pins from pins.env: exact versions, and the source archive of the pinned commit', () => {
    const env = pinsEnv();
    expect(Object.keys(env).sort()).toEqual(['CRI_TOOLS_VERSION', 'ETCD_VERSION', 'MNP_ARCHIVE', 'MNP_ARCHIVE_SHA256']);
    for (const [k, value] of Object.entries(env)) expect(pins[k]).toBe(value);
    expect(env.ETCD_VERSION).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(env.CRI_TOOLS_VERSION).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(env.MNP_ARCHIVE).toContain(VERSIONS.multiNetworkPolicy.commit.slice(0, 7));
    expect(env.MNP_ARCHIVE_SHA256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('has no pin in pins.env that lib/versions.ts already holds', () => {
    const env = pinsEnv();
    for (const k of ['KUBERNETES_VERSION', 'CONTAINERD_VERSION', 'RUNC_VERSION', 'CNI_PLUGINS_VERSION', 'MULTUS_VERSION', 'WHEREABOUTS_VERSION', 'MNP_COMMIT', 'MNP_IMAGE']) {
      expect(env[k]).toBeUndefined();
    }
  });

  const modules: Array<[string, string, string]> = [
    ['k8s', 'k8s.io/kubernetes', 'KUBERNETES_VERSION'],
    ['etcd', 'go.etcd.io/etcd/server/v3', 'ETCD_VERSION'],
    ['etcd', 'go.etcd.io/etcd/etcdctl/v3', 'ETCD_VERSION'],
    ['containerd', 'github.com/containerd/containerd/v2', 'CONTAINERD_VERSION'],
    ['runc', 'github.com/opencontainers/runc', 'RUNC_VERSION'],
    ['cri-tools', 'sigs.k8s.io/cri-tools', 'CRI_TOOLS_VERSION'],
    ['plugins', 'github.com/containernetworking/plugins', 'CNI_PLUGINS_VERSION'],
    ['multus', 'gopkg.in/k8snetworkplumbingwg/multus-cni.v4', 'MULTUS_VERSION'],
    ['whereabouts', 'github.com/k8snetworkplumbingwg/whereabouts', 'WHEREABOUTS_VERSION'],
  ];
  it.each(modules)('build module go/%s requires %s at the pin (else: bash cluster/build/go/gen.sh)', (mod, path, pin) => {
    const gomod = readFileSync(join(BUILD, 'go', mod, 'go.mod'), 'utf8');
    expect(gomod).toMatch(new RegExp(`^(require |\\t)${path.replace(/\./g, '\\.')} ${pins[pin].replace(/\./g, '\\.')}$`, 'm'));
    expect(readFileSync(join(BUILD, 'go', mod, 'go.sum'), 'utf8')).toContain(`${path} ${pins[pin]} h1:`);
  });

  it('maps every staging module of k8s.io/kubernetes to its published release', () => {
    const gomod = readFileSync(join(BUILD, 'go', 'k8s', 'go.mod'), 'utf8');
    const staging = `v0${pins.KUBERNETES_VERSION.slice(2)}`;
    const replaces = [...gomod.matchAll(/^\t(\S+) => (\S+) (\S+)$/gm)];
    expect(replaces.length).toBeGreaterThanOrEqual(30); // 33 at v1.36
    for (const [, from, to, version] of replaces) {
      expect(from).toMatch(/^k8s\.io\//);
      expect(to).toBe(from);
      expect(version).toBe(staging);
    }
    expect(replaces.map((r) => r[1])).toEqual(expect.arrayContaining(['k8s.io/api', 'k8s.io/apiserver', 'k8s.io/kubelet', 'k8s.io/cri-streaming']));
  });

  it('refuses an unknown group with usage, exit 2, building nothing', () => {
    const r = spawnSync('bash', [join(BUILD, 'build.sh'), '--only', 'everything'], { encoding: 'utf8', env: { ...process.env, MULTINIC_BOX_CACHE: '/nonexistent/should-not-be-created' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown group 'everything' (control-plane, node, cni, images)");
  });
});
