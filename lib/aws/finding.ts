/**
 * Finding and rule shapes for the instance-type rules. Structurally the same as the lead's `lib/rules/types.ts`
 * (a rule here is assignable to that `Rule`: its `check` ignores the model argument), kept local so `lib/aws`
 * builds on its own.
 */
import type { NetworkIntent } from '../intent/types';

export type Level = 'error' | 'warning';

export interface Finding {
  readonly id: string;
  readonly level: Level;
  /** e.g. `spec.nodeGroups[1].instanceType`. */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

export interface InstanceTypeRule {
  readonly id: string;
  readonly level: Level;
  readonly summary: string;
  readonly why: string;
  readonly fix: string;
  check(intent: NetworkIntent): Finding[];
}

/** Builds a finding whose message starts with the path, as every multinic message does. */
export function findingAt(rule: Pick<InstanceTypeRule, 'id' | 'level' | 'fix'>, path: string, message: string, fix?: string): Finding {
  return { id: rule.id, level: rule.level, path, message: `${path}: ${message}`, fix: fix ?? rule.fix };
}
