import { MultinicError } from '../../lib/errors';
import { CniLogLevel, VERSIONS } from '../../lib/versions';

/**
 * Options of the Multus thick daemon's `daemon-config.json` that multinic exposes.
 *
 * Paths are fixed to the ones the `kube-multus-ds` DaemonSet mounts, so they are not options.
 * @see https://github.com/k8snetworkplumbingwg/multus-cni/blob/master/docs/thick-plugin.md
 */
export interface MultusDaemonConfigOptions {
  /**
   * `cniVersion` of the generated `00-multus.conf`.
   * @default VERSIONS.multus.cniVersion ('0.3.1', as upstream ships)
   */
  readonly cniVersion?: string;

  /**
   * Daemon log level.
   * @default VERSIONS.multus.logLevel ('verbose')
   */
  readonly logLevel?: CniLogLevel;

  /**
   * Maximum number of concurrent shim connections the daemon serves (`connectionLimit`, Multus v4.3.0+; a
   * `netutil.LimitListener`, so further requests wait, they are not refused). Caps the memory a burst of pod
   * creations can take, e.g. after a node reboot: delegates run inside the daemon's memory limit.
   * @default VERSIONS.multus.connectionLimit
   */
  readonly connectionLimit?: number;

  /**
   * The cluster network by its CNI network `name` (`clusterNetwork` in the daemon config), e.g. Calico's
   * `k8s-pod-network`. The daemon config overrides every request's config (multus-cni v4.3.0
   * `pkg/server/server.go` `overrideCNIConfigWithServerConfig`), so this replaces the file *path* that
   * `multusConfigFile: auto` writes into 00-multus.conf. A name is looked up as a NetworkAttachmentDefinition of
   * that name in kube-system, then as the config file in `confDir` whose `name` matches, and that file's raw bytes
   * become the delegate (`pkg/k8sclient/k8sclient.go` `getNetDelegate`, option 2) and are cached for DEL. A path
   * ending in `.conflist` instead goes through `types.LoadDelegateNetConfFromConfList`, which re-marshals the typed
   * `NetConfList` and drops every plugin-specific key (Calico's `kubernetes.kubeconfig`, `datastore_type`, ...);
   * ADD still uses the full `libcni.NetworkConfigList`, but DEL (`conflistDel`) uses those stripped bytes and Calico
   * cannot release the pod's address: multus-cni #1449. docs/deploy.md, "Multus and the cluster network".
   *
   * `confDir` stays the default `/etc/cni/multus/net.d`: Multus also looks up every NetworkAttachmentDefinition
   * without `spec.config` (multinic's per-node `eni-prefix` networks) in that one directory, so moving it to
   * `/host/etc/cni/net.d` would find the cluster network and lose every per-node network (seen on the local
   * cluster). `MultusThick` links the cluster network's file into it instead (`clusterNetworkFile`).
   * @default - the path `multusConfigFile: auto` finds (upstream behaviour, leaks one address per pod on DEL)
   */
  readonly clusterNetwork?: string;

  /**
   * File name of the primary CNI config in `/etc/cni/net.d` that Multus delegates the cluster network to
   * (`multusMasterCNI`), e.g. `10-aws.conflist` on EKS.
   * @default - Multus picks the alphabetically first config file (`multusConfigFile: auto`)
   */
  readonly multusMasterCni?: string;

  /**
   * File whose existence means the primary CNI is ready (`readinessindicatorfile`), as seen inside the daemon pod
   * (the host's `/etc/cni/net.d` is at `/host/etc/cni/net.d`, the host root at `/hostroot`).
   * @default - no readiness indicator
   */
  readonly readinessIndicatorFile?: string;

  /**
   * Pods may reference NetworkAttachmentDefinitions only in their own namespace (and `default`).
   * @default false
   */
  readonly namespaceIsolation?: boolean;

  /**
   * Namespaces whose NADs every pod may reference when `namespaceIsolation` is on. When set, `default` is global
   * only if listed.
   * @default - only `default` is global
   */
  readonly globalNamespaces?: readonly string[];

  /**
   * Port of the daemon's Prometheus metrics endpoint (`metricsPort`).
   * @default - metrics off
   */
  readonly metricsPort?: number;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Builds the daemon config object. Keys come in a fixed order (the upstream keys in upstream order, then the
 * optional ones), so the serialized ConfigMap is byte-stable across synths.
 *
 * @throws MultinicError MULTUS_DAEMON_CONFIG for values the daemon would reject or silently ignore.
 */
export function multusDaemonConfig(options: MultusDaemonConfigOptions = {}): Record<string, unknown> {
  const where = 'Multus daemon config';
  if (options.connectionLimit !== undefined && !(Number.isInteger(options.connectionLimit) && options.connectionLimit > 0)) {
    throw new MultinicError('MULTUS_DAEMON_CONFIG',
      `${where}: connectionLimit must be a positive integer, got ${options.connectionLimit}`);
  }
  if (options.metricsPort !== undefined && !(Number.isInteger(options.metricsPort) && options.metricsPort >= 1 && options.metricsPort <= 65535)) {
    throw new MultinicError('MULTUS_DAEMON_CONFIG',
      `${where}: metricsPort must be an integer port in 1-65535, got ${options.metricsPort}`);
  }
  if (options.globalNamespaces !== undefined) {
    if (!options.namespaceIsolation) {
      throw new MultinicError('MULTUS_DAEMON_CONFIG',
        `${where}: globalNamespaces is only honoured with namespaceIsolation; set namespaceIsolation: true or drop globalNamespaces`);
    }
    for (const ns of options.globalNamespaces) {
      if (!DNS1123_LABEL.test(ns) || ns.length > 63) {
        throw new MultinicError('MULTUS_DAEMON_CONFIG',
          `${where}: globalNamespaces entry "${ns}" is not a valid namespace name (DNS-1123 label: lowercase letters, digits and '-')`);
      }
    }
  }
  if (options.clusterNetwork !== undefined && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(options.clusterNetwork)) {
    throw new MultinicError('MULTUS_DAEMON_CONFIG',
      `${where}: clusterNetwork must be the CNI network name of the cluster network's config (e.g. "k8s-pod-network"), not a path, got "${options.clusterNetwork}": a .conflist path loses the delegate's plugin keys on DEL (multus-cni #1449)`);
  }
  if (options.multusMasterCni !== undefined && (options.multusMasterCni === '' || options.multusMasterCni.includes('/'))) {
    throw new MultinicError('MULTUS_DAEMON_CONFIG',
      `${where}: multusMasterCni must be a file name in /etc/cni/net.d such as "10-aws.conflist", got "${options.multusMasterCni}"`);
  }

  const config: Record<string, unknown> = {
    chrootDir: '/hostroot',
    cniVersion: options.cniVersion ?? VERSIONS.multus.cniVersion,
    logLevel: options.logLevel ?? VERSIONS.multus.logLevel,
    logToStderr: true,
    cniConfigDir: '/host/etc/cni/net.d',
    multusAutoconfigDir: '/host/etc/cni/net.d',
    multusConfigFile: 'auto',
    socketDir: '/host/run/multus/',
  };
  config.connectionLimit = options.connectionLimit ?? VERSIONS.multus.connectionLimit;
  if (options.clusterNetwork !== undefined) config.clusterNetwork = options.clusterNetwork;
  if (options.multusMasterCni !== undefined) config.multusMasterCNI = options.multusMasterCni;
  if (options.readinessIndicatorFile !== undefined) config.readinessindicatorfile = options.readinessIndicatorFile;
  if (options.namespaceIsolation) config.namespaceIsolation = true;
  if (options.globalNamespaces !== undefined) config.globalNamespaces = options.globalNamespaces.join(',');
  if (options.metricsPort !== undefined) config.metricsPort = options.metricsPort;
  return config;
}

/** Serializes the daemon config as `daemon-config.json` (2-space indent, trailing newline, stable key order). */
export function renderMultusDaemonConfig(options: MultusDaemonConfigOptions = {}): string {
  return JSON.stringify(multusDaemonConfig(options), undefined, 2) + '\n';
}
