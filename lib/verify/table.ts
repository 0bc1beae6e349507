import { isProblem, type VerifyReport, type VerifyRow } from './types';

/** Column headers of the verify table, in order. */
export const VERIFY_COLUMNS = ['NODE', 'GROUP', 'DEVICE', 'CHECK', 'EXPECTED', 'OBSERVED', 'STATUS'] as const;

export interface TableOptions {
  /** Header of the first column: `NODE` for --aws, `OBJECT` for --k8s. @default 'NODE' */
  readonly subjectHeader?: string;
  /** Print only rows that are not ok (the summary still counts all). @default false */
  readonly problemsOnly?: boolean;
}

const cells = (r: VerifyRow): string[] => [r.subject, r.group, r.device, r.check, r.expected, r.observed, r.status.toUpperCase()];

/**
 * A fixed-width table, problems first then in input order, and a one-line summary. The status column is upper case
 * so `grep -v OK` style filtering works in scripts.
 */
export function renderTable(report: VerifyReport, opts: TableOptions = {}): string {
  const head = [opts.subjectHeader ?? VERIFY_COLUMNS[0], ...VERIFY_COLUMNS.slice(1)];
  const rows = [...report.rows.filter(isProblem), ...(opts.problemsOnly ? [] : report.rows.filter((r) => !isProblem(r)))].map(cells);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const lines = [head, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  const summary = report.problems === 0
    ? `${report.ok} check${report.ok === 1 ? '' : 's'}, all as intended.`
    : `${report.problems} of ${report.rows.length} checks differ from the intent.`;
  return [...lines, '', summary].join('\n');
}
