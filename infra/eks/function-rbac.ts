import { EKS_FUNCTIONS } from './defaults';

type KubeObject = Record<string, unknown>;

const rule = (apiGroups: string[], resources: string[], verbs: string[]) => ({ apiGroups, resources, verbs });

/**
 * What multinic's functions may do in the cluster, each through the Kubernetes group of its access entry
 * (infra/eks/cluster-function.ts): the Pod replacement lists, reads and deletes Pods; the node lifecycle function reads,
 * cordons and deletes Nodes, lists Pods and evicts them (the eviction subresource, so PodDisruptionBudgets hold).
 * Cluster-wide because the workloads' namespaces come from the intent and Nodes are cluster-scoped.
 */
export function functionRbac(): KubeObject[] {
  const labels = { 'app.kubernetes.io/managed-by': 'multinic', 'app.kubernetes.io/part-of': 'multinic-eks' };
  const roles: Array<[string, string, ReturnType<typeof rule>[]]> = [
    ['multinic-pod-replacement', EKS_FUNCTIONS.podReplacementGroup, [rule([''], ['pods'], ['get', 'list', 'delete'])]],
    ['multinic-node-lifecycle', EKS_FUNCTIONS.nodeLifecycleGroup, [
      rule([''], ['nodes'], ['get', 'list', 'patch', 'delete']),
      rule([''], ['pods'], ['get', 'list']),
      rule([''], ['pods/eviction'], ['create']),
    ]],
  ];
  return roles.flatMap(([name, group, rules]) => [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, rules },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
    },
  ]);
}
