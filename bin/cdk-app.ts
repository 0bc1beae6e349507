/**
 * Entry point of `npx cdk synth|deploy` (cdk.json runs the compiled `build/bin/cdk-app.js`, never ts-node).
 *
 * The intent (context `multinic:intent=FILE`, else $MULTINIC_INTENT, else the embedded network-intent.yaml) is
 * validated first (`loadValidIntent`, the pipeline every output goes through); an invalid intent prints its findings
 * and exits 1 (2 when a check crashed) before any CDK construct exists; the stacks and charts read its resolved model. The Kubernetes
 * manifests are synthesized in-process into a temporary directory by the cdk8s app and handed to the cluster stack,
 * which ships them as an S3 asset: one command, no second synth step. With `-c multinic:dist=DIR` (npm run synth) the
 * same process also writes DIR as `multinic synth -o DIR` does (manifests and PLAN.md, findings printed once).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synthManifests } from '../charts/app';
import { MultinicError } from '../lib/errors';
import { defaultIntentPath, loadIntentFile } from '../lib/intent/load';
import { INTERNAL_ERROR, requireValid } from '../lib/intent/load-valid';
import { formatFindings, validateParsed } from '../lib/intent/validate';
import { addStacksForIntent } from '../infra/stacks';
import { processIo } from './cli';

function main(): void {
  const app = new App();
  const file = (app.node.tryGetContext('multinic:intent') as string | undefined) ?? process.env.MULTINIC_INTENT ?? defaultIntentPath();
  // One pipeline: parse -> validate -> model; an invalid intent throws InvalidIntentError with its findings.
  const r = validateParsed(loadIntentFile(file));
  const valid = requireValid(r, file);
  if (valid.findings.length) process.stderr.write(`${formatFindings(valid.findings, file)}\n`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-manifests-'));
  const manifestsDir = path.join(tmp, 'manifests');
  const dist = app.node.tryGetContext('multinic:dist') as string | undefined;
  if (dist) {
    // The asset holds the manifests only (not PLAN.md), byte for byte what `multinic synth` wrote.
    const { writeOutput } = require('./commands/synth') as typeof import('./commands/synth');
    const written = writeOutput({ ...r, intent: valid.intent, file }, dist, false, processIo);
    fs.mkdirSync(manifestsDir);
    for (const f of written.filter((w) => w.endsWith('.k8s.yaml'))) fs.copyFileSync(path.join(dist, f), path.join(manifestsDir, f));
  } else {
    synthManifests(valid.model, manifestsDir);
  }
  addStacksForIntent(app, { intent: valid.intent, model: valid.model, manifestsDir });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  fs.rmSync(tmp, { recursive: true, force: true });
}

try {
  main();
} catch (e) {
  if (e instanceof MultinicError) {
    process.stderr.write(`multinic: ${e.message}\n`);
    process.exit(e.code === INTERNAL_ERROR ? 2 : 1);
  }
  throw e;
}
