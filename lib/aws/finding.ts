/**
 * Rule shape of the instance-type rules: `lib/rules/types.ts`'s `Rule` without the model argument (they need only the
 * intent and a catalogue), so they run in the validate pipeline as they are.
 */
import type { NetworkIntent } from '../intent/types';

export type { Finding, Level } from '../findings';
import type { Finding, Level } from '../findings';

export interface InstanceTypeRule {
  readonly id: string;
  readonly level: Level;
  readonly summary: string;
  readonly why: string;
  readonly fix: string;
  /** Flavours the rule applies to (see `Rule.flavours`). @default - every flavour */
  readonly flavours?: ReadonlyArray<NetworkIntent['spec']['cluster']['flavour']>;
  check(intent: NetworkIntent): Finding[];
}

/** Builds a finding whose message starts with the path, as every multinic message does. */
export function findingAt(rule: Pick<InstanceTypeRule, 'id' | 'level' | 'fix'>, path: string, message: string, fix?: string): Finding {
  return { id: rule.id, level: rule.level, path, message: `${path}: ${message}`, fix: fix ?? rule.fix };
}
