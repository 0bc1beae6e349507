import { defaultIntentPath, loadIntentFile } from '../../../lib/intent/load';
import { formatFindings, validateParsed, type ValidationResult } from '../../../lib/intent/validate';
import type { Io } from '../../cli';

/** The intent file a command reads: `-i FILE`, else `MULTINIC_INTENT`, else the embedded default. */
export function intentFile(flag: string | undefined): string {
  return flag ?? process.env.MULTINIC_INTENT ?? defaultIntentPath();
}

export interface LoadedIntent extends ValidationResult {
  readonly file: string;
}

/** Loads and validates; prints findings (errors and warnings) to stderr unless `quiet`. */
export function loadAndValidate(flag: string | undefined, io: Io, quiet = false): LoadedIntent {
  const file = intentFile(flag);
  const result = validateParsed(loadIntentFile(file));
  if (!quiet && result.findings.length) io.err(formatFindings(result.findings, file));
  return { ...result, file };
}

export function summary(r: ValidationResult): string {
  return `${r.errors} error${r.errors === 1 ? '' : 's'}, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}`;
}
