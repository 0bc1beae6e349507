import type { Cluster, NetworkIntent } from '../intent/types';
import type { IntentModel } from '../model/model';

export { finding, formatPath, INTERNAL_ERROR_ID, type Finding, type FindingSource, type IntentPath, type Level } from '../findings';
import type { Finding, Level } from '../findings';

/**
 * A validation rule: a pure function over the parsed intent with metadata that `docs/validation.md` is generated from.
 */
export interface Rule {
  readonly id: string;
  readonly level: Level;
  /** One line: what the rule catches. */
  readonly summary: string;
  /** Why it matters (what breaks on a cluster). */
  readonly why: string;
  /** The general fix. */
  readonly fix: string;
  /**
   * The cluster flavours the rule makes sense for (`spec.cluster.flavour`); it is skipped under the others, and
   * docs/validation.md says so. @default - every flavour
   */
  readonly flavours?: ReadonlyArray<Cluster['flavour']>;
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
