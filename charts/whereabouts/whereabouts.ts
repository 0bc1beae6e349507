import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { MultinicError } from '../../lib/errors';
import { CniLogLevel, VERSIONS } from '../../lib/versions';
import { clusterScoped } from '../private/cluster-scoped';
import { committedCrd } from '../private/committed-crd';
import { assertPinnedImage, memoryBytes } from '../private/k8s-values';

/** The three Whereabouts v0.9.4 CRDs, committed under crds/whereabouts/ (and imported to imports/). */
export const WHEREABOUTS_CRD_FILES = {
  ipPools: 'crds/whereabouts/ippools.yaml',
  overlappingRangeIpReservations: 'crds/whereabouts/overlappingrangeipreservations.yaml',
  nodeSlicePools: 'crds/whereabouts/nodeslicepools.yaml',
} as const;

/**
 * Props of {@link Whereabouts}.
 */
export interface WhereaboutsProps {
  /**
   * Whereabouts image, pinned to a release (`latest` and other moving tags are rejected).
   * @default VERSIONS.whereabouts.image (ghcr.io/k8snetworkplumbingwg/whereabouts:v0.9.4)
   */
  readonly image?: string;

  /**
   * Namespace of the agents and of the IPPool / reservation objects they write. For fast IPAM (node slices) it
   * must be the namespace of the NetworkAttachmentDefinitions.
   * @default 'kube-system'
   */
  readonly namespace?: string;

  /**
   * When the IP reconciler frees addresses of pods that no longer exist (ConfigMap `whereabouts-config`, key
   * `cron-expression`). Five cron fields (v0.9.4's reconciler parses no seconds field).
   * @default VERSIONS.whereabouts.reconcilerCronExpression ('30 4 * * *', daily at 04:30)
   */
  readonly reconcilerCronExpression?: string;

  /**
   * `-log-level` of ip-control-loop and ip-reconciler.
   * @default VERSIONS.whereabouts.logLevel ('debug', as upstream)
   */
  readonly logLevel?: CniLogLevel;

  /**
   * Also deploy the node-slice controller (Deployment `whereabouts-controller`), needed by fast IPAM
   * (`node_slice_size` in a NAD's IPAM config): it splits each such range into per-node NodeSlicePools.
   * @default false
   */
  readonly nodeSliceController?: boolean;

  /**
   * Memory limit of the DaemonSet container (install-cni, token-watcher and ip-control-loop); the request stays
   * at the upstream 100Mi. Must be at least 100Mi.
   * @default VERSIONS.whereabouts.daemonResources.limits.memory ('200Mi')
   */
  readonly daemonMemoryLimit?: string;

  /**
   * Memory request and limit of the reconciler container.
   * @default VERSIONS.whereabouts.reconcilerResources.memory ('50Mi')
   */
  readonly reconcilerMemory?: string;
}

const NAME = 'whereabouts';
const CLUSTER_ROLE_NAME = 'whereabouts-cni';
const RECONCILER_NAME = 'whereabouts-reconciler';
const CONFIG_MAP_NAME = 'whereabouts-config';
const CONTROLLER_NAME = 'whereabouts-controller';
const CRON_KEY = 'cron-expression';
const CRON_FIELD = /^[0-9A-Za-z*?,/-]+$/;

/** A hostPath the DaemonSet mounts: volume name, host path, container path. */
export const WHEREABOUTS_HOST_MOUNTS = [
  // install-cni copies the whereabouts binary here.
  { volume: 'cnibin', hostPath: '/opt/cni/bin', mountPath: '/host/opt/cni/bin' },
  // install-cni and token-watcher write whereabouts.d/{whereabouts.conf,whereabouts.kubeconfig} here.
  { volume: 'cni-net-dir', hostPath: '/etc/cni/net.d', mountPath: '/host/etc/cni/net.d' },
] as const;

/**
 * The shell the DaemonSet container runs, as upstream v0.9.4: install the binary and its kubeconfig onto the host,
 * keep the kubeconfig's service-account token fresh in the background, then run the pod controller that frees
 * addresses of deleted pods.
 */
export function whereaboutsDaemonScript(logLevel: CniLogLevel): string {
  return [
    'SLEEP=false source /install-cni.sh',
    '/token-watcher.sh &',
    `/ip-control-loop -log-level ${logLevel}`,
  ].join('\n');
}

/**
 * Whereabouts IPAM (v0.9.4), equivalent to upstream's `doc/crds/` install set: the three CRDs, RBAC, the
 * install-cni DaemonSet, the single-replica IP reconciler Deployment with its cron ConfigMap, and optionally the
 * node-slice controller for fast IPAM.
 *
 * Differences from upstream, on purpose: a pinned release image instead of `latest`; the DaemonSet also tolerates
 * NoExecute taints (a node-local IPAM agent must not be evicted from a tainted node that still runs pods); the
 * reconciler uses the Recreate strategy so a rollout never runs two reconcilers at once.
 *
 * @example
 * new Whereabouts(chart, 'Whereabouts', { reconcilerCronExpression: '*\/30 * * * *' });
 */
export class Whereabouts extends Construct {
  public readonly ipPoolsCrd: ApiObject;
  public readonly overlappingRangeIpReservationsCrd: ApiObject;
  public readonly nodeSlicePoolsCrd: ApiObject;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** ClusterRole `whereabouts-cni`. */
  public readonly clusterRole: k8s.KubeClusterRole;
  public readonly clusterRoleBinding: k8s.KubeClusterRoleBinding;
  /** The install-cni + ip-control-loop DaemonSet `whereabouts`; also `node.defaultChild`. */
  public readonly daemonSet: k8s.KubeDaemonSet;
  /** ConfigMap `whereabouts-config` holding the reconciler's cron expression. */
  public readonly configMap: k8s.KubeConfigMap;
  /** Deployment `whereabouts-reconciler`, always one replica. */
  public readonly reconciler: k8s.KubeDeployment;
  /** Deployment `whereabouts-controller`, when `nodeSliceController` is set. */
  public readonly nodeSliceController?: k8s.KubeDeployment;
  /** The namespace the namespaced objects (and the IP pools) are in. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: WhereaboutsProps = {}) {
    super(scope, id);
    const where = `Whereabouts ${this.node.path}`;
    const image = props.image ?? VERSIONS.whereabouts.image;
    assertPinnedImage(image, where, 'WHEREABOUTS_IMAGE');
    const namespace = props.namespace ?? VERSIONS.whereabouts.namespace;
    this.namespace = namespace;
    const logLevel = props.logLevel ?? VERSIONS.whereabouts.logLevel;
    const cron = (props.reconcilerCronExpression ?? VERSIONS.whereabouts.reconcilerCronExpression).trim();
    const fields = cron.split(/\s+/);
    // Five fields only: v0.9.4's reconciler schedules with gocron.CronJob(expr, false), i.e. cron.ParseStandard
    // (cmd/reconciler, pkg/reconciler/config.go), which refuses a sixth (seconds) field: it would never run.
    if (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f))) {
      throw new MultinicError('WHEREABOUTS_CRON',
        `${where}: reconcilerCronExpression "${cron}" is not a cron expression the reconciler accepts; use five fields ` +
        '(minute hour day-of-month month day-of-week) such as "30 4 * * *" (Whereabouts v0.9.4 parses no seconds field)');
    }
    const daemonRes = VERSIONS.whereabouts.daemonResources;
    const daemonMemoryLimit = props.daemonMemoryLimit ?? daemonRes.limits.memory;
    if (memoryBytes(daemonMemoryLimit, `${where} daemonMemoryLimit`, 'WHEREABOUTS_RESOURCES') <
        memoryBytes(daemonRes.requests.memory, 'request', 'WHEREABOUTS_RESOURCES')) {
      throw new MultinicError('WHEREABOUTS_RESOURCES',
        `${where}: daemonMemoryLimit ${daemonMemoryLimit} is below the ${daemonRes.requests.memory} request; raise it or omit it`);
    }
    const reconcilerMemory = props.reconcilerMemory ?? VERSIONS.whereabouts.reconcilerResources.memory;
    memoryBytes(reconcilerMemory, `${where} reconcilerMemory`, 'WHEREABOUTS_RESOURCES');

    this.ipPoolsCrd = clusterScoped(committedCrd(this, 'IpPoolsCrd', WHEREABOUTS_CRD_FILES.ipPools));
    this.overlappingRangeIpReservationsCrd = clusterScoped(committedCrd(this, 'OverlappingRangeIpReservationsCrd',
      WHEREABOUTS_CRD_FILES.overlappingRangeIpReservations));
    this.nodeSlicePoolsCrd = clusterScoped(committedCrd(this, 'NodeSlicePoolsCrd', WHEREABOUTS_CRD_FILES.nodeSlicePools));

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: NAME, namespace } });

    // The six v0.9.4 rules.
    this.clusterRole = clusterScoped(new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: CLUSTER_ROLE_NAME },
      rules: [
        {
          apiGroups: ['whereabouts.cni.cncf.io'],
          resources: ['ippools', 'overlappingrangeipreservations', 'nodeslicepools'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
        },
        // Leases serialize pool updates between nodes.
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['*'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch', 'get'] },
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['k8s.cni.cncf.io'], resources: ['network-attachment-definitions'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update', 'get'] },
      ],
    }));

    this.clusterRoleBinding = clusterScoped(new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: NAME },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.clusterRole.name },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccount.name, namespace }],
    }));

    const q = k8s.Quantity.fromString;
    const namespaceEnv = { name: 'WHEREABOUTS_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } };
    const dsLabels = { tier: 'node', app: NAME };
    this.daemonSet = new k8s.KubeDaemonSet(this, 'Resource', {
      metadata: { name: NAME, namespace, labels: dsLabels },
      spec: {
        selector: { matchLabels: { name: NAME } },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels: { ...dsLabels, name: NAME } },
          spec: {
            hostNetwork: true,
            serviceAccountName: this.serviceAccount.name,
            // Node-critical: without it no pod with a whereabouts network starts on the node; evicted last, preempts.
            priorityClassName: 'system-node-critical',
            // Upstream tolerates NoSchedule only; the IPAM agent must also stay on nodes tainted NoExecute, or
            // deletions there are never released by ip-control-loop.
            tolerations: [
              { operator: 'Exists', effect: 'NoSchedule' },
              { operator: 'Exists', effect: 'NoExecute' },
            ],
            containers: [{
              name: NAME,
              image,
              command: ['/bin/sh'],
              args: ['-c', whereaboutsDaemonScript(logLevel)],
              env: [
                { name: 'NODENAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
                namespaceEnv,
              ],
              resources: {
                requests: { cpu: q(daemonRes.requests.cpu), memory: q(daemonRes.requests.memory) },
                limits: { cpu: q(daemonRes.limits.cpu), memory: q(daemonMemoryLimit) },
              },
              securityContext: { privileged: true },
              volumeMounts: WHEREABOUTS_HOST_MOUNTS.map((m) => ({ name: m.volume, mountPath: m.mountPath })),
            }],
            volumes: WHEREABOUTS_HOST_MOUNTS.map((m) => ({ name: m.volume, hostPath: { path: m.hostPath } })),
          },
        },
      },
    });
    this.node.defaultChild = this.daemonSet;

    this.configMap = new k8s.KubeConfigMap(this, 'ReconcilerConfig', {
      metadata: { name: CONFIG_MAP_NAME, namespace },
      data: { [CRON_KEY]: cron },
    });

    const cronVolume: k8s.Volume = {
      name: 'cron-scheduler-configmap',
      configMap: { name: this.configMap.name, defaultMode: 0o744, items: [{ key: CRON_KEY, path: 'config' }] },
    };
    const reconcilerLabels = { tier: 'node', app: RECONCILER_NAME };
    this.reconciler = new k8s.KubeDeployment(this, 'Reconciler', {
      metadata: { name: RECONCILER_NAME, namespace, labels: reconcilerLabels },
      spec: {
        // Exactly one: the reconciler has no leader election, and two instances would race each other freeing
        // and re-reading the same allocations. Not a prop on purpose.
        replicas: 1,
        // Recreate, not RollingUpdate: a rolling update surges a second pod while the old one still runs.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { name: RECONCILER_NAME } },
        template: {
          metadata: { labels: { ...reconcilerLabels, name: RECONCILER_NAME } },
          spec: {
            serviceAccountName: this.serviceAccount.name,
            containers: [{
              name: RECONCILER_NAME,
              image,
              command: ['/ip-reconciler'],
              args: ['-log-level', logLevel],
              env: [namespaceEnv],
              resources: {
                requests: { cpu: q(VERSIONS.whereabouts.reconcilerResources.cpu), memory: q(reconcilerMemory) },
                limits: { cpu: q(VERSIONS.whereabouts.reconcilerResources.cpu), memory: q(reconcilerMemory) },
              },
              volumeMounts: [{ name: 'cron-scheduler-configmap', mountPath: '/cron-schedule' }],
            }],
            volumes: [cronVolume],
          },
        },
      },
    });

    if (props.nodeSliceController) {
      // Upstream's node-slice-controller.yaml is a raw `kubectl get -o yaml` export; this keeps its container and
      // mounts and drops the export noise (the kube-api-access projected volume, scheduler defaults).
      const controllerLabels = { app: CONTROLLER_NAME };
      this.nodeSliceController = new k8s.KubeDeployment(this, 'NodeSliceController', {
        metadata: { name: CONTROLLER_NAME, namespace, labels: controllerLabels },
        spec: {
          // One controller writes the NodeSlicePools; Recreate so a rollout never runs two.
          replicas: 1,
          strategy: { type: 'Recreate' },
          selector: { matchLabels: controllerLabels },
          template: {
            metadata: { labels: controllerLabels },
            spec: {
              serviceAccountName: this.serviceAccount.name,
              containers: [{
                name: NAME,
                image,
                command: ['/node-slice-controller'],
                env: [
                  { name: 'NODENAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
                  namespaceEnv,
                ],
                resources: {
                  requests: { cpu: q(daemonRes.requests.cpu), memory: q(daemonRes.requests.memory) },
                  limits: { cpu: q(daemonRes.limits.cpu), memory: q(daemonRes.limits.memory) },
                },
                volumeMounts: [
                  ...WHEREABOUTS_HOST_MOUNTS.map((m) => ({ name: m.volume, mountPath: m.mountPath })),
                  { name: 'cron-scheduler-configmap', mountPath: '/cron-schedule' },
                ],
              }],
              volumes: [
                ...WHEREABOUTS_HOST_MOUNTS.map((m) => ({ name: m.volume, hostPath: { path: m.hostPath } })),
                cronVolume,
              ],
            },
          },
        },
      });
    }
  }
}
