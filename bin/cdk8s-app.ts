/**
 * Entry point for `npx cdk8s synth` (cdk8s.yaml): the same charts as `multinic synth`, for the default intent or
 * MULTINIC_INTENT=FILE. Invalid intents print their findings and exit 1 before anything is written.
 */
import { App, YamlOutputType } from 'cdk8s';
import { addCharts, synthNumbered } from '../charts/app';
import { formatFindings, validateParsed } from '../lib/intent/validate';
import { defaultIntentPath, loadIntentFile } from '../lib/intent/load';
import { MultinicError } from '../lib/errors';

try {
  const file = process.env.MULTINIC_INTENT ?? defaultIntentPath();
  const r = validateParsed(loadIntentFile(file));
  if (r.findings.length) process.stderr.write(`${formatFindings(r.findings, file)}\n`);
  if (!r.valid || !r.model) {
    process.stderr.write(`${file}: invalid; nothing synthesised\n`);
    process.exit(1);
  }
  const app = new App({ yamlOutputType: YamlOutputType.FILE_PER_CHART });
  synthNumbered(app, addCharts(app, r.model));
} catch (e) {
  if (e instanceof MultinicError) {
    process.stderr.write(`multinic: ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
