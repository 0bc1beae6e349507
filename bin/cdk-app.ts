/**
 * Entry point of `npx cdk synth|deploy` (cdk.json runs the compiled `build/bin/cdk-app.js`, never ts-node).
 *
 * The intent (context `multinic:intent=FILE`, else $MULTINIC_INTENT, else the embedded network-intent.yaml) is
 * validated first; an invalid intent prints its findings and exits 1 before any CDK construct exists. The Kubernetes
 * manifests are synthesized in-process into a temporary directory by the cdk8s app and handed to the cluster stack,
 * which ships them as an S3 asset: one command, no second synth step.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synthManifests } from '../charts/app';
import { MultinicError } from '../lib/errors';
import { defaultIntentPath, loadIntentFile } from '../lib/intent/load';
import { formatFindings, validateParsed } from '../lib/intent/validate';
import { addMultinicStacks } from '../infra/stacks';

function main(): void {
  const app = new App();
  const file = (app.node.tryGetContext('multinic:intent') as string | undefined) ?? process.env.MULTINIC_INTENT ?? defaultIntentPath();
  const r = validateParsed(loadIntentFile(file));
  if (r.findings.length) process.stderr.write(`${formatFindings(r.findings, file)}\n`);
  if (!r.valid || !r.intent) {
    process.stderr.write(`${file}: invalid; no stacks synthesized\n`);
    process.exit(1);
  }
  const manifestsDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-manifests-')), 'manifests');
  synthManifests(r.intent, manifestsDir);
  addMultinicStacks(app, { intent: r.intent, manifestsDir });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
}

try {
  main();
} catch (e) {
  if (e instanceof MultinicError) {
    process.stderr.write(`multinic: ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
