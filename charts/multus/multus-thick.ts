import { ApiObject } from 'cdk8s';
import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { MultinicError } from '../../lib/errors';
import { ENI_PATHS } from '../../lib/node/eni-contract';
import { VERSIONS } from '../../lib/versions';
import { MultusDaemonConfigOptions, renderMultusDaemonConfig } from './daemon-config';
import { clusterScoped } from '../private/cluster-scoped';
import { committedCrd } from '../private/committed-crd';
import { assertPinnedImage, cpuMillis, memoryBytes } from '../private/k8s-values';

/** The NAD CRD as Multus v4.3.0 ships it, committed beside the generated `imports/k8s.cni.cncf.io.ts`. */
export const NAD_CRD_FILE = 'crds/network-attachment-definitions.yaml';

/**
 * Props of {@link MultusThick}. The daemon-config options are flat beside the pod options.
 */
export interface MultusThickProps extends MultusDaemonConfigOptions {
  /**
   * Multus thick-plugin image, pinned to a release (moving tags such as `snapshot-thick` are rejected).
   * @default VERSIONS.multus.image (ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0-thick)
   */
  readonly image?: string;

  /**
   * Namespace of the ServiceAccount, ConfigMap and DaemonSet.
   * @default 'kube-system'
   */
  readonly namespace?: string;

  /**
   * CPU request and limit of the daemon container (request = limit keeps the pod Guaranteed).
   * @default VERSIONS.multus.resources.cpu ('100m')
   */
  readonly cpu?: string;

  /**
   * Memory request of the daemon container. Upstream's 50Mi OOM-kills the daemon: delegate plugins run in its
   * cgroup, so a burst of pod creations after a node reboot exceeds it (multus-cni #1346, #1349).
   * @default VERSIONS.multus.resources.memory ('256Mi')
   */
  readonly memoryRequest?: string;

  /**
   * Memory limit of the daemon container. Must be at least `memoryRequest`.
   * @default - equal to `memoryRequest`, so the pod is in the Guaranteed QoS class and evicted last
   */
  readonly memoryLimit?: string;

  /**
   * Seconds the kubelet waits for the daemon after SIGTERM.
   * @default VERSIONS.multus.terminationGracePeriodSeconds (30, as Multus HEAD; v4.3.0 ships 10)
   */
  readonly terminationGracePeriodSeconds?: number;

  /**
   * File name, in the host's `/etc/cni/net.d`, of the config whose network `clusterNetwork` names (Calico's
   * `10-calico.conflist`). An init container links it into the daemon's `confDir` (`/etc/cni/multus/net.d`, where
   * the per-node configs of NADs without `spec.config` are too) as {@link CLUSTER_NETWORK_LINK}, pointing at the
   * daemon's `/host/etc/cni/net.d`: the daemon resolves the name there and gets the file's full bytes (#1449).
   * Required with `clusterNetwork`.
   * @default - none (only valid without `clusterNetwork`)
   */
  readonly clusterNetworkFile?: string;
}

/**
 * The link to the cluster network's config in `/etc/cni/multus/net.d`. It sorts after every per-node config
 * (`<namespace>-<name>.conf`, DNS labels: `~` is above `[a-z0-9-]`): Multus and the policy daemon read the files of
 * that directory in name order and stop at the first whose `name` matches, so theirs never reach this link, which
 * resolves only inside the Multus daemon (its target is the daemon's mount of the host's `/etc/cni/net.d`).
 */
export const CLUSTER_NETWORK_LINK = '~cluster-network.conflist';

/** A hostPath mount of the daemon container: volume name, host path, container path, propagation. */
export interface HostMount {
  readonly volume: string;
  readonly hostPath: string;
  readonly mountPath: string;
  readonly propagation?: 'HostToContainer' | 'Bidirectional';
}

/**
 * The daemon's hostPath mounts, in the order of the v4.3.0 manifest.
 */
export const MULTUS_HOST_MOUNTS: readonly HostMount[] = [
  // 00-multus.conf is written here, and the primary CNI's config read from here.
  { volume: 'cni', hostPath: '/etc/cni/net.d', mountPath: '/host/etc/cni/net.d' },
  // The daemon execs delegates by their host path, so the CNI bin dir must be at the same path in pod and host.
  { volume: 'cnibin', hostPath: '/opt/cni/bin', mountPath: '/opt/cni/bin' },
  // Socket dir /host/run/multus, shared with the multus-shim the runtime execs on the host.
  { volume: 'host-run', hostPath: '/run', mountPath: '/host/run' },
  // Delegate cache (cniDir), needed to DEL with the exact config ADD used.
  { volume: 'host-var-lib-cni-multus', hostPath: '/var/lib/cni/multus', mountPath: '/var/lib/cni/multus' },
  // kubelet pod-resources socket, for device IDs of device-plugin resources.
  { volume: 'host-var-lib-kubelet', hostPath: '/var/lib/kubelet', mountPath: '/var/lib/kubelet', propagation: 'HostToContainer' },
  // Device-info files for SR-IOV/host-device delegates.
  { volume: 'host-run-k8s-cni-cncf-io', hostPath: '/run/k8s.cni.cncf.io', mountPath: '/run/k8s.cni.cncf.io' },
  // Pod network namespaces, mounted by the runtime after the daemon started: hence HostToContainer.
  { volume: 'host-run-netns', hostPath: '/run/netns/', mountPath: '/run/netns', propagation: 'HostToContainer' },
  // chrootDir: delegates run chrooted into the host root, so they see host files and binaries.
  { volume: 'hostroot', hostPath: '/', mountPath: '/hostroot', propagation: 'HostToContainer' },
  // confDir for NADs without spec.config (the daemon looks the file up by NAD name); upstream since v4.2.1.
  { volume: 'multus-conf-dir', hostPath: ENI_PATHS.cniDir, mountPath: ENI_PATHS.cniDir }, // where the ENI script writes per-node configs
];

/** The daemon's `confDir` (its default, where the ENI script writes): per-node configs and the link to the cluster network's. */
const MULTUS_CONF_DIR = ENI_PATHS.cniDir;

/** Where the daemon reads its config by default (`-config`): the ConfigMap is mounted here. */
const DAEMON_CONFIG_DIR = '/etc/cni/net.d/multus.d';
const DAEMON_CONFIG_KEY = 'daemon-config.json';
const NAME = 'multus';
const CONFIG_MAP_NAME = 'multus-daemon-config';
const DAEMON_SET_NAME = 'kube-multus-ds';
/** Pod-template annotation holding the SHA-256 of daemon-config.json (the Helm `checksum/config` idiom). */
export const DAEMON_CONFIG_CHECKSUM_ANNOTATION = 'checksum/multus-daemon-config';

/**
 * The Multus CNI thick plugin (v4.3.0), equivalent to upstream's `deployments/multus-daemonset-thick.yml`:
 * the NetworkAttachmentDefinition CRD, RBAC, the daemon ConfigMap and the `kube-multus-ds` DaemonSet.
 *
 * Differences from upstream, on purpose: a pinned release image instead of `snapshot-thick`; memory 256Mi with
 * request = limit on every container (Guaranteed QoS) instead of 50Mi; a 30s grace period; `connectionLimit` and
 * other daemon options as typed props.
 *
 * @example
 * new MultusThick(chart, 'Multus', { connectionLimit: 20, multusMasterCni: '10-aws.conflist' });
 */
export class MultusThick extends Construct {
  /** The NetworkAttachmentDefinition CRD, from the committed {@link NAD_CRD_FILE}. */
  public readonly crd: ApiObject;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  public readonly clusterRole: k8s.KubeClusterRole;
  public readonly clusterRoleBinding: k8s.KubeClusterRoleBinding;
  /** ConfigMap `multus-daemon-config` with key `daemon-config.json`. */
  public readonly configMap: k8s.KubeConfigMap;
  /** DaemonSet `kube-multus-ds`; also `node.defaultChild`. */
  public readonly daemonSet: k8s.KubeDaemonSet;
  /** The namespace the namespaced objects are in. */
  public readonly namespace: string;
  /** The daemon-config.json content, as rendered into the ConfigMap. */
  public readonly daemonConfigJson: string;

  constructor(scope: Construct, id: string, props: MultusThickProps = {}) {
    super(scope, id);
    const where = `MultusThick ${this.node.path}`;
    const image = props.image ?? VERSIONS.multus.image;
    assertPinnedImage(image, where, 'MULTUS_IMAGE');
    const namespace = props.namespace ?? VERSIONS.multus.namespace;
    this.namespace = namespace;
    const cpu = props.cpu ?? VERSIONS.multus.resources.cpu;
    cpuMillis(cpu, `${where} cpu`, 'MULTUS_RESOURCES');
    const memoryRequest = props.memoryRequest ?? VERSIONS.multus.resources.memory;
    const memoryLimit = props.memoryLimit ?? memoryRequest;
    const requestBytes = memoryBytes(memoryRequest, `${where} memoryRequest`, 'MULTUS_RESOURCES');
    if (memoryBytes(memoryLimit, `${where} memoryLimit`, 'MULTUS_RESOURCES') < requestBytes) {
      throw new MultinicError('MULTUS_RESOURCES',
        `${where}: memoryLimit ${memoryLimit} is below memoryRequest ${memoryRequest}; raise the limit or omit it (it defaults to the request)`);
    }
    const grace = props.terminationGracePeriodSeconds ?? VERSIONS.multus.terminationGracePeriodSeconds;
    if (!Number.isInteger(grace) || grace < 0) {
      throw new MultinicError('MULTUS_DAEMONSET', `${where}: terminationGracePeriodSeconds must be a non-negative integer, got ${grace}`);
    }
    this.daemonConfigJson = renderMultusDaemonConfig(props);
    if ((props.clusterNetwork === undefined) !== (props.clusterNetworkFile === undefined)
      || (props.clusterNetworkFile !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*\.(conf|conflist|json)$/.test(props.clusterNetworkFile))) {
      throw new MultinicError('MULTUS_DAEMON_CONFIG',
        `${where}: clusterNetwork and clusterNetworkFile go together (the network's name and its file name in /etc/cni/net.d, e.g. "k8s-pod-network" and "10-calico.conflist"), got ${JSON.stringify(props.clusterNetwork)} and ${JSON.stringify(props.clusterNetworkFile)}`);
    }

    this.crd = clusterScoped(committedCrd(this, 'NetworkAttachmentDefinitionCrd', NAD_CRD_FILE));

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: NAME, namespace },
    });

    // Exactly the v4.3.0 rules. HEAD adds resource.k8s.io read access for DRA (Kubernetes 1.34+); not modelled.
    this.clusterRole = clusterScoped(new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: NAME },
      rules: [
        { apiGroups: ['k8s.cni.cncf.io'], resources: ['*'], verbs: ['*'] },
        // pods/status: the network-status annotation is written with UpdateStatus.
        { apiGroups: [''], resources: ['pods', 'pods/status'], verbs: ['get', 'list', 'update', 'watch'] },
        { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      ],
    }));

    this.clusterRoleBinding = clusterScoped(new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: NAME },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.clusterRole.name },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccount.name, namespace }],
    }));

    const labels = { tier: 'node', app: NAME };
    this.configMap = new k8s.KubeConfigMap(this, 'DaemonConfig', {
      metadata: { name: CONFIG_MAP_NAME, namespace, labels },
      data: { [DAEMON_CONFIG_KEY]: this.daemonConfigJson },
    });

    const podLabels = { ...labels, name: NAME };
    const q = k8s.Quantity.fromString;
    this.daemonSet = new k8s.KubeDaemonSet(this, 'Resource', {
      metadata: { name: DAEMON_SET_NAME, namespace, labels: podLabels },
      spec: {
        selector: { matchLabels: { name: NAME } },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: {
            labels: podLabels,
            // The daemon reads its config only at start: a config change must roll the pods to take effect.
            annotations: { [DAEMON_CONFIG_CHECKSUM_ANNOTATION]: createHash('sha256').update(this.daemonConfigJson).digest('hex') },
          },
          spec: {
            // Node-critical: without the daemon no pod sandbox on the node starts; evicted last, and it preempts.
            priorityClassName: 'system-node-critical',
            // The daemon writes host CNI config and enters pod netns by PID: host network and PID namespace.
            hostNetwork: true,
            hostPid: true,
            // A CNI must run on every node, tainted or not, or pods there cannot start.
            tolerations: [
              { operator: 'Exists', effect: 'NoSchedule' },
              { operator: 'Exists', effect: 'NoExecute' },
            ],
            serviceAccountName: this.serviceAccount.name,
            containers: [{
              name: 'kube-multus',
              image,
              command: ['/usr/src/multus-cni/bin/multus-daemon'],
              resources: {
                requests: { cpu: q(cpu), memory: q(memoryRequest) },
                limits: { cpu: q(cpu), memory: q(memoryLimit) },
              },
              securityContext: { privileged: true },
              terminationMessagePolicy: 'FallbackToLogsOnError',
              volumeMounts: [
                ...MULTUS_HOST_MOUNTS.map((m) => ({
                  name: m.volume,
                  mountPath: m.mountPath,
                  ...(m.propagation ? { mountPropagation: m.propagation } : {}),
                })),
                { name: CONFIG_MAP_NAME, mountPath: DAEMON_CONFIG_DIR, readOnly: true },
              ],
              env: [{ name: 'MULTUS_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
            }],
            initContainers: [{
              name: 'install-multus-binary',
              image,
              // Copies multus-shim and passthru with an atomic rename (v4.2.3+); a plain cp fails with
              // "text file busy" while the runtime still runs the old shim after a reboot (multus-cni #1221).
              command: ['/usr/src/multus-cni/bin/install_multus', '-d', '/host/opt/cni/bin', '-t', 'thick'],
              resources: {
                requests: { cpu: q(VERSIONS.multus.initResources.cpu), memory: q(VERSIONS.multus.initResources.memory) },
                limits: { cpu: q(VERSIONS.multus.initResources.cpu), memory: q(VERSIONS.multus.initResources.memory) },
              },
              securityContext: { privileged: true },
              terminationMessagePolicy: 'FallbackToLogsOnError',
              // Bidirectional, as upstream: the copied binaries must be visible in the host mount namespace.
              volumeMounts: [{ name: 'cnibin', mountPath: '/host/opt/cni/bin', mountPropagation: 'Bidirectional' }],
            }, ...(props.clusterNetworkFile === undefined ? [] : [{
              name: 'link-cluster-network',
              image,
              // A symbolic link, not a copy: the primary CNI rewrites its file (Calico on each start of calico-node).
              command: ['/bin/ln', '-sfn', `/host/etc/cni/net.d/${props.clusterNetworkFile}`, `${MULTUS_CONF_DIR}/${CLUSTER_NETWORK_LINK}`],
              resources: {
                requests: { cpu: q(VERSIONS.multus.initResources.cpu), memory: q(VERSIONS.multus.initResources.memory) },
                limits: { cpu: q(VERSIONS.multus.initResources.cpu), memory: q(VERSIONS.multus.initResources.memory) },
              },
              // Root writing into a root-owned directory of the host: no capability needed.
              securityContext: { privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              terminationMessagePolicy: 'FallbackToLogsOnError',
              volumeMounts: [{ name: 'multus-conf-dir', mountPath: MULTUS_CONF_DIR }],
            }])],
            terminationGracePeriodSeconds: grace,
            volumes: [
              ...MULTUS_HOST_MOUNTS.map((m) => ({ name: m.volume, hostPath: { path: m.hostPath } })),
              {
                name: CONFIG_MAP_NAME,
                configMap: { name: this.configMap.name, items: [{ key: DAEMON_CONFIG_KEY, path: DAEMON_CONFIG_KEY }] },
              },
            ],
          },
        },
      },
    });
    this.node.defaultChild = this.daemonSet;
  }
}
