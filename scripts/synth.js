#!/usr/bin/env node
/**
 * `npm run synth`: build (scripts/build.js), then `cdk synth -c multinic:dist=dist`, whose CDK app writes dist/
 * (manifests, PLAN.md) and cdk.out/ (CloudFormation) in one process. When nothing it reads changed since its last
 * successful run and its outputs are as it left them, the synth is skipped and its output (the intent's findings
 * included) is printed again: the same lines, in a fraction of a second.
 *
 * What counts as input: the sources and data the app reads (lib charts infra bin imports cluster crds schema), the
 * intent file (MULTINIC_INTENT, else network-intent.yaml), cdk.json, cdk.context.json, cdk8s.yaml,
 * package-lock.json, the environment variables MULTINIC_*, CDK_* and AWS_*REGION, and the arguments. Outputs: every
 * file in dist/ and cdk.out/'s manifest and templates. `--force` synthesises anyway; other arguments go to cdk synth.
 */
'use strict';
const { createHash } = require('node:crypto');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { build } = require('./build');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2).filter((a) => a !== '--force');
const force = process.argv.includes('--force');
const stampDir = path.join(root, 'build', '.stamps');
const stamp = path.join(stampDir, 'synth.json');

function hashTree(hash, p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    hash.update(`${path.relative(root, p)} (missing)\n`);
    return;
  }
  if (st.isDirectory()) {
    for (const e of fs.readdirSync(p).sort()) if (e !== 'node_modules' && e !== 'build') hashTree(hash, path.join(p, e));
  } else {
    hash.update(`${path.relative(root, p)}\n`);
    hash.update(fs.readFileSync(p));
  }
}

function inputsKey(buildKey) {
  const hash = createHash('sha256');
  hash.update(`${buildKey}\n${JSON.stringify(args)}\n`);
  const env = Object.keys(process.env).filter((k) => /^(MULTINIC_|CDK_|AWS_(DEFAULT_)?REGION$)/.test(k)).sort();
  for (const k of env) hash.update(`${k}=${process.env[k]}\n`);
  const intent = process.env.MULTINIC_INTENT ? path.resolve(process.env.MULTINIC_INTENT) : path.join(root, 'network-intent.yaml');
  for (const p of ['lib', 'charts', 'infra', 'bin', 'imports', 'cluster', 'crds', 'schema', 'cdk.json', 'cdk.context.json', 'cdk8s.yaml', 'package-lock.json']) {
    hashTree(hash, path.join(root, p));
  }
  hashTree(hash, intent);
  return hash.digest('hex');
}

function outputsKey() {
  const hash = createHash('sha256');
  hashTree(hash, path.join(root, 'dist'));
  const out = path.join(root, 'cdk.out');
  const files = fs.existsSync(out) ? fs.readdirSync(out).filter((f) => f === 'manifest.json' || f.endsWith('.template.json')).sort() : [];
  if (files.length === 0) hash.update('no cdk.out');
  for (const f of files) hashTree(hash, path.join(out, f));
  return hash.digest('hex');
}

async function main() {
  const b = build();
  if (b.status !== 0) return b.status;
  const inputs = inputsKey(b.key);
  let last;
  try {
    last = JSON.parse(fs.readFileSync(stamp, 'utf8'));
  } catch {
    // first synth
  }
  if (!force && last && last.inputs === inputs && last.outputs === outputsKey()) {
    for (const [stream, text] of last.log) (stream === 'out' ? process.stdout : process.stderr).write(text);
    process.stderr.write('npm run synth: nothing changed since the last synth; dist/ and cdk.out/ are up to date (its output is above; --force synthesises anyway)\n');
    return 0;
  }
  fs.rmSync(stamp, { force: true });
  const cdk = path.join(root, 'node_modules', 'aws-cdk', 'bin', 'cdk');
  const child = spawn(process.execPath, [cdk, 'synth', '--no-notices', '--quiet', '-c', 'multinic:dist=dist', ...args], { cwd: root, stdio: ['inherit', 'pipe', 'pipe'] });
  const log = [];
  child.stdout.on('data', (d) => { process.stdout.write(d); log.push(['out', d.toString()]); });
  child.stderr.on('data', (d) => { process.stderr.write(d); log.push(['err', d.toString()]); });
  const status = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  if (status === 0) {
    fs.mkdirSync(stampDir, { recursive: true });
    fs.writeFileSync(stamp, JSON.stringify({ inputs, outputs: outputsKey(), log }));
  }
  return status;
}

main().then((code) => { process.exitCode = code; });
