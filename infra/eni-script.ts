/**
 * The in-guest ENI script as a node gets it: `infra/node/multinic-eni.sh` with each of its parts (`infra/node/eni/`)
 * inlined where the entry point sources it, so user data installs one self-contained file and the node needs no
 * directory of parts. In the repository (and on the local cluster's nodes, which run it from there) the entry point
 * sources the parts itself; both run the same lines.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MultinicError } from '../lib/errors';

/** A line of the entry point that sources a part: `. "$ENI_PARTS/<part>.sh"`. */
const PART_LINE = /^\. "\$ENI_PARTS\/([a-z0-9-]+\.sh)"$/;
/** Lines the single file does without: where the parts are, and shellcheck's pointers to them. */
const DROPPED = [/^ENI_PARTS=/, /^# shellcheck source=eni\//, /^# shellcheck shell=bash/];

/** The parts the entry point in `dir` sources, in order. */
export function eniScriptParts(dir: string): string[] {
  const entry = fs.readFileSync(path.join(dir, 'multinic-eni.sh'), 'utf8');
  return entry.split('\n').flatMap((l) => PART_LINE.exec(l)?.[1] ?? []);
}

/**
 * The entry point of `dir` (a directory holding `multinic-eni.sh` and `eni/`) with every part inlined.
 *
 * @throws MultinicError MISSING_SOURCE when a part it sources is missing.
 */
export function inlineEniScript(dir: string): string {
  const entry = fs.readFileSync(path.join(dir, 'multinic-eni.sh'), 'utf8');
  const out: string[] = [];
  for (const line of entry.split('\n')) {
    const part = PART_LINE.exec(line)?.[1];
    if (part === undefined) {
      if (!DROPPED.some((d) => d.test(line))) out.push(line);
      continue;
    }
    const file = path.join(dir, 'eni', part);
    if (!fs.existsSync(file)) throw new MultinicError('MISSING_SOURCE', `infra/node/eni/${part} is missing; multinic-eni.sh sources it`);
    const text = fs.readFileSync(file, 'utf8').replace(/\n+$/, '').split('\n').filter((l) => !DROPPED.some((d) => d.test(l)));
    out.push(`# ---- eni/${part} (inlined) ----`, ...text, `# ---- end of eni/${part} ----`);
  }
  return out.join('\n');
}
