import { defaultIntentPath, loadIntentFile } from '../../../lib/intent/load';
import { MultinicError } from '../../../lib/errors';
import { INTERNAL_ERROR } from '../../../lib/intent/load-valid';
import { formatFindings, validateParsed, type ValidationResult } from '../../../lib/intent/validate';
import type { Io } from '../../cli';

/** The intent file a command reads: `-i FILE`, else `MULTINIC_INTENT`, else the embedded default. */
export function intentFile(flag: string | undefined): string {
  return flag ?? process.env.MULTINIC_INTENT ?? defaultIntentPath();
}

export interface LoadedIntent extends ValidationResult {
  readonly file: string;
}

/**
 * Loads and validates; prints findings (errors and warnings) to stderr unless `quiet`. When a check crashed
 * (`multinic:InternalError`), throws MultinicError INTERNAL after printing (exit 2) unless `allowInternal`.
 */
export function loadAndValidate(flag: string | undefined, io: Io, quiet = false, allowInternal = false): LoadedIntent {
  const file = intentFile(flag);
  const result = validateParsed(loadIntentFile(file));
  if (!quiet && result.findings.length) io.err(formatFindings(result.findings, file));
  if (result.internalErrors > 0 && !allowInternal) {
    throw new MultinicError(INTERNAL_ERROR, `${file}: a check of multinic crashed (multinic:InternalError); this is a bug in multinic, not in the intent`);
  }
  return { ...result, file };
}

export function summary(r: ValidationResult): string {
  return `${r.errors} error${r.errors === 1 ? '' : 's'}, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}`;
}
