import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ENI_READY_MARKER, NETWORKS_NOT_READY_TAINT } from '../../lib/readiness';
import { VERSIONS } from '../../lib/versions';
import { clusterScoped } from '../private/cluster-scoped';
import { assertPinnedImage } from '../private/k8s-values';

/** Name of the ServiceAccount, ClusterRole, ClusterRoleBinding and DaemonSet. */
export const NODE_READY_NAME = 'multinic-node-ready';
/** The Multus config whose existence means Multus runs on the node and sits in front of the cluster network. */
export const MULTUS_CONFIG_FILE = '/etc/cni/net.d/00-multus.conf';
/** Written inside the container once the taint is gone; the readiness probe reads it. */
export const UNTAINTED_FILE = '/tmp/untainted';

/** Props of {@link NodeReady}. */
export interface NodeReadyProps {
  /**
   * Image with a POSIX shell and curl, pinned to a release.
   * @default VERSIONS.readiness.image
   */
  readonly image?: string;
  /**
   * Namespace of the ServiceAccount and DaemonSet.
   * @default VERSIONS.multus.namespace ('kube-system')
   */
  readonly namespace?: string;
}

/**
 * The shell loop of the container. It needs no `$(...)`: Kubernetes expands `$(NAME)` in command and args.
 * `spec.taints` of a Node has no merge key (a strategic-merge patch replaces the whole list), so the taint is removed
 * with a JSON patch that tests the key at an index before removing that index: atomic, and it never touches the
 * node's other taints. Once no index matches, a GET tells whether the taint is gone.
 */
export function nodeReadyScript(intervalSeconds: number = VERSIONS.readiness.intervalSeconds): string {
  const key = NETWORKS_NOT_READY_TAINT.key;
  return [
    'set -u',
    'api="https://${KUBERNETES_SERVICE_HOST}:${KUBERNETES_SERVICE_PORT}"',
    // Overridable only so that a test can run the loop outside a pod.
    'sa=${SA_DIR:-/var/run/secrets/kubernetes.io/serviceaccount}',
    `multus=\${HOST_ROOT:-/host}${MULTUS_CONFIG_FILE}`,
    `eni=\${HOST_ROOT:-/host}${ENI_READY_MARKER}`,
    `untainted=\${UNTAINTED_FILE:-${UNTAINTED_FILE}}`,
    'said=""',
    'while :; do',
    '  if [ ! -e "$multus" ]; then why="Multus has not written $multus yet"',
    '  elif [ ! -e "$eni" ]; then why="the ENI setup has not written $eni yet"',
    '  else why=""; fi',
    '  if [ -n "$why" ]; then',
    '    [ "$why" = "$said" ] || echo "node $NODE_NAME: waiting: $why"',
    '    said=$why',
    '  elif [ ! -e "$untainted" ]; then',
    '    read -r token < "$sa/token"',
    '    for i in 0 1 2 3 4 5 6 7 8 9; do',
    `      patch='[{"op":"test","path":"/spec/taints/'"$i"'/key","value":"${key}"},{"op":"remove","path":"/spec/taints/'"$i"'"}]'`,
    '      curl -s --fail --max-time 10 --cacert "$sa/ca.crt" -H "Authorization: Bearer $token" \\',
    "        -H 'Content-Type: application/json-patch+json' -X PATCH --data \"$patch\" -o /dev/null \\",
    '        "$api/api/v1/nodes/$NODE_NAME" && break',
    '    done',
    '    if curl -sS --fail --max-time 10 --cacert "$sa/ca.crt" -H "Authorization: Bearer $token" "$api/api/v1/nodes/$NODE_NAME" -o "$untainted.node" &&',
    `      ! grep -q '"key":"${key}"' "$untainted.node"; then`,
    `      echo "node $NODE_NAME: Multus and the ENI setup are ready: removed the taint ${key}"`,
    '      : > "$untainted"',
    '    fi',
    '  fi',
    `  sleep ${intervalSeconds}`,
    'done',
  ].join('\n');
}

/**
 * Removes the startup taint `multinic.dev/networks-not-ready` (lib/readiness.ts) from a node once Multus has written
 * its config there and the node's ENI setup has written its marker: so no pod that asked for a secondary network can
 * start on a node before both, by construction (the scheduler keeps it off tainted nodes).
 *
 * A DaemonSet of its own rather than a container in Multus' pod: it needs `nodes` get/patch, which Multus' own
 * ServiceAccount does not have and should not get. It runs on the host network (it must run before any CNI), reads
 * two host paths read-only, and is ready (probe) once it has removed the taint, so `kubectl rollout status` on it
 * says every node's networks are ready.
 */
export class NodeReady extends Construct {
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** nodes: get, patch. Nothing else. */
  public readonly clusterRole: k8s.KubeClusterRole;
  public readonly clusterRoleBinding: k8s.KubeClusterRoleBinding;
  /** DaemonSet `multinic-node-ready`; also `node.defaultChild`. */
  public readonly daemonSet: k8s.KubeDaemonSet;

  constructor(scope: Construct, id: string, props: NodeReadyProps = {}) {
    super(scope, id);
    const image = props.image ?? VERSIONS.readiness.image;
    assertPinnedImage(image, `NodeReady ${this.node.path}`, 'READINESS_IMAGE');
    const namespace = props.namespace ?? VERSIONS.multus.namespace;
    const labels = { app: NODE_READY_NAME, tier: 'node' };
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: NODE_READY_NAME, namespace } });
    this.clusterRole = clusterScoped(new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: NODE_READY_NAME },
      // A DaemonSet cannot be limited to its own node by RBAC (resourceNames are static): get and patch on nodes.
      rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch'] }],
    }));
    this.clusterRoleBinding = clusterScoped(new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: NODE_READY_NAME },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.clusterRole.name },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccount.name, namespace }],
    }));
    const q = k8s.Quantity.fromString;
    const { cpu, memory } = VERSIONS.readiness.resources;
    this.daemonSet = new k8s.KubeDaemonSet(this, 'Resource', {
      metadata: { name: NODE_READY_NAME, namespace, labels },
      spec: {
        selector: { matchLabels: { app: NODE_READY_NAME } },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels },
          spec: {
            // Before any CNI works on the node: host network, and every taint tolerated (the startup one above all).
            hostNetwork: true,
            priorityClassName: 'system-node-critical',
            tolerations: [
              { operator: 'Exists', effect: 'NoSchedule' },
              { operator: 'Exists', effect: 'NoExecute' },
            ],
            serviceAccountName: this.serviceAccount.name,
            automountServiceAccountToken: true,
            securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
            terminationGracePeriodSeconds: 1,
            containers: [{
              name: 'node-ready',
              image,
              imagePullPolicy: 'IfNotPresent',
              command: ['/bin/sh', '-c', nodeReadyScript()],
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
              resources: { requests: { cpu: q(cpu), memory: q(memory) }, limits: { cpu: q(cpu), memory: q(memory) } },
              readinessProbe: { exec: { command: ['/bin/sh', '-c', `test -e ${UNTAINTED_FILE}`] }, periodSeconds: 2 },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              terminationMessagePolicy: 'FallbackToLogsOnError',
              volumeMounts: [
                { name: 'cni-net-d', mountPath: `/host${dirname(MULTUS_CONFIG_FILE)}`, readOnly: true },
                { name: 'multinic-run', mountPath: `/host${dirname(ENI_READY_MARKER)}`, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            }],
            volumes: [
              { name: 'cni-net-d', hostPath: { path: dirname(MULTUS_CONFIG_FILE), type: 'DirectoryOrCreate' } },
              { name: 'multinic-run', hostPath: { path: dirname(ENI_READY_MARKER), type: 'DirectoryOrCreate' } },
              { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: q('1Mi') } },
            ],
          },
        },
      },
    });
    this.node.defaultChild = this.daemonSet;
  }
}

function dirname(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}
