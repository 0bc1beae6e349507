/**
 * Multus' `k8s.v1.cni.cncf.io/network-status` pod annotation: a JSON list with one entry per interface the pod got,
 * the cluster network first (`default: true`).
 *
 * @see https://github.com/k8snetworkplumbingwg/multi-net-spec (v1.3, "network-status")
 */

export const NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/network-status';

export interface NetworkStatusEntry {
  /** `namespace/name` of the NetworkAttachmentDefinition, or the cluster network's name. */
  readonly name: string;
  /** Interface name in the pod (`net1`). Absent on some cluster-network entries. */
  readonly interface?: string;
  readonly ips: readonly string[];
  readonly mac?: string;
  readonly default: boolean;
}

/** Parses the annotation; returns why it cannot be read instead of throwing. */
export function parseNetworkStatus(text: string | undefined): NetworkStatusEntry[] | string {
  if (text === undefined) return `no ${NETWORK_STATUS_ANNOTATION} annotation`;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return `${NETWORK_STATUS_ANNOTATION} is not JSON`;
  }
  if (!Array.isArray(v)) return `${NETWORK_STATUS_ANNOTATION} is not a JSON list`;
  return v.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null).map((e) => ({
    name: typeof e.name === 'string' ? e.name : '',
    interface: typeof e.interface === 'string' ? e.interface : undefined,
    ips: Array.isArray(e.ips) ? e.ips.filter((i): i is string => typeof i === 'string') : [],
    mac: typeof e.mac === 'string' ? e.mac : undefined,
    default: e.default === true,
  }));
}
