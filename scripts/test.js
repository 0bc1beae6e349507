#!/usr/bin/env node
/**
 * `npm test`: the whole check, in order, stopping at the first step that fails:
 *   provision (scripts/provision.sh: the Debian packages the tests need, when root on Debian),
 *   build (scripts/build.js: the shipped code, skipped when unchanged), typecheck (the whole repo with the tests,
 *   skipped when unchanged), lint (eslint with its cache), jest (arguments after `npm test --` go to jest).
 * The time of each step goes to jest's summary reporter, which prints the run's wall time with the slowest suites.
 *
 * The local-cluster ("box") suites: test files that start a box (`startBox(` or `upSeedBox(`, see
 * scripts/box-suites.js). With the box switch on (`MULTINIC_BOX=1`, default BOX_DEFAULT below) and root, `npm test`
 * builds the box's binaries and images (`bash cluster/build/build.sh`: pinned, cached in ~/.cache/multinic-box,
 * seconds when cached, 20-40 min the first time on 2 cores), runs every other suite, then the box suites in a second
 * jest run, BOX_WORKERS boxes at a time (MULTINIC_BOX_WORKERS overrides; 1 = `--runInBand`), with the build's directory in
 * MULTINIC_BOX_ARTIFACTS, and ends with one `jest: N passed, N failed, N skipped` line for both runs. With the switch
 * off (`MULTINIC_BOX=0`) the box suites are skipped, saying how to run them. With arguments after `--`, one jest run
 * gets them (box suites among them run with the artifacts when the switch is on).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { boxSuites, optInReason } = require('./box-suites');

/** Whether `npm test` runs the local-cluster suites when MULTINIC_BOX is not set: '1' on (but opt-in suites), 'all' every one, '0' off. */
const BOX_DEFAULT = '1';
/**
 * Box suites run at once. Two: most of a box suite's time is waiting (a pod's grace period, the pod GC's quarantine,
 * the Whereabouts reconciler's minute), so two boxes on 2 cores took the five default suites from 678 s one at a time
 * to 464 s (bench/README.md), about 2 GiB of memory each. Every box has its own name, namespaces, cgroups and links.
 */
const BOX_WORKERS = Number(process.env.MULTINIC_BOX_WORKERS ?? 2);

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

const args = process.argv.slice(2);
const boxSwitch = process.env.MULTINIC_BOX ?? BOX_DEFAULT;
const box = boxSwitch === '1' || boxSwitch === 'all';
const boxEnv = box ? { MULTINIC_BOX: '1' } : {};
if (box) {
  if (process.getuid?.() !== 0) {
    process.stderr.write('npm test: local-cluster suites skipped: not running as root (they need network and mount namespaces and cgroups)\n');
  } else if (!process.env.MULTINIC_BOX_ARTIFACTS) {
    process.stderr.write('npm test: local cluster: bash cluster/build/build.sh (pinned, cached in ~/.cache/multinic-box: seconds when cached, 20-40 min the first time on 2 cores; MULTINIC_BOX=0 skips the box suites)\n');
    const t0 = Date.now();
    const r = spawnSync('bash', [path.join(root, 'cluster', 'build', 'build.sh')], {
      cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', timeout: 90 * 60_000, killSignal: 'SIGTERM', maxBuffer: 64 * 1024 * 1024,
    });
    phases.push(['box build', (Date.now() - t0) / 1000]);
    const dir = (r.stdout ?? '').trim().split('\n').pop() ?? '';
    if (r.status !== 0 || dir === '' || !fs.existsSync(dir)) {
      process.stderr.write(`npm test: the local cluster's build failed (bash cluster/build/build.sh, status ${r.status ?? r.signal}${r.error ? `: ${r.error.message}` : ''}); MULTINIC_BOX=0 skips the box suites\n`);
      process.exit(1);
    }
    boxEnv.MULTINIC_BOX_ARTIFACTS = dir;
  }
}

/** One jest run; returns [status, counts] (counts from its --json file). */
function jest(jestArgs, extraEnv, name) {
  const out = path.join(root, 'build', `jest-${name}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.rmSync(out, { force: true });
  const env = { ...process.env, ...extraEnv, MULTINIC_TEST_STARTED: String(started), MULTINIC_TEST_PHASES: JSON.stringify(phases) };
  const t0 = Date.now();
  const r = spawnSync(node, [bin('jest/bin/jest.js'), '--json', `--outputFile=${out}`, ...jestArgs], { cwd: root, stdio: 'inherit', env });
  phases.push([`jest (${name})`, (Date.now() - t0) / 1000]);
  let counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    const j = JSON.parse(fs.readFileSync(out, 'utf8'));
    counts = { passed: j.numPassedTests, failed: j.numFailedTests + (j.numRuntimeErrorTestSuites ?? 0), skipped: j.numPendingTests + (j.numTodoTests ?? 0) };
  } catch { /* jest did not get to write it: its status says why */ }
  return [r.status ?? 1, counts];
}

const allSuites = boxSuites(root);
// Opt-in box suites (`@box-suite opt-in: reason` in the file) run only with MULTINIC_BOX=all, and say so.
const optIn = boxSwitch === 'all' ? [] : allSuites.filter((f) => optInReason(f) !== undefined);
const suites = allSuites.filter((f) => !optIn.includes(f));
for (const f of box ? optIn : []) process.stderr.write(`npm test: not run by default: ${path.relative(root, f)} (${optInReason(f)}; MULTINIC_BOX=all runs it)\n`);
if (args.length > 0 || !box || suites.length === 0) {
  // Box suites selected by the arguments still run one at a time.
  const selects = (f) => args.filter((a) => !a.startsWith('-')).some((a) => { try { return new RegExp(a).test(f); } catch { return f.includes(a); } });
  const inBand = box && !args.includes('--runInBand') && !args.includes('-i') && allSuites.some((f) => selects(path.relative(root, f)) || selects(f));
  const [status] = jest(inBand ? ['--runInBand', ...args] : args, boxEnv, 'all');
  process.exit(status);
}
const main = jest([], { ...boxEnv, MULTINIC_JEST_SET: 'main' }, 'main');
const boxWorkers = BOX_WORKERS > 1 ? [`--maxWorkers=${Math.floor(BOX_WORKERS)}`] : ['--runInBand'];
const boxRun = jest([...boxWorkers, ...suites.map((f) => path.relative(root, f))], { ...boxEnv, MULTINIC_JEST_SET: 'box' }, 'box');
const total = ['passed', 'failed', 'skipped'].map((k) => main[1][k] + boxRun[1][k]);
process.stderr.write(`\nnpm test wall time ${((Date.now() - started) / 1000).toFixed(1)} s (${phases.map(([n, s]) => `${n} ${s.toFixed(1)} s`).join(', ')})\n`);
process.stderr.write(`jest: ${total[0]} passed, ${total[1]} failed, ${total[2]} skipped\n`);
process.exit(main[0] !== 0 ? main[0] : boxRun[0]);
