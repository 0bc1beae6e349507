import { parseArgs } from 'node:util';
import type { Command } from '../cli';
import { loadAndValidate, summary } from './private/intent-input';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check a network intent; exit 1 when it has errors',
  usage: [
    'Usage: multinic validate [-i FILE] [--json] [--strict]',
    '',
    '  -i, --input FILE  intent file (default: $MULTINIC_INTENT, else the embedded network-intent.yaml)',
    '  --json            print findings as JSON on stdout',
    '  --strict          exit 1 on warnings too',
    '',
    'Exit status: 0 valid, 1 findings of level error (or any finding with --strict), 2 usage error or a check of',
    'multinic crashed (multinic:InternalError, a bug to report).',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({ args, options: { input: { type: 'string', short: 'i' }, json: { type: 'boolean' }, strict: { type: 'boolean' } }, strict: true });
    const r = loadAndValidate(values.input, io, values.json, true);
    if (values.json) {
      io.out(JSON.stringify({ file: r.file, valid: r.valid, errors: r.errors, warnings: r.warnings, findings: r.findings }, null, 2));
    } else {
      io.err(`${r.file}: ${r.valid ? 'valid' : 'invalid'} (${summary(r)})`);
    }
    if (r.internalErrors > 0) return 2;
    return r.valid && !(values.strict && r.warnings > 0) ? 0 : 1;
  },
};
