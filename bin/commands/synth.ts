import { parseArgs } from 'node:util';
import { synthManifests } from '../../charts/app';
import { buildModel } from '../../lib/model/model';
import { buildPlan, renderPlanMarkdown } from '../../lib/plan';
import { selftestNetworks } from '../../lib/selftest/matrix';
import type { Command, Io } from '../cli';
import { loadAndValidate, summary, type LoadedIntent } from './private/intent-input';

export const synthCommand: Command = {
  name: 'synth',
  summary: 'Write the Kubernetes manifests for a network intent (all or nothing)',
  usage: [
    'Usage: multinic synth [-i FILE] [-o DIR] [--with-selftest]',
    '',
    '  -i, --input FILE   intent file (default: $MULTINIC_INTENT, else the embedded network-intent.yaml)',
    '  -o, --output DIR   output directory, replaced whole (default: dist)',
    '  --with-selftest    add the connectivity self-test (namespace multinic-selftest); read its result with',
    '                     `multinic verify --selftest` (docs/aws-routing.md, "Connectivity self-test")',
    '',
    'Writes PLAN.md (the review document of `multinic plan`) beside the manifests.',
    'Nothing is written when the intent has errors: DIR is left as it was.',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({ args, options: { input: { type: 'string', short: 'i' }, output: { type: 'string', short: 'o' }, 'with-selftest': { type: 'boolean' } }, strict: true });
    const r = loadAndValidate(values.input, io);
    const out = values.output ?? 'dist';
    if (!r.valid || !r.intent) {
      io.err(`${r.file}: invalid (${summary(r)}); nothing written to ${out}`);
      return 1;
    }
    writeOutput({ ...r, intent: r.intent }, out, values['with-selftest'] ?? false, io);
    return 0;
  },
};

/**
 * Writes the manifests and PLAN.md of a valid intent to `out` (all or nothing) and prints the summary line; shared by
 * `multinic synth` and the CDK app (`npm run synth` passes `-c multinic:dist=dist`, so one process does both).
 */
export function writeOutput(r: LoadedIntent & { readonly intent: NonNullable<LoadedIntent['intent']> }, out: string, withSelftest: boolean, io: Io): string[] {
  // The review document goes beside the manifests, in the same all-or-nothing write.
  const plan = renderPlanMarkdown(buildPlan(r.intent, { model: r.model, findings: r.findings }));
  if (withSelftest && selftestNetworks(r.model ?? buildModel(r.intent)).length === 0) {
    io.err(`${r.file}: --with-selftest: no network has a master interface that a node group carries (ipvlan or macvlan); the self-test has nothing to test and is not written`);
  }
  const files = synthManifests(r.model ?? r.intent, out, { 'PLAN.md': plan }, { withSelftest });
  io.out(`${r.file}: ${summary(r)}; wrote ${files.length} files to ${out}/: ${files.join(', ')}`);
  return files;
}
