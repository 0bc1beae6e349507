#!/usr/bin/env node
/**
 * Pull-request review of the network intent (called by .github/workflows/network-intent.yml after `npm run build`):
 * validates the intent, diffs it against the base branch and renders the plan into the body of one comment.
 *
 *   node scripts/pr-review.js --base origin/main [-i network-intent.yaml] [--out review.md]
 *
 * Writes the comment body to --out (stdout without it) and exits 1 when the intent has findings of level error,
 * 2 on a usage error. The logic is lib/diff/review.ts (tested); this file only parses arguments and writes.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const USAGE = 'Usage: node scripts/pr-review.js --base REF [-i FILE] [--out FILE]';

/**
 * @param {string[]} argv
 * @param {{ runReview(file: string, base: string): { body: string, exitCode: number } }} review lib/diff/review
 * @param {{ out(t: string): void, err(t: string): void }} io
 * @returns {number} the exit code
 */
function run(argv, review, io) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: { base: { type: 'string' }, input: { type: 'string', short: 'i' }, out: { type: 'string' } } }));
  } catch (e) {
    io.err(`pr-review: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  if (!values.base) {
    io.err(`pr-review: --base REF is required (the pull request's base, e.g. origin/main)\n${USAGE}\n`);
    return 2;
  }
  const file = values.input ?? 'network-intent.yaml';
  let result;
  try {
    result = review.runReview(file, values.base);
  } catch (e) {
    // A user-facing failure (unreadable file, unknown ref): one line, no stack.
    if (e && e.name === 'MultinicError') {
      io.err(`pr-review: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (values.out) fs.writeFileSync(values.out, result.body);
  else io.out(result.body);
  io.err(`pr-review: ${file} ${result.exitCode === 0 ? 'has no errors' : 'has errors'}${values.out ? `; comment body in ${values.out}` : ''}\n`);
  return result.exitCode;
}

module.exports = { run, USAGE };

if (require.main === module) {
  const review = require(path.join(__dirname, '..', 'build', 'lib', 'diff', 'review.js'));
  process.exitCode = run(process.argv.slice(2), review, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
}
