import { createHash } from 'node:crypto';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ENI_PATHS } from '../../lib/node/eni-contract';
import { VERSIONS } from '../../lib/versions';
import { clusterScoped } from '../private/cluster-scoped';
import { assertPinnedImage } from '../private/k8s-values';

/** Name of the ServiceAccount, ClusterRole, ClusterRoleBinding and DaemonSet (as upstream's deploy.yml). */
export const MULTI_NETWORKPOLICY_NAME = 'multi-networkpolicy';
/** Where the daemon's custom ICMP rules are mounted, and their ConfigMap key. */
export const CUSTOM_RULES_DIR = '/etc/multi-networkpolicy/rules';
export const CUSTOM_V4_INGRESS_KEY = 'custom-v4-ingress.txt';
/** The daemon's klog file; the readiness probe looks for its `hostname: <node>` line. */
export const DAEMON_LOG_FILE = '/var/log/multi-networkpolicy/daemon.log';
/** Pod-template annotation holding the SHA-256 of the custom rules: the daemon reads them only at start. */
export const CUSTOM_RULES_CHECKSUM_ANNOTATION = 'checksum/multi-networkpolicy-custom-rules';
/** Where the host's root paths the daemon reads appear in its container (`--host-prefix`). */
export const HOST_PREFIX = '/host';
/** Per-node CNI files of networks without spec.config; the daemon reads them from this path in its own container. */
export const MULTUS_NET_D = ENI_PATHS.cniDir;

/** Props of {@link MultiNetworkPolicyDaemon}. */
export interface MultiNetworkPolicyDaemonProps {
  /** CNI plugin types to police (`--network-plugins`); the daemon ignores every other network. */
  readonly networkPlugins: readonly string[];
  /** Lines of the custom IPv4 ingress rules (`--custom-v4-ingress-rule-file`): the intent's ICMP rules. @default [] */
  readonly customIngressRules?: readonly string[];
  /** Image built from the pinned commit. @default VERSIONS.multiNetworkPolicy.image */
  readonly image?: string;
  /** The container runtime's CRI socket on the node. @default VERSIONS.multiNetworkPolicy.criSocket */
  readonly criSocket?: string;
  /** Namespace of the namespaced objects. @default VERSIONS.multiNetworkPolicy.namespace ('kube-system') */
  readonly namespace?: string;
}

/** The daemon's arguments: every flag that rules out one of its silent failure modes, with the reason beside it. */
export function daemonArgs(props: MultiNetworkPolicyDaemonProps): string[] {
  return [
    // Without it, a daemon whose hostname differs from the Node name skips every pod without an error.
    '--hostname-override=$(NODE_NAME)',
    // Its default is macvlan only: every other plugin's networks would stay open.
    `--network-plugins=${props.networkPlugins.join(',')}`,
    // Upstream's default points at CRI-O; the daemon finds each pod's netns through the runtime.
    `--container-runtime-endpoint=${props.criSocket ?? VERSIONS.multiNetworkPolicy.criSocket}`,
    // The CRI socket and /proc/<pid>/ns/net are read under this prefix.
    `--host-prefix=${HOST_PREFIX}`,
    // MultiNetworkPolicy ports cannot express ICMP: the intent's ICMP rules (a file with only comments is no-op).
    `--custom-v4-ingress-rule-file=${CUSTOM_RULES_DIR}/${CUSTOM_V4_INGRESS_KEY}`,
    // The readiness probe reads the `hostname: <node>` line from the file; stderr keeps `kubectl logs` working.
    `--log_file=${DAEMON_LOG_FILE}`,
    '--log_file_max_size=0',
    '--logtostderr=false',
    '--alsologtostderr=true',
    `--v=${VERSIONS.multiNetworkPolicy.logLevel}`,
  ];
}

/**
 * multi-networkpolicy-iptables (commit cbf2b11) as a DaemonSet with its RBAC and custom rules, equivalent to
 * upstream's `deploy.yml` but configured for multinic's nodes and networks:
 * - `--hostname-override` from `spec.nodeName`, `--network-plugins` covering every plugin type of the intent,
 *   containerd's CRI socket, `--host-prefix`;
 * - the node's `/etc/cni/multus/net.d` mounted read-only at the same path, so networks without `spec.config`
 *   (eni-prefix) are policed too (the daemon reads their type there);
 * - a readiness probe that passes only once the daemon logged `hostname: <its node>` (upstream has none: an
 *   "available" DaemonSet proved nothing);
 * - least privilege: read-only access to pods, namespaces, MultiNetworkPolicies and NADs (upstream: `*` on
 *   k8s.cni.cncf.io), host `/proc` and the CRI socket directory instead of the host's whole root.
 */
export class MultiNetworkPolicyDaemon extends Construct {
  public readonly serviceAccount: k8s.KubeServiceAccount;
  public readonly clusterRole: k8s.KubeClusterRole;
  public readonly clusterRoleBinding: k8s.KubeClusterRoleBinding;
  /** ConfigMap of the custom ICMP rules. */
  public readonly customRules: k8s.KubeConfigMap;
  public readonly daemonSet: k8s.KubeDaemonSet;

  constructor(scope: Construct, id: string, props: MultiNetworkPolicyDaemonProps) {
    super(scope, id);
    const image = props.image ?? VERSIONS.multiNetworkPolicy.image;
    assertPinnedImage(image, `MultiNetworkPolicyDaemon ${this.node.path}`, 'MULTI_NETWORKPOLICY_IMAGE');
    const namespace = props.namespace ?? VERSIONS.multiNetworkPolicy.namespace;
    const name = MULTI_NETWORKPOLICY_NAME;
    const labels = { tier: 'node', app: name, name };

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name, namespace } });
    this.clusterRole = clusterScoped(new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name },
      rules: [
        { apiGroups: ['k8s.cni.cncf.io'], resources: ['multi-networkpolicies', 'network-attachment-definitions'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
        // Its start-up event on the Node.
        { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      ],
    }));
    this.clusterRoleBinding = clusterScoped(new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.clusterRole.name },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccount.name, namespace }],
    }));

    const rules = [
      '# multinic: ICMP admitted by the intent (networks[].ingress[].icmp); MultiNetworkPolicy ports cannot express it.',
      ...(props.customIngressRules ?? []),
    ].join('\n');
    this.customRules = new k8s.KubeConfigMap(this, 'CustomRules', {
      metadata: { name: `${name}-custom-rules`, namespace, labels },
      data: { [CUSTOM_V4_INGRESS_KEY]: `${rules}\n` },
    });

    const q = k8s.Quantity.fromString;
    const res = VERSIONS.multiNetworkPolicy.resources;
    const hostMounts = [
      // /host/proc/<pid>/ns/net: the pod's network namespace, by the PID the runtime reports.
      { volume: 'host-proc', hostPath: '/proc', mountPath: `${HOST_PREFIX}/proc`, readOnly: true },
      { volume: 'cri-socket', hostPath: dirname(props.criSocket ?? VERSIONS.multiNetworkPolicy.criSocket), mountPath: `${HOST_PREFIX}${dirname(props.criSocket ?? VERSIONS.multiNetworkPolicy.criSocket)}`, readOnly: false },
      { volume: 'multus-net-d', hostPath: MULTUS_NET_D, mountPath: MULTUS_NET_D, readOnly: true },
    ];
    this.daemonSet = new k8s.KubeDaemonSet(this, 'Resource', {
      metadata: { name, namespace, labels },
      spec: {
        selector: { matchLabels: { name } },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: {
            labels,
            annotations: { [CUSTOM_RULES_CHECKSUM_ANNOTATION]: createHash('sha256').update(rules).digest('hex') },
          },
          spec: {
            hostNetwork: true,
            // Every node that can run a pod with a secondary network, tainted or not.
            tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute' }],
            serviceAccountName: this.serviceAccount.name,
            containers: [{
              name,
              image,
              imagePullPolicy: 'IfNotPresent',
              command: ['/usr/bin/multi-networkpolicy-iptables'],
              args: daemonArgs(props),
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
              resources: {
                requests: { cpu: q(res.requests.cpu), memory: q(res.requests.memory) },
                limits: { cpu: q(res.limits.cpu), memory: q(res.limits.memory) },
              },
              // It enters pod network namespaces (setns) and writes their iptables rules.
              securityContext: { privileged: true },
              readinessProbe: {
                exec: { command: ['/bin/sh', '-c', `grep -q "hostname: $NODE_NAME" ${DAEMON_LOG_FILE}`] },
                periodSeconds: 2,
                failureThreshold: 1,
              },
              terminationMessagePolicy: 'FallbackToLogsOnError',
              volumeMounts: [
                ...hostMounts.map((m) => ({ name: m.volume, mountPath: m.mountPath, readOnly: m.readOnly })),
                { name: 'custom-rules', mountPath: CUSTOM_RULES_DIR, readOnly: true },
                { name: 'log', mountPath: dirname(DAEMON_LOG_FILE) },
              ],
            }],
            volumes: [
              ...hostMounts.map((m) => ({ name: m.volume, hostPath: { path: m.hostPath } })),
              { name: 'custom-rules', configMap: { name: this.customRules.name } },
              { name: 'log', emptyDir: { sizeLimit: q('64Mi') } },
            ],
          },
        },
      },
    });
    this.node.defaultChild = this.daemonSet;
  }
}

function dirname(p: string): string {
  return p.slice(0, p.lastIndexOf('/')) || '/';
}
