import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { diffIntents, readAtRef, renderDiffJson, renderDiffMarkdown } from '../../lib/diff';
import { MultinicError } from '../../lib/errors';
import { loadIntentFile, parseIntent } from '../../lib/intent/load';
import { formatFindings, validateParsed, type ValidationResult } from '../../lib/intent/validate';
import type { Command, Io } from '../cli';
import { intentFile, summary } from './private/intent-input';
import { planFormat } from './plan';

interface Side {
  readonly label: string;
  /** Undefined when the file does not exist on that side (a new intent file). */
  readonly result?: ValidationResult;
}

function check(side: Side, io: Io): boolean {
  const r = side.result;
  if (!r || r.valid) return true;
  io.err(formatFindings(r.findings, side.label));
  io.err(`${side.label}: invalid (${summary(r)})`);
  return false;
}

export const diffCommand: Command = {
  name: 'diff',
  summary: 'Show what changes between two network intents: networks, workloads, ENIs, replaced AWS resources',
  usage: [
    'Usage: multinic diff BASE HEAD [--format md|json]',
    '       multinic diff --git REF [-i FILE] [--format md|json]',
    '',
    '  BASE HEAD          two intent files',
    '  --git REF          compare FILE as it is at git revision REF (git show REF:FILE) with the working tree',
    '  -i, --input FILE   with --git: the intent file (default: $MULTINIC_INTENT, else the embedded network-intent.yaml)',
    '  --format F         md (the default) or json',
    '',
    'Exit status: 0 compared (with or without changes), 1 either side is invalid (its findings are printed), 2 usage error.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true, strict: true,
      options: { git: { type: 'string' }, input: { type: 'string', short: 'i' }, format: { type: 'string' } },
    });
    const format = planFormat(values.format);
    let base: Side;
    let head: Side;
    if (values.git !== undefined) {
      if (positionals.length) throw new MultinicError('USAGE', `with --git, give the file with -i, not "${positionals[0]}"`);
      const file = intentFile(values.input);
      const at = readAtRef(values.git, file);
      const label = `${values.git}:${path.relative(process.cwd(), path.resolve(file)) || file}`;
      if ('missing' in at) io.err(`${label}: not in ${values.git} (${at.missing}); everything in ${file} is new`);
      base = { label, result: 'text' in at ? validateParsed(parseIntent(at.text, label)) : undefined };
      head = { label: file, result: validateParsed(loadIntentFile(file)) };
    } else {
      if (values.input !== undefined) throw new MultinicError('USAGE', '-i goes with --git; to compare two files give them as BASE HEAD');
      if (positionals.length !== 2) throw new MultinicError('USAGE', `give two intent files (BASE HEAD) or --git REF; got ${positionals.length} argument(s)`);
      base = { label: positionals[0], result: validateParsed(loadIntentFile(positionals[0])) };
      head = { label: positionals[1], result: validateParsed(loadIntentFile(positionals[1])) };
    }
    const ok = [check(base, io), check(head, io)].every(Boolean);
    if (!ok || !head.result?.intent) return 1;
    const diff = diffIntents(base.result?.intent, head.result.intent, { base: base.label, head: head.label });
    io.out(format === 'json' ? renderDiffJson(diff) : renderDiffMarkdown(diff));
    return 0;
  },
};
