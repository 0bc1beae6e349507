/**
 * Node label that marks a node as carrying a secondary interface. The CDK bootstrap sets it on every node of a group
 * with that interface; workloads get node affinity to it, so a pod never lands on a node without its master.
 */
export const INTERFACE_LABEL_PREFIX = 'multinic.dev/interface-';

/** `multinic.dev/interface-multus0` for interface `multus0`. */
export function interfaceLabel(interfaceName: string): string {
  return `${INTERFACE_LABEL_PREFIX}${interfaceName}`;
}

/** The value the label carries. */
export const INTERFACE_LABEL_VALUE = 'true';

/**
 * Label on every object of the emitted manifests. The deploy path applies them with server-side apply and prunes, by
 * this label, the objects it applied earlier that the intent no longer has (infra/bootstrap/apply-manifests.sh).
 */
export const MANAGED_BY_LABEL = { key: 'app.kubernetes.io/managed-by', value: 'multinic' } as const;
