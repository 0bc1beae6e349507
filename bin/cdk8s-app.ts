/**
 * Entry point for `npx cdk8s synth` (cdk8s.yaml): the same charts as `multinic synth`, for the default intent or
 * MULTINIC_INTENT=FILE, through the one pipeline (`loadValidIntent`). Invalid intents print their findings and exit
 * 1 (2 when a check crashed) before anything is written.
 */
import { App, YamlOutputType } from 'cdk8s';
import { addCharts, synthNumbered } from '../charts/app';
import { MultinicError } from '../lib/errors';
import { defaultIntentPath } from '../lib/intent/load';
import { INTERNAL_ERROR, loadValidIntent } from '../lib/intent/load-valid';
import { formatFindings } from '../lib/intent/validate';

try {
  const file = process.env.MULTINIC_INTENT ?? defaultIntentPath();
  const valid = loadValidIntent(file);
  if (valid.findings.length) process.stderr.write(`${formatFindings(valid.findings, file)}\n`);
  const app = new App({ yamlOutputType: YamlOutputType.FILE_PER_CHART });
  synthNumbered(app, addCharts(app, valid.model));
} catch (e) {
  if (e instanceof MultinicError) {
    process.stderr.write(`multinic: ${e.message}\n`);
    process.exit(e.code === INTERNAL_ERROR ? 2 : 1);
  }
  throw e;
}
