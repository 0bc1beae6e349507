/**
 * Rule shape of the instance-type rules: the ground floor's `RuleShape` over the intent alone (they need no model,
 * only the intent and a catalogue they close over), so they run in the validate pipeline as they are.
 */
import type { NetworkIntent } from '../intent/types';

export type { Finding, Level } from '../findings';
import type { Finding, RuleShape } from '../findings';

export type InstanceTypeRule = RuleShape<[intent: NetworkIntent], NetworkIntent['spec']['cluster']['flavour']>;

/** Builds a finding whose message starts with the path, as every multinic message does. */
export function findingAt(rule: Pick<InstanceTypeRule, 'id' | 'level' | 'fix'>, path: string, message: string, fix?: string): Finding {
  return { id: rule.id, level: rule.level, path, message: `${path}: ${message}`, fix: fix ?? rule.fix };
}
