/**
 * Pinned upstream versions, images and default resources for everything multinic deploys into a cluster.
 *
 * One constant, read by the charts (as their defaults), by the tests (which assert the synthesized output against it)
 * and by the docs, so that a documented default can never drift from the code.
 *
 * Images are pinned to release tags. Upstream manifests use moving tags (`:snapshot-thick` for Multus even at the
 * v4.3.0 tag, `:latest` for Whereabouts) that change under a running cluster; never use those here.
 */
export const VERSIONS = {
  /**
   * Kubernetes, installed on the AWS nodes from pkgs.k8s.io (kubelet, kubeadm, kubectl) and built from the Go module
   * proxy for the local cluster. 1.36: released 2026-04-22, end of life 2027-06-28 (kubernetes.io/releases). 1.36.5
   * is the newest patch the Go module proxy serves (v1.36.6 refused on 2026-12-06), so both paths run the same one.
   */
  kubernetes: {
    /** Release tag. The intent's `spec.cluster.kubernetesVersion` must be this minor (see `SUPPORT`). */
    version: 'v1.36.5',
    /** Debian package version in `https://pkgs.k8s.io/core:/stable:/v1.36/deb/` (version-revision). */
    debVersion: '1.36.5-1.1',
    /** kubeadm configuration API (v1beta3 is removed in 1.36; kubernetes PR #125029). */
    kubeadmApi: 'kubeadm.k8s.io/v1beta4',
  },
  /**
   * containerd 2.3, the LTS line (supported to 2028-04-30) and inside Kubernetes 1.36's support matrix (2.3.0+ or
   * 2.2.0+, no 1.x; containerd RELEASES.md). The local cluster builds v2.3.7 (the newest the Go module proxy serves).
   */
  containerd: {
    version: 'v2.3.7',
  },
  /** runc, built for the local cluster (the AWS nodes take the runc bundled in Docker's `containerd.io` package). */
  runc: {
    version: 'v1.5.3',
  },
  /**
   * The CNI reference plugins (`/opt/cni/bin/ipvlan`, `macvlan`, `host-local`, `static`, `tuning`, `sbr`, ...).
   * v1.9.1 (2026-02-19) is the release pkgs.k8s.io packages for 1.36 as `kubernetes-cni 1.9.1-1.1`.
   */
  cniPlugins: {
    version: 'v1.9.1',
  },
  /**
   * Calico 3.32: tested with Kubernetes 1.34-1.36 (tigera docs, system requirements), maintained. Installed from the
   * upstream manifest at the tag, verified by this sha256 (computed from the tag's git object:
   * `git show v3.32.1:manifests/calico.yaml | sha256sum`, 349,572 bytes).
   */
  calico: {
    version: 'v3.32.1',
    manifestUrl: 'https://raw.githubusercontent.com/projectcalico/calico/v3.32.1/manifests/calico.yaml',
    manifestSha256: 'a1df919d9721cf667accdc3e72848911b0cb25cfab7d2478ad0c996302c95744',
    /** `name` of the CNI network in Calico's conflist (the manifest's `cni_network_config`). */
    cniNetworkName: 'k8s-pod-network',
    /** File calico-node's install-cni writes into `/etc/cni/net.d` once Calico is ready on the node. */
    cniConfigFile: '10-calico.conflist',
  },
  multus: {
    /** Multus CNI release. */
    version: 'v4.3.0',
    /** The thick-plugin image of that release (the release workflow suffixes `-thick`). */
    image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0-thick',
    /** Namespace of the upstream manifest; Multus also looks NADs for `clusterNetwork` up here. */
    namespace: 'kube-system',
    /**
     * The daemon container. Upstream ships request = limit = 50Mi, which OOM-kills the daemon: delegates (the
     * primary CNI, IPAM plugins) run inside its cgroup and a burst of pod creations after a node reboot easily
     * exceeds 50Mi (multus-cni #1346, #1349, #1144). 256Mi is the common downstream value. Request = limit for
     * both CPU and memory keeps the pod in the Guaranteed QoS class so the kubelet evicts it last (multus-cni
     * #1312): without the daemon, every pod sandbox on the node fails with "connection refused" on multus.sock.
     */
    resources: { cpu: '100m', memory: '256Mi' },
    /**
     * The install_multus init container. Upstream requests 10m / 15Mi and sets no limit; Guaranteed QoS needs
     * limits on init containers too, so limit = request, with headroom over 15Mi now that the limit is hard. CPU as
     * the daemon's: init containers run before the daemon, so the pod's request stays max(init, daemon) = 100m,
     * and at a hard 10m the copy of the 35 MB shim was throttled to about a second per init container on every
     * node's path to readiness (measured on the local cluster, bench/README.md).
     */
    initResources: { cpu: '100m', memory: '64Mi' },
    /**
     * Seconds the kubelet waits after SIGTERM. v4.3.0 ships 10; Multus HEAD raised it to 30 so in-flight CNI
     * requests of the shim can finish before the socket goes away (commit 47ca9dfd9).
     */
    terminationGracePeriodSeconds: 30,
    /**
     * daemon-config.json `connectionLimit` (v4.3.0, PR #1510): concurrent CNI requests the daemon serves; the rest
     * wait on the socket. Delegates (Calico, IPAM plugins) run as children inside the daemon's 256Mi limit: about
     * 45 MiB for the daemon (measured on the local cluster, shared reference box.md) plus a few tens of MiB per
     * request in flight, so 8 keeps a burst of pod creations after a reboot under the limit. Upstream: unlimited.
     */
    connectionLimit: 8,
    /** daemon-config.json `cniVersion` of the generated 00-multus.conf, as shipped. */
    cniVersion: '0.3.1',
    /** daemon-config.json `logLevel`, as shipped. */
    logLevel: 'verbose',
  },
  whereabouts: {
    /** Whereabouts release. */
    version: 'v0.9.4',
    /** Multi-arch image of that release (the Helm chart still defaults to the stale v0.8.0). */
    image: 'ghcr.io/k8snetworkplumbingwg/whereabouts:v0.9.4',
    /** Namespace of the upstream manifests; the IPPool and reservation objects live here. */
    namespace: 'kube-system',
    /** The install-cni + ip-control-loop DaemonSet container, as upstream ships it (request 100Mi, limit 200Mi). */
    daemonResources: {
      requests: { cpu: '100m', memory: '100Mi' },
      limits: { cpu: '100m', memory: '200Mi' },
    },
    /** The reconciler Deployment container, as upstream ships it (request = limit). */
    reconcilerResources: { cpu: '100m', memory: '50Mi' },
    /** Cron schedule of the IP reconciler (ConfigMap whereabouts-config, key cron-expression): daily at 04:30. */
    reconcilerCronExpression: '30 4 * * *',
    /** `-log-level` of ip-control-loop and ip-reconciler, as shipped. */
    logLevel: 'debug',
  },
  multiNetworkPolicy: {
    /**
     * multi-networkpolicy-iptables has no release tags; this commit (2025-12-02, Kubernetes 1.34 libraries) is the
     * source snapshot in ../shared/third-party. Upstream publishes only moving `:snapshot`/`:latest` images.
     */
    commit: 'cbf2b11730b9fb0477d8d578129609df0c51f06b',
    /**
     * Built from that commit (daemon, iptables-nft, busybox for the readiness probe): the local cluster builds and
     * tags it; for EC2 push an image built the same way and set this reference (docs/network-policy.md).
     */
    image: 'multinic.local/multi-networkpolicy-iptables:cbf2b11',
    /** Namespace of upstream's deploy.yml. */
    namespace: 'kube-system',
    /** The daemon container, as upstream's deploy.yml (request 100m/80Mi, limit 100m/150Mi). */
    resources: { requests: { cpu: '100m', memory: '80Mi' }, limits: { cpu: '100m', memory: '150Mi' } },
    /** containerd's CRI socket on the node (upstream's deploy.yml points at CRI-O's, and the daemon then exits). */
    criSocket: '/run/containerd/containerd.sock',
    /** `--v` of the daemon: 2 logs policy and pod changes without the per-rule lines of 4 and 8. */
    logLevel: 2,
  },
  readiness: {
    /**
     * Image of the node-readiness container (charts/readiness): a POSIX shell and curl are all it needs. Pinned to a
     * release tag; the local cluster builds a stand-in under the same reference.
     */
    image: 'docker.io/curlimages/curl:8.11.1',
    /**
     * Request = limit (Guaranteed QoS): a shell loop, and two curls (TLS) when the taint goes. At 10m the container
     * was throttled in 216 of 230 CFS periods (20-26 s in all per node, cpu.stat on the local cluster) and the
     * taint went 6-8 s after Multus had written its config; at 100m a box of 3 nodes is ready ~7 s sooner
     * (median 27.9 s against 35.5 s, bench/README.md). This container is on every node's path to readiness.
     */
    resources: { cpu: '100m', memory: '32Mi' },
    /** Seconds between checks of the node's files. */
    intervalSeconds: 2,
  },
} as const;

/**
 * Log levels of the Multus daemon (daemon-config.json `logLevel`) and of the Whereabouts binaries (`-log-level`);
 * Whereabouts reuses the Multus logging package. Anything else falls back to the default level silently upstream.
 */
export type CniLogLevel = 'panic' | 'error' | 'verbose' | 'debug';

/** One pinned line's support window, as `docs/deploy.md` ("How to bump") and the tests read it. */
export interface SupportWindow {
  /** Kubernetes minors (`1.36`) this line is supported or tested with. */
  readonly kubernetesMinors: readonly string[];
  /** ISO date after which the line gets no more fixes, when its project publishes one. */
  readonly endOfLife?: string;
  /** ISO date by which the pin must be re-checked: the end of life, or earlier when none is published. */
  readonly reviewBy: string;
  /** Where the window comes from. */
  readonly source: string;
}

/**
 * Support windows of the pinned lines, checked on 2026-12-02 (shared reference versions.md). A deployment is refused
 * when the intent's Kubernetes minor is outside any of them (infra/cluster-stack.ts).
 */
export const SUPPORT: Readonly<Record<'kubernetes' | 'containerd' | 'calico', SupportWindow>> = {
  kubernetes: { kubernetesMinors: ['1.36'], endOfLife: '2027-06-28', reviewBy: '2027-06-28', source: 'https://kubernetes.io/releases/ (1.36: 2026-04-22 to 2027-06-28)' },
  containerd: { kubernetesMinors: ['1.36'], endOfLife: '2028-04-30', reviewBy: '2028-04-30', source: 'https://github.com/containerd/containerd/blob/main/RELEASES.md (1.36 needs 2.3.0+ or 2.2.0+; 2.3 is the LTS line)' },
  calico: { kubernetesMinors: ['1.34', '1.35', '1.36'], reviewBy: '2027-04-01', source: 'https://docs.tigera.io/calico/latest/getting-started/kubernetes/requirements (3.32 tested with 1.34-1.36; maintained on 2026-12-02, no end date published)' },
};

/** Date the pins above were last reviewed against their sources. */
export const VERSIONS_REVIEWED = '2026-12-06';

/** The Kubernetes minor (`1.36`) of a version (`v1.36.5`, `1.36.5`). */
export function kubernetesMinorOf(version: string): string {
  const m = /^v?(1\.\d+)\.\d+$/.exec(version);
  if (!m) throw new Error(`internal: ${version} is not a Kubernetes patch version`);
  return m[1];
}

/** Kubernetes minors that every pinned line supports: the intent's `kubernetesVersion` must be one of them. */
export function supportedKubernetesMinors(): string[] {
  const windows = Object.values(SUPPORT);
  return windows[0].kubernetesMinors.filter((minor) => windows.every((w) => w.kubernetesMinors.includes(minor)));
}
