#!/usr/bin/env node
/**
 * `npm test`: the whole check, in order, stopping at the first step that fails:
 *   provision (scripts/provision.sh: the Debian packages the tests need, when root on Debian),
 *   build (scripts/build.js: the shipped code, skipped when unchanged), typecheck (the whole repo with the tests,
 *   skipped when unchanged), lint (eslint with its cache), jest (arguments after `npm test --` go to jest).
 * The time of each step goes to jest's summary reporter, which prints the run's wall time with the slowest suites.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const started = Date.now();
const phases = [];

function step(name, cmd, args, env = process.env) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  phases.push([name, (Date.now() - t0) / 1000]);
  if (r.status !== 0) {
    process.stderr.write(`npm test: ${name} failed (${[cmd, ...args].map((a) => path.relative(root, a) || a).join(' ')}, status ${r.status ?? r.signal})\n`);
    process.exit(r.status ?? 1);
  }
}

const node = process.execPath;
const bin = (p) => path.join(root, 'node_modules', ...p.split('/'));
step('provision', 'bash', [path.join(root, 'scripts', 'provision.sh')]);
step('build', node, [path.join(root, 'scripts', 'build.js')]);
step('typecheck', node, [path.join(root, 'scripts', 'build.js'), '--project', 'tsconfig.json']);
step('lint', node, [bin('eslint/bin/eslint.js'), '--cache', '--cache-location', path.join(root, 'build', '.eslintcache'), '.']);
const env = { ...process.env, MULTINIC_TEST_STARTED: String(started), MULTINIC_TEST_PHASES: JSON.stringify(phases) };
const r = spawnSync(node, [bin('jest/bin/jest.js'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
process.exit(r.status ?? 1);
