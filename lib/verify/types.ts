/**
 * What `multinic verify --aws` and `--k8s` report: one row per check, intent against what was observed.
 */

/** `ok`: as intended. `drift`: present but different. `missing`: intended but not found. `unexpected`: found but not intended. */
export type VerifyStatus = 'ok' | 'drift' | 'missing' | 'unexpected';

/** One compared fact. */
export interface VerifyRow {
  /** What was looked at: an instance (`i-0abc (ip-10-0-1-5)`), a Kubernetes node or a pod (`namespace/name`). */
  readonly subject: string;
  /** The intent's node group or workload the subject belongs to. */
  readonly group: string;
  /** Device index and interface (`1 multus0`), pod interface (`net1`), or `-` for whole-subject checks. */
  readonly device: string;
  /** Which property: `subnet`, `prefixes`, `no_manage tag`, `nodes`, `address`, ... */
  readonly check: string;
  readonly expected: string;
  readonly observed: string;
  readonly status: VerifyStatus;
}

/** Rows plus counts, the shape `--json` prints. */
export interface VerifyReport {
  readonly rows: readonly VerifyRow[];
  readonly ok: number;
  readonly problems: number;
}

/** Drift of any kind: what makes the command exit 1. */
export function isProblem(row: VerifyRow): boolean {
  return row.status !== 'ok';
}

/** Counts the rows. */
export function report(rows: readonly VerifyRow[]): VerifyReport {
  const problems = rows.filter(isProblem).length;
  return { rows, ok: rows.length - problems, problems };
}
