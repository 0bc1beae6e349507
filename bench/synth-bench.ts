/**
 * `multinic validate` and `multinic synth` of the default intent and of generated intents (100 and 1,000 networks and
 * nodes), beside a bare cdk8s app, each run as a fresh process the way a person runs it. Prints medians and ratios.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateIntentYaml } from './generate-intent';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'build', 'bin', 'multinic.js');
const bare = path.join(root, 'build', 'bench', 'bare-cdk8s.js');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-bench-'));

function median(cmd: string[], expectFail = false): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    try {
      execFileSync(process.execPath, cmd, { stdio: 'ignore' });
    } catch (e) {
      if (!expectFail) throw e;
    }
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const intents: Array<[string, string | undefined]> = [['default', undefined]];
for (const n of [100, 1000]) {
  const f = path.join(tmp, `intent-${n}.yaml`);
  fs.writeFileSync(f, generateIntentYaml(n, n));
  intents.push([`${n} networks x ${n} nodes`, f]);
}

const baseline = median([bare, path.join(tmp, 'bare')]);
console.log(`bare cdk8s app, one object: ${baseline.toFixed(0)} ms (median of ${runs})`);
console.log('| intent | validate ms | synth ms | synth / bare |');
console.log('|---|---|---|---|');
for (const [label, file] of intents) {
  const input = file ? ['-i', file] : [];
  const v = median([cli, 'validate', ...input], true);
  const s = median([cli, 'synth', ...input, '-o', path.join(tmp, `out-${label.replace(/\W+/g, '-')}`)]);
  console.log(`| ${label} | ${v.toFixed(0)} | ${s.toFixed(0)} | ${(s / baseline).toFixed(2)}x |`);
}
console.log('Targets: validate of the default under 300 ms; synth of the default within 1.5x the bare app; linear growth.');
fs.rmSync(tmp, { recursive: true, force: true });
