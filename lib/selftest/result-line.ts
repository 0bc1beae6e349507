/**
 * The lines a self-test client prints, one per case, and their parser. The format is `KEY=value` words after a
 * fixed tag, so `grep MULTINIC-SELFTEST` and `awk` read it as well as `multinic verify --selftest`:
 *
 *     MULTINIC-SELFTEST network=ns/name client=attached from=POD@NODE to=POD@NODE via=net1 same-node=no expect=fail result=fail
 *     MULTINIC-SELFTEST network=ns/name client=attached from=POD@NODE to=POD@NODE via=net1 same-node=no expect=fail result=fail answered=self
 *     MULTINIC-SELFTEST-DONE network=ns/name client=attached cases=4
 *     MULTINIC-SELFTEST-ERROR network=ns/name client=attached reason=servers-not-ready servers=POD,POD waited=300s
 */
import type { ClientRole, Outcome, Via } from './matrix';

export const RESULT_TAG = 'MULTINIC-SELFTEST';
export const DONE_TAG = 'MULTINIC-SELFTEST-DONE';
export const ERROR_TAG = 'MULTINIC-SELFTEST-ERROR';

/** One executed case. */
export interface SelftestResult {
  /** `namespace/name` of the network. */
  readonly network: string;
  readonly client: ClientRole;
  readonly fromPod: string;
  readonly fromNode: string;
  readonly toPod: string;
  readonly toNode: string;
  readonly via: Via;
  readonly sameNode: boolean;
  readonly expect: Outcome;
  readonly result: Outcome;
  /**
   * Set when a net1 ping was answered, but not by the server (so `result` is fail): `self` when the address is the
   * client's own, else the MAC address that answered (another pod holds the server's address on this segment).
   */
  readonly answered?: string;
}

/** What one client's log says. */
export interface ParsedLog {
  readonly results: readonly SelftestResult[];
  /** `network client` pairs that printed their DONE line. */
  readonly done: readonly { readonly network: string; readonly client: ClientRole; readonly cases: number }[];
  /** ERROR lines, as `network client: reason ...`. */
  readonly errors: readonly string[];
  /** Tagged lines that could not be read, with the reason. */
  readonly malformed: readonly string[];
}

/** Renders a result line (the client script prints the same words; a test holds them to each other). */
export function formatResultLine(r: SelftestResult): string {
  return [RESULT_TAG, `network=${r.network}`, `client=${r.client}`, `from=${r.fromPod}@${r.fromNode}`, `to=${r.toPod}@${r.toNode}`,
    `via=${r.via}`, `same-node=${r.sameNode ? 'yes' : 'no'}`, `expect=${r.expect}`, `result=${r.result}`, ...(r.answered ? [`answered=${r.answered}`] : [])].join(' ');
}

function fields(words: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq > 0) m.set(w.slice(0, eq), w.slice(eq + 1));
  }
  return m;
}

const oneOf = <T extends string>(v: string | undefined, allowed: readonly T[]): T | undefined => (allowed as readonly string[]).includes(v ?? '') ? v as T : undefined;

function at(v: string | undefined): [string, string] | undefined {
  const i = v?.lastIndexOf('@') ?? -1;
  return v && i > 0 && i < v.length - 1 ? [v.slice(0, i), v.slice(i + 1)] : undefined;
}

function parseResult(f: Map<string, string>): SelftestResult | string {
  const network = f.get('network');
  const client = oneOf(f.get('client'), ['attached', 'unattached'] as const);
  const from = at(f.get('from'));
  const to = at(f.get('to'));
  const via = oneOf(f.get('via'), ['eth0', 'net1'] as const);
  const same = oneOf(f.get('same-node'), ['yes', 'no'] as const);
  const expect = oneOf(f.get('expect'), ['pass', 'fail'] as const);
  const result = oneOf(f.get('result'), ['pass', 'fail'] as const);
  const missing = Object.entries({ network, client, from, to, via, 'same-node': same, expect, result }).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length || !network || !client || !from || !to || !via || !same || !expect || !result) return `missing or invalid ${missing.join(', ')}`;
  const answered = f.get('answered');
  return { network, client, fromPod: from[0], fromNode: from[1], toPod: to[0], toNode: to[1], via, sameNode: same === 'yes', expect, result, ...(answered ? { answered } : {}) };
}

/** Reads the tagged lines of a log; other lines (kubelet noise, curl errors) are ignored. */
export function parseSelftestLog(text: string): ParsedLog {
  const results: SelftestResult[] = [];
  const done: { network: string; client: ClientRole; cases: number }[] = [];
  const errors: string[] = [];
  const malformed: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const words = raw.trim().split(/\s+/);
    const f = fields(words.slice(1));
    switch (words[0]) {
      case RESULT_TAG: {
        const r = parseResult(f);
        if (typeof r === 'string') malformed.push(`${raw.trim()}: ${r}`);
        else results.push(r);
        break;
      }
      case DONE_TAG: {
        const client = oneOf(f.get('client'), ['attached', 'unattached'] as const);
        const cases = Number(f.get('cases'));
        if (!f.get('network') || !client || !Number.isInteger(cases)) malformed.push(`${raw.trim()}: missing or invalid network, client or cases`);
        else done.push({ network: f.get('network') ?? '', client, cases });
        break;
      }
      case ERROR_TAG:
        errors.push(`${f.get('network') ?? '?'} ${f.get('client') ?? '?'}: ${words.slice(1).filter((w) => !/^(network|client)=/.test(w)).join(' ')}`);
        break;
      default:
    }
  }
  return { results, done, errors, malformed };
}
