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
     * limits on init containers too, so limit = request, with headroom over 15Mi now that the limit is hard.
     */
    initResources: { cpu: '10m', memory: '64Mi' },
    /**
     * Seconds the kubelet waits after SIGTERM. v4.3.0 ships 10; Multus HEAD raised it to 30 so in-flight CNI
     * requests of the shim can finish before the socket goes away (commit 47ca9dfd9).
     */
    terminationGracePeriodSeconds: 30,
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
} as const;

/**
 * Log levels of the Multus daemon (daemon-config.json `logLevel`) and of the Whereabouts binaries (`-log-level`);
 * Whereabouts reuses the Multus logging package. Anything else falls back to the default level silently upstream.
 */
export type CniLogLevel = 'panic' | 'error' | 'verbose' | 'debug';
