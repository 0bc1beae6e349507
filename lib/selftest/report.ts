/**
 * `multinic verify --selftest`: the matrix of the intent against what the clients' logs say, one row per case.
 */
import type { ClientRole, Outcome, SelftestNetwork, Via } from './matrix';
import { parseSelftestLog, type SelftestResult } from './result-line';

/** `ok`: result as expected. `fail`: it differs. `running`: the client has not finished. `error`: it gave up. `missing`: no client or no line. */
export type SelftestStatus = 'ok' | 'fail' | 'running' | 'error' | 'missing';

/** One client pod as read from the API. */
export interface ClientRun {
  readonly pod: string;
  /** `selftestId` of its network (pod label). */
  readonly networkId: string;
  readonly client: ClientRole;
  /** Pod phase: Pending, Running, Succeeded, Failed, Unknown. */
  readonly phase: string;
  /** Its log; undefined when it could not be read yet (container not started). */
  readonly log?: string;
}

export interface SelftestRow {
  readonly network: string;
  readonly client: ClientRole;
  /** `pod@node`, or the client role when it has not run. */
  readonly from: string;
  /** `pod@node`, or the server pod. */
  readonly to: string;
  readonly via: Via;
  /** `yes`, `no`, as the client saw it; planned value when it has not run. */
  readonly sameNode: 'yes' | 'no';
  readonly expected: Outcome;
  readonly result: Outcome | '-';
  readonly status: SelftestStatus;
  /** Why the status is not ok (error line, pod phase), else empty. */
  readonly detail: string;
  /** Who answered a net1 ping in the server's stead (`SelftestResult.answered`), when someone did. */
  readonly answered?: string;
}

export interface SelftestReport {
  readonly rows: readonly SelftestRow[];
  readonly ok: number;
  readonly problems: number;
  /** ERROR lines and malformed lines from the logs. */
  readonly messages: readonly string[];
}

const FINISHED = new Set(['Succeeded', 'Failed']);

/** Who answered a ping in the server's stead, in words. */
function answeredBy(answered: string): string {
  return answered === 'self'
    ? 'the ping was answered by the client itself: the server\'s address is also its own'
    : `the ping was answered by ${answered}, not by the server: another pod holds the server's address`;
}

/**
 * Compares every case of `networks` with the clients' results. When several pods ran one client (a Job retried,
 * or the test was re-applied), `runs` order decides: the last one wins (pass them oldest first).
 */
export function selftestReport(networks: readonly SelftestNetwork[], runs: readonly ClientRun[]): SelftestReport {
  const latest = new Map<string, ClientRun>();
  for (const r of runs) latest.set(`${r.networkId} ${r.client}`, r);
  const parsed = new Map<ClientRun, ReturnType<typeof parseSelftestLog>>();
  const messages: string[] = [];
  for (const r of latest.values()) {
    const p = parseSelftestLog(r.log ?? '');
    parsed.set(r, p);
    messages.push(...p.errors.map((e) => `${r.pod}: ${e}`), ...p.malformed.map((m) => `${r.pod}: unreadable line: ${m}`));
  }

  const rows = networks.flatMap((n) => n.cases.map((c): SelftestRow => {
    const run = latest.get(`${n.id} ${c.client}`);
    const p = run ? parsed.get(run) : undefined;
    const hit: SelftestResult | undefined = p?.results.find((r) => r.network === n.network.key && r.client === c.client && r.toPod === c.server && r.via === c.via);
    const planned = { network: n.network.key, client: c.client, via: c.via, expected: c.expect };
    if (hit) {
      const ok = hit.result === c.expect;
      return {
        ...planned, from: `${hit.fromPod}@${hit.fromNode}`, to: `${hit.toPod}@${hit.toNode}`, sameNode: hit.sameNode ? 'yes' : 'no',
        result: hit.result, status: ok ? 'ok' : 'fail', ...(hit.answered ? { answered: hit.answered } : {}),
        detail: ok ? '' : `expected ${c.expect} (${c.why}), got ${hit.result}${hit.answered ? ` (${answeredBy(hit.answered)})` : ''}`,
      };
    }
    const base = { ...planned, from: run ? run.pod : c.client, to: c.server, sameNode: c.sameNode ? 'yes' as const : 'no' as const, result: '-' as const };
    if (!run) return { ...base, status: 'missing', detail: 'no client pod' };
    if (p?.errors.length) return { ...base, status: 'error', detail: p.errors.join('; ') };
    if (!FINISHED.has(run.phase)) return { ...base, status: 'running', detail: `client pod ${run.phase}` };
    return { ...base, status: 'missing', detail: `client pod ${run.phase} without a line for this case` };
  }));
  const problems = rows.filter((r) => r.status !== 'ok').length;
  return { rows, ok: rows.length - problems, problems, messages };
}

/** Column headers of the table, in order. */
export const SELFTEST_COLUMNS = ['NETWORK', 'FROM', 'TO', 'VIA', 'SAME NODE', 'EXPECTED', 'RESULT', 'STATUS'] as const;

/** A fixed-width table in matrix order, then the log messages, then a one-line summary. */
export function renderSelftestTable(report: SelftestReport): string {
  const cells = report.rows.map((r) => [r.network, r.from, r.to, r.via, r.sameNode, r.expected, r.result, r.status.toUpperCase()]);
  const head = [...SELFTEST_COLUMNS];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const lines = [head, ...cells].map((c) => c.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd());
  const notes = report.rows.filter((r) => r.status !== 'ok').map((r) => `${r.network} ${r.client} -> ${r.to} via ${r.via}: ${r.detail}`);
  const summary = report.problems === 0
    ? `${report.ok} case${report.ok === 1 ? '' : 's'}, all as expected.`
    : `${report.problems} of ${report.rows.length} cases differ from the expectation or have not finished.`;
  return [...lines, '', ...notes, ...report.messages, ...(notes.length || report.messages.length ? [''] : []), summary].join('\n');
}
