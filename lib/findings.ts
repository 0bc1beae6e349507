/**
 * Findings: the one shape every problem with an intent takes, whoever finds it (the YAML reader, the schema, a
 * rule, the AWS instance-type checks). The ground floor of lib/: it imports nothing.
 */

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

/** What a finding is made of besides its place and message: the id, level and general fix of the check. */
export interface FindingSource {
  readonly id: string;
  readonly level: Level;
  readonly fix: string;
}

/**
 * The shape of every rule, whatever it reads: a finding source with what docs/validation.md says of it, the cluster
 * flavours it applies to, and a pure check from its input to findings. `lib/rules` (intent and model) and
 * `lib/aws` (intent and an instance-type catalogue) fill in `Input` and `Flavour`; the ground floor knows neither.
 */
export interface RuleShape<Input extends readonly unknown[], Flavour extends string = string> extends FindingSource {
  /** One line: what the rule catches. */
  readonly summary: string;
  /** Why it matters (what breaks on a cluster). */
  readonly why: string;
  /**
   * The cluster flavours the rule makes sense for; it is skipped under the others, and docs/validation.md says so.
   * @default - every flavour
   */
  readonly flavours?: readonly Flavour[];
  check(...input: Input): Finding[];
}

/** Id of the finding that stands for a check that crashed: a bug in multinic, never in the intent. */
export const INTERNAL_ERROR_ID = 'multinic:InternalError';

/** A key that a path can show bare (`spec.nodeGroups`); any other is quoted (`labels["team.io/x"]`). */
const BARE_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Renders a path the way messages show it: `spec.networks[2].ipam.type`; odd keys as `labels["a.b/c"]`. */
export function formatPath(path: IntentPath): string {
  return path.reduce<string>((acc, seg) => {
    if (typeof seg === 'number') return `${acc}[${seg}]`;
    if (!BARE_KEY.test(seg)) return `${acc}[${JSON.stringify(seg)}]`;
    return acc ? `${acc}.${seg}` : seg;
  }, '');
}

/** Parses what `formatPath` renders back into segments (`spec.networks[2].ipam.type`, `labels["a.b/c"]`). */
export function parsePath(path: string): IntentPath {
  const out: Array<string | number> = [];
  const token = /\.?([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let at = 0;
  while (at < path.length) {
    token.lastIndex = at;
    const m = token.exec(path);
    if (!m) return out;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(m[3]) as string);
    at = token.lastIndex;
  }
  return out;
}

/** Builds a finding of `source` at `path`. `fix` defaults to the source's general fix. */
export function finding(source: FindingSource, path: IntentPath, message: string, fix?: string): Finding {
  const p = formatPath(path);
  return { id: source.id, level: source.level, path: p, message: `${p}: ${message}`, fix: fix ?? source.fix };
}
