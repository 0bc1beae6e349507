/**
 * The box's binaries and images, built by `cluster/build/build.sh` (pinned, cached; see cluster/build/README.md):
 * its last stdout line is the artifacts directory with `bin/`, `cni/`, `images/*.tar` and `images.json`.
 * `MULTINIC_BOX_ARTIFACTS` points at a directory built before and skips the build.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths';

export const BINARIES = [
  'etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy', 'kubectl',
  'containerd', 'containerd-shim-runc-v2', 'runc', 'crictl', 'ctr',
] as const;

export interface ImageEntry {
  /** The reference the manifests use. */
  readonly ref: string;
  /** OCI archive under images/. */
  readonly file: string;
  /** What stands in for the upstream image, when it is a substitute. */
  readonly substitutes?: string;
}

export interface Artifacts {
  readonly dir: string;
  bin(name: (typeof BINARIES)[number]): string;
  readonly cniDir: string;
  readonly images: readonly ImageEntry[];
  /** The sandbox (pause) image archive and its reference. */
  readonly pause: ImageEntry;
  /** The registry binary that serves the images to the nodes. */
  readonly registry: string;
  /** The registry's storage, pre-filled by the build. */
  readonly registryStorage: string;
  /** The build's read-only registry config (`docker-registry serve` it with REGISTRY_HTTP_ADDR). */
  readonly registryConfig: string;
}

/** Reads and checks an artifacts directory; throws naming what is missing. */
export function loadArtifacts(dir: string): Artifacts {
  const missing: string[] = [];
  for (const b of BINARIES) if (!fs.existsSync(path.join(dir, 'bin', b))) missing.push(`bin/${b}`);
  if (!fs.existsSync(path.join(dir, 'cni', 'bridge'))) missing.push('cni/bridge');
  const imagesJson = path.join(dir, 'images.json');
  let images: ImageEntry[] = [];
  if (!fs.existsSync(imagesJson)) missing.push('images.json');
  else images = JSON.parse(fs.readFileSync(imagesJson, 'utf8')) as ImageEntry[];
  const pause = images.find((i) => /\/pause:/.test(i.ref));
  if (pause === undefined) missing.push('a pause image in images.json');
  const registry = ['/usr/bin/docker-registry', path.join(dir, 'bin', 'docker-registry')].find((p) => fs.existsSync(p));
  if (registry === undefined) missing.push('Debian\'s docker-registry (apt-get install docker-registry)');
  const registryStorage = path.join(dir, 'registry');
  if (!fs.existsSync(registryStorage)) missing.push('registry/ (the registry storage)');
  const registryConfig = path.join(dir, 'registry.yml');
  if (!fs.existsSync(registryConfig)) missing.push('registry.yml');
  if (missing.length > 0) throw new Error(`artifacts in ${dir} are incomplete: missing ${missing.join(', ')}; run bash cluster/build/build.sh`);
  return {
    dir, cniDir: path.join(dir, 'cni'), images, pause: { ...pause!, file: path.join(dir, 'images', path.basename(pause!.file)) },
    registry: registry!, registryStorage, registryConfig,
    bin: (name) => path.join(dir, 'bin', name),
  };
}

/** Where build.sh caches (cluster/build/README.md): `${MULTINIC_BOX_CACHE:-$HOME/.cache/multinic-box}/k8s-<version>-<pins hash>/`. */
export function cacheRoot(): string {
  return process.env.MULTINIC_BOX_CACHE ?? path.join(process.env.HOME ?? '/root', '.cache', 'multinic-box');
}

/**
 * A complete build of this Kubernetes version already in the cache (the newest), without building: what the tests
 * use when MULTINIC_BOX_ARTIFACTS is not set. Undefined when there is none.
 */
export function cachedArtifacts(kubernetesVersion: string): string | undefined {
  let dirs: string[];
  try { dirs = fs.readdirSync(cacheRoot()).filter((d) => d.startsWith(`k8s-${kubernetesVersion}-`)).map((d) => path.join(cacheRoot(), d)); } catch { return undefined; }
  const complete = dirs.filter((d) => { try { loadArtifacts(d); return true; } catch { return false; } });
  return complete.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
}

/** The artifacts directory: `MULTINIC_BOX_ARTIFACTS`, else what build.sh prints last (it builds what is missing). */
export async function buildArtifacts(onLine: (line: string) => void = () => undefined): Promise<string> {
  const fromEnv = process.env.MULTINIC_BOX_ARTIFACTS;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const script = path.join(repoRoot(), 'cluster', 'build', 'build.sh');
  if (!fs.existsSync(script)) throw new Error(`${script} is missing: the box cannot build its binaries`);
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let last = '';
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) if (l.trim() !== '') last = l.trim();
    });
    let errBuf = '';
    child.stderr.on('data', (d: Buffer) => {
      errBuf += d.toString();
      const lines = errBuf.split('\n');
      errBuf = lines.pop() ?? '';
      for (const l of lines) onLine(l);
    });
    child.on('close', (code) => {
      if (buf.trim() !== '') last = buf.trim();
      if (code === 0 && last !== '') resolve(last);
      else reject(new Error(`cluster/build/build.sh failed (exit ${code})`));
    });
  });
}
