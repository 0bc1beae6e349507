import { MultinicError } from '../../../lib/errors';
import type { NetworkIntent } from '../../../lib/intent/types';
import { report, type VerifyRow } from '../../../lib/verify';
import { renderTable } from '../../../lib/verify/table';
import type { Io } from '../../cli';
import { loadAndValidate } from './intent-input';

/**
 * Runs one verify mode with the exit codes every mode shares: 0 as intended, 1 drift or an error the user can fix
 * (message on stderr, no stack trace), 2 usage. Other errors are bugs and propagate.
 */
export async function runMode(prog: string, usage: string, io: Io, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof MultinicError) {
      io.err(`${prog}: ${e.message}`);
      if (e.code === 'USAGE') io.err(`\n${usage}`);
      return e.code === 'USAGE' ? 2 : 1;
    }
    const code = (e as { code?: unknown })?.code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${prog}: ${(e as Error).message}\n\n${usage}`);
      return 2;
    }
    throw e;
  }
}

/** The intent to verify against; findings are printed only when it has errors (then nothing is verified). */
export function intentToVerify(input: string | undefined, io: Io): NetworkIntent {
  const r = loadAndValidate(input, io, true);
  if (!r.intent || !r.valid) {
    const again = loadAndValidate(input, io);
    throw new MultinicError('INVALID_INTENT', `${again.file} has errors (see above); fix them with \`multinic validate\` before verifying.`);
  }
  return r.intent;
}

/** Prints the rows as a table (or JSON) and returns the exit code: 1 when any row is not ok. */
export function printRows(io: Io, rows: readonly VerifyRow[], opts: { json?: boolean; problemsOnly?: boolean; subjectHeader?: string }): number {
  const r = report(rows);
  io.out(opts.json ? JSON.stringify(r, null, 2) : renderTable(r, { problemsOnly: opts.problemsOnly, subjectHeader: opts.subjectHeader }));
  return r.problems === 0 ? 0 : 1;
}
