import { MultinicError } from '../lib/errors';
import type { Network } from '../lib/intent/types';
import { perNodeSbr, type PrefixNetwork } from '../lib/node/per-node-cni';
import { VERSIONS } from '../lib/versions';

/**
 * Everything a node downloads at boot beyond the AMI, each pinned: a file by its sha256, a package by its exact
 * version from an apt repository whose signing key is pinned by fingerprint (apt then checks every package against the
 * signed index). `assertPinned` runs at synth, so a template whose nodes would download something unpinned is never
 * written. Packages of the Ubuntu archive itself (`unzip`) come with the pinned AMI's signed sources and are not listed.
 */

/** An apt repository, trusted only with the key of the pinned fingerprint. */
export interface AptRepository {
  /** Short name, used in file names on the node (`/etc/apt/keyrings/<name>.gpg`). */
  readonly name: string;
  /** `deb` line without the `signed-by` option: URL, suite and components. */
  readonly deb: string;
  /** Where the armored signing key is fetched from. */
  readonly keyUrl: string;
  /** Full 40-hex-digit fingerprint the fetched key must have. */
  readonly keyFingerprint: string;
  /** Where the fingerprint is published. */
  readonly source: string;
}

/** One package at one exact version. */
export interface AptPin {
  readonly repository: string;
  readonly package: string;
  readonly version: string;
}

/** One file, checked by sha256 before use. */
export interface FilePin {
  readonly name: string;
  readonly url: string;
  readonly sha256: string;
  /** Where the digest comes from. */
  readonly source: string;
}

export interface NodeArtifacts {
  readonly repositories: readonly AptRepository[];
  readonly packages: readonly AptPin[];
  readonly files: readonly FilePin[];
}

/** pkgs.k8s.io: one repository per Kubernetes minor, all signed by the same key (isv:kubernetes OBS project). */
export function kubernetesRepository(minor: string): AptRepository {
  return {
    name: 'kubernetes',
    deb: `https://pkgs.k8s.io/core:/stable:/v${minor}/deb/ /`,
    keyUrl: `https://pkgs.k8s.io/core:/stable:/v${minor}/deb/Release.key`,
    keyFingerprint: 'DE15B14486CD377B9E876E1A234654DA9A296436',
    source: 'https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/install-kubeadm/ (key 234654DA9A296436, isv:kubernetes OBS Project)',
  };
}

/**
 * Docker's repository for Ubuntu 24.04 (noble): the only signed apt source of containerd 2.x for noble (Ubuntu's own
 * containerd is 1.7, outside Kubernetes 1.36's support matrix). Its `containerd.io` package bundles runc.
 */
export const DOCKER_REPOSITORY: AptRepository = {
  name: 'docker',
  deb: 'https://download.docker.com/linux/ubuntu noble stable',
  keyUrl: 'https://download.docker.com/linux/ubuntu/gpg',
  keyFingerprint: '9DC858229FC7DD38854AE2D88D81803C0EBFCD88',
  source: 'https://docs.docker.com/engine/install/ubuntu/ (fingerprint 9DC8 5822 9FC7 DD38 854A E2D8 8D81 803C 0EBF CD88)',
};

/**
 * `containerd.io` 2.3.6 for noble, the 2.3 LTS line. Docker publishes the build of a containerd release a little after
 * it; 2.3.6 is the newest seen in Docker's noble repository (in third-party apt locks, not fetched here), while the
 * local cluster builds v2.3.7 from the Go module proxy. Same LTS line, same configuration (`version = 4`).
 */
export const CONTAINERD_PACKAGE_VERSION = '2.3.6-1~ubuntu.24.04~noble';

/** `kubernetes-cni` (the reference CNI plugins into /opt/cni/bin) as pkgs.k8s.io ships it for 1.36. */
export const KUBERNETES_CNI_PACKAGE_VERSION = '1.9.1-1.1';

/**
 * AWS CLI v2 (S3, SSM, CloudFormation signals from the node), at an exact release, checked by sha256. The digest is
 * the one recorded for this zip in a third-party pinned install script (73,022,935 bytes); it could not be computed
 * here (no network). A wrong digest fails the boot loudly at its first step.
 */
export const AWS_CLI: FilePin = {
  name: 'aws-cli',
  url: 'https://awscli.amazonaws.com/awscli-exe-linux-x86_64-2.36.11.zip',
  sha256: '50fbb7a2f44a78eab4a210088040e8f0bc4b9937cac8043c2354269d58614df6',
  source: 'third-party pinned install script (awscli-exe-linux-x86_64-2.36.11.zip, 73022935 bytes); re-check on bump',
};

/** The node artifacts for a cluster at `kubernetesVersion` (`1.36.5`). */
export function nodeArtifacts(kubernetesVersion: string): NodeArtifacts {
  const minor = kubernetesVersion.split('.').slice(0, 2).join('.');
  const k8s = kubernetesRepository(minor);
  const k8sVersion = `${kubernetesVersion}-1.1`;
  return {
    repositories: [k8s, DOCKER_REPOSITORY],
    packages: [
      { repository: DOCKER_REPOSITORY.name, package: 'containerd.io', version: CONTAINERD_PACKAGE_VERSION },
      { repository: k8s.name, package: 'kubelet', version: k8sVersion },
      { repository: k8s.name, package: 'kubeadm', version: k8sVersion },
      { repository: k8s.name, package: 'kubectl', version: k8sVersion },
      { repository: k8s.name, package: 'kubernetes-cni', version: KUBERNETES_CNI_PACKAGE_VERSION },
    ],
    files: [
      AWS_CLI,
      { name: 'calico', url: VERSIONS.calico.manifestUrl, sha256: VERSIONS.calico.manifestSha256, source: 'lib/versions.ts' },
    ],
  };
}

const SHA256 = /^[0-9a-f]{64}$/;
const FINGERPRINT = /^[0-9A-F]{40}$/;
/** A Debian version with no wildcard, range or "latest". */
const EXACT_VERSION = /^[0-9][A-Za-z0-9.+~:-]*$/;

/**
 * Refuses a set of node artifacts with anything unpinned: a file without a sha256, a repository without a full key
 * fingerprint, a package without an exact version or from a repository not listed.
 * @throws MultinicError ARTIFACT_UNPINNED naming the artifact and how to pin it
 */
export function assertPinned(artifacts: NodeArtifacts): void {
  const fail = (what: string, fix: string) => {
    throw new MultinicError('ARTIFACT_UNPINNED', `node artifact ${what} is not pinned: ${fix}. Nodes download it at boot; see docs/deploy.md, "How to bump".`);
  };
  for (const f of artifacts.files) {
    if (!SHA256.test(f.sha256)) fail(`${f.name} (${f.url})`, `its sha256 "${f.sha256}" is not 64 lowercase hex digits; pin the digest of the reviewed file`);
    if (!/^https:\/\//.test(f.url)) fail(`${f.name} (${f.url})`, 'it is not fetched over https');
  }
  const repos = new Set<string>();
  for (const r of artifacts.repositories) {
    if (!FINGERPRINT.test(r.keyFingerprint)) fail(`repository ${r.name}`, `its key fingerprint "${r.keyFingerprint}" is not 40 uppercase hex digits`);
    repos.add(r.name);
  }
  for (const p of artifacts.packages) {
    if (!repos.has(p.repository)) fail(`package ${p.package}`, `its repository "${p.repository}" is not one of the pinned repositories`);
    if (!EXACT_VERSION.test(p.version)) fail(`package ${p.package}`, `its version "${p.version}" is not one exact Debian version`);
  }
}

/** Plugins every node needs whatever the intent: the runtime's `loopback`, and `portmap` and `bandwidth`, chained in Calico's conflist. */
export const BASE_CNI_PLUGINS = ['loopback', 'portmap', 'bandwidth'] as const;

/**
 * The reference CNI plugins the cluster's configs run on a node: the base ones, then per network its main plugin, its
 * IPAM (`eni-prefix` renders host-local; Whereabouts installs its own binary) and chained `tuning` / `sbr`.
 * Sorted and unique, for `CNI_PLUGINS_REQUIRED`.
 */
export function cniPluginsRequired(networks: readonly Network[]): string[] {
  const out = new Set<string>(BASE_CNI_PLUGINS);
  for (const n of networks) {
    out.add(n.type);
    if (n.ipam.type === 'eni-prefix') out.add('host-local');
    else if (n.ipam.type !== 'whereabouts') out.add(n.ipam.type);
    if (n.sysctl !== undefined) out.add('tuning');
    if (n.sbr || (n.ipam.type === 'eni-prefix' && n.type !== 'bridge' && perNodeSbr(n as PrefixNetwork))) out.add('sbr');
  }
  return [...out].sort();
}
