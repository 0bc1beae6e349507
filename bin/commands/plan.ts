import { parseArgs } from 'node:util';
import { MultinicError } from '../../lib/errors';
import { buildPlan, renderPlanJson, renderPlanMarkdown } from '../../lib/plan';
import type { Command } from '../cli';
import { loadAndValidate, summary } from './private/intent-input';

/** Output formats of `multinic plan`. */
export const PLAN_FORMATS = ['md', 'json'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** Parses `--format`; a usage error names the allowed values. */
export function planFormat(value: string | undefined): PlanFormat {
  const v = value ?? 'md';
  if (!(PLAN_FORMATS as readonly string[]).includes(v)) throw new MultinicError('USAGE', `--format must be one of ${PLAN_FORMATS.join(', ')}, got "${v}"`);
  return v as PlanFormat;
}

export const planCommand: Command = {
  name: 'plan',
  summary: 'Print the review document of a network intent: ENIs, subnets, networks, workloads, a Mermaid diagram',
  usage: [
    'Usage: multinic plan [-i FILE] [--format md|json]',
    '',
    '  -i, --input FILE   intent file (default: $MULTINIC_INTENT, else the embedded network-intent.yaml)',
    '  --format F         md (Markdown with a Mermaid diagram, the default) or json',
    '',
    'The plan goes to stdout, findings to stderr. Exit status: 0 planned, 1 the intent has errors (nothing printed), 2 usage error.',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({ args, options: { input: { type: 'string', short: 'i' }, format: { type: 'string' } }, strict: true });
    const format = planFormat(values.format);
    const r = loadAndValidate(values.input, io);
    if (!r.valid || !r.intent) {
      io.err(`${r.file}: invalid (${summary(r)}); no plan`);
      return 1;
    }
    const plan = buildPlan(r.intent, { model: r.model, findings: r.findings });
    io.out(format === 'json' ? renderPlanJson(plan) : renderPlanMarkdown(plan));
    return 0;
  },
};
