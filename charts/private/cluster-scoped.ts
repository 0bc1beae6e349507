import { ApiObject, Chart, JsonPatch } from 'cdk8s';

/**
 * Keeps a cluster-scoped object (CRD, ClusterRole, ClusterRoleBinding) free of `metadata.namespace`. cdk8s stamps
 * the chart's namespace on every object, cluster-scoped or not; a namespace on a cluster-scoped object is at best
 * ignored and makes `kubectl apply -n other` fail with a namespace mismatch.
 */
export function clusterScoped<T extends ApiObject>(obj: T): T {
  if (Chart.of(obj).namespace !== undefined && obj.metadata.namespace !== undefined) {
    obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  return obj;
}
