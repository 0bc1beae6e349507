#!/usr/bin/env node
// Regenerates lib/aws/instance-types.generated.ts from the recorded sources in lib/aws/source/.
// Run after `npx tsc -p .` (it uses the compiled builder, so the script and the tests share one code path):
//   npx tsc -p . && node scripts/generate-instance-types.js [--check]
// --check exits 1 when the committed file differs from what the sources produce.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { buildSnapshot, renderGenerated, RECORDED_SOURCE, RECORDED_DATE } = require(path.join(root, 'build/lib/aws/snapshot-source.js'));

const limits = fs.readFileSync(path.join(root, 'lib/aws/source/vpc-cni-limits.tsv'), 'utf8');
const efa = fs.readFileSync(path.join(root, 'lib/aws/source/eksctl-efa.txt'), 'utf8');
const out = path.join(root, 'lib/aws/instance-types.generated.ts');
const text = renderGenerated(buildSnapshot(limits, efa), { source: RECORDED_SOURCE, date: RECORDED_DATE }, 'scripts/generate-instance-types.js');

if (process.argv.includes('--check')) {
  const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  if (current !== text) {
    process.stderr.write(`${path.relative(root, out)} is out of date: run node scripts/generate-instance-types.js\n`);
    process.exit(1);
  }
  process.stdout.write(`${path.relative(root, out)} is up to date\n`);
} else {
  fs.writeFileSync(out, text);
  process.stdout.write(`wrote ${path.relative(root, out)}\n`);
}
