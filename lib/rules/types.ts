import type { Cluster, NetworkIntent } from '../intent/types';
import type { IntentModel } from '../model/model';

export type Level = 'error' | 'warning';

/** A path into the intent document, e.g. ['spec', 'networks', 2, 'ipam', 'type']. */
export type IntentPath = ReadonlyArray<string | number>;

/** One problem in an intent: where, what is wrong, how to fix it. */
export interface Finding {
  /** Stable rule id, e.g. `multinic:UnknownIpamPlugin`. */
  readonly id: string;
  readonly level: Level;
  /** Where in the intent, e.g. `spec.networks[2].ipam.type`. */
  readonly path: string;
  /** What is wrong, naming the bad value. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** 1-based position of the offending value in the intent file, when known. */
  readonly line?: number;
  readonly column?: number;
}

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
  check(intent: NetworkIntent, model: IntentModel): Finding[];
}

/** True when `rule` applies to the intent's flavour. */
export function appliesTo(rule: Pick<Rule, 'flavours'>, intent: NetworkIntent): boolean {
  return rule.flavours === undefined || rule.flavours.includes(intent.spec.cluster.flavour);
}

/** Renders a path the way messages show it: `spec.networks[2].ipam.type`. */
export function formatPath(path: IntentPath): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

/** Builds a finding of `rule` at `path`. `fix` defaults to the rule's general fix. */
export function finding(rule: Pick<Rule, 'id' | 'level' | 'fix'>, path: IntentPath, message: string, fix?: string): Finding {
  const p = formatPath(path);
  return { id: rule.id, level: rule.level, path: p, message: `${p}: ${message}`, fix: fix ?? rule.fix };
}
