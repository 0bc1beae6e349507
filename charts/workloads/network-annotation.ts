import type { ResolvedAttachment } from '../../lib/model/model';
import type { NetworkAttachment } from '../networks/network-attachment';

/** The annotation Multus reads on a pod. */
export const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';

/**
 * Renders `k8s.v1.cni.cncf.io/networks` in Multus' JSON form from the NAD objects: namespace always explicit (an
 * unqualified name would resolve to the pod's namespace), interface only where the intent names it.
 */
export function networksAnnotation(attachments: readonly ResolvedAttachment[], nads: ReadonlyMap<string, NetworkAttachment>): string {
  const entries = attachments.map((a) => {
    const nad = a.network ? nads.get(a.network.key) : undefined;
    if (!nad || typeof a.attachment === 'string') {
      // Validation (multinic:NetworkNotFound) runs before synthesis; reaching this is a bug.
      throw new Error(`attachment "${a.text}" has no NetworkAttachmentDefinition`);
    }
    return a.attachment.ifname
      ? { name: nad.name, namespace: nad.namespace, interface: a.attachment.ifname }
      : { name: nad.name, namespace: nad.namespace };
  });
  return JSON.stringify(entries);
}
