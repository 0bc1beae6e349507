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
