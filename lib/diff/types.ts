/** What changed between two versions of a network intent, in the terms a reviewer cares about. */

export type ChangeKind = 'added' | 'removed' | 'changed';

/** What a change is about, in the order the diff lists them. */
export const SUBJECTS = ['cluster', 'subnet', 'nodeGroup', 'eni', 'network', 'policy', 'workload', 'service', 'configMap', 'capacity'] as const;
export type Subject = (typeof SUBJECTS)[number];

export interface Change {
  readonly subject: Subject;
  readonly kind: ChangeKind;
  /** Key of the thing: a network or workload `namespace/name`, an ENI `group/interface`, a subnet or group name. */
  readonly key: string;
  /** What changed, one item per field: `range 10.4.128.0/24 -> 10.4.129.0/24`. */
  readonly details: readonly string[];
  /** What the change does when applied (objects updated, pods to restart). */
  readonly effect: string;
  /** AWS resources the change replaces (destroyed and created anew), if any. */
  readonly replaces: readonly string[];
}

export interface IntentDiff {
  readonly base: string;
  readonly head: string;
  /** Every change, by subject (see `SUBJECTS`), then in intent order. */
  readonly changes: readonly Change[];
  /** Every AWS resource replaced, deduplicated, sorted. */
  readonly replacements: readonly string[];
}
