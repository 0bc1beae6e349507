import type { Cluster, NetworkIntent } from '../intent/types';
import type { IntentModel } from '../model/model';

export { finding, formatPath, INTERNAL_ERROR_ID, type Finding, type FindingSource, type IntentPath, type Level, type RuleShape } from '../findings';
import type { Finding, RuleShape } from '../findings';

/**
 * A validation rule: a pure function over the parsed intent and its model, with metadata that `docs/validation.md`
 * is generated from (the shape is the ground floor's `RuleShape`).
 */
export interface Rule extends RuleShape<[intent: NetworkIntent, model: IntentModel], Cluster['flavour']> {
  /**
   * A backstop: its findings are dropped when a finding of level error of another rule lies at or under the same
   * path (that one names the problem more precisely). @default false
   */
  readonly onlyAlone?: boolean;
  check(intent: NetworkIntent, model: IntentModel): Finding[];
}

/** True when `rule` applies to the intent's flavour. */
export function appliesTo(rule: Pick<Rule, 'flavours'>, intent: NetworkIntent): boolean {
  return rule.flavours === undefined || rule.flavours.includes(intent.spec.cluster.flavour);
}
