/**
 * `multinic synth` and `multinic validate` as a person runs them (a fresh `node build/bin/multinic.js` process each
 * time), beside a bare cdk8s app with one object, run the same way, in turns (bare, then each case, RUNS times).
 * Every run is timed by bash's `time`: wall seconds and CPU seconds (user + sys), the steadier figure on a shared
 * machine. Prints medians, each case's ratio to the bare app (median of the per-turn ratios), and the load average
 * before and after. The same cases from the compiled modules (MULTINIC_NO_PACK=1, no pack: bin/private/packed.ts)
 * show what the pack brings.
 *
 *   bench/synth.sh [RUNS]      (builds, then runs this; RUNS defaults to 7)
 *
 * Targets (issue 14): synth of the default within 1.3x the bare app; validate of 1,000 networks on 500 nodes under 1 s.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { generateIntentYaml } from './generate-intent';
import { generateIntent } from './review';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'build', 'bin', 'multinic.js');
const bare = path.join(root, 'build', 'bench', 'bare-cdk8s.js');
const runs = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 7);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-bench-'));

interface Sample { readonly wall: number; readonly cpu: number }
interface Case { readonly label: string; readonly args: string[]; readonly env?: NodeJS.ProcessEnv; readonly samples: Sample[] }

/** One run of `node ARGS`, output thrown away, timed by bash's `time` (whole process). */
function timed(args: string[], env: NodeJS.ProcessEnv = {}): Sample {
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%R %U %S"; { time "$@" >/dev/null 2>&1; } 2>&1', 'bash', process.execPath, ...args], {
    cwd: root, env: { ...process.env, ...env }, encoding: 'utf8',
  });
  const [wall, user, sys] = r.stdout.trim().split(/\s+/).map(Number);
  if (r.status !== 0 || [wall, user, sys].some((x) => !Number.isFinite(x))) throw new Error(`timing ${args.join(' ')} failed: ${r.stdout}${r.stderr}`);
  return { wall, cpu: user + sys };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');

const files: Record<string, string> = {};
for (const [name, text] of [
  ['100x100', generateIntentYaml(100, 100)],
  ['1000x1000', generateIntentYaml(1000, 1000)],
  ['review-1000x500', stringify(generateIntent(1000, 500))],
] as const) {
  files[name] = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(files[name], text);
}
const out = (label: string) => path.join(tmp, `out-${label.replace(/\W+/g, '-')}`);
const noPack = { MULTINIC_NO_PACK: '1' };

const baseline: Case = { label: 'bare cdk8s app, one ConfigMap (baseline)', args: [bare, path.join(tmp, 'bare')], samples: [] };
const cases: Case[] = [
  { label: 'synth, default intent', args: [cli, 'synth', '-o', out('synth')], samples: [] },
  { label: 'synth, default intent, from the modules (no pack)', args: [cli, 'synth', '-o', out('synth-np')], env: noPack, samples: [] },
  { label: 'validate, default intent', args: [cli, 'validate'], samples: [] },
  { label: 'validate, 1,000 networks on 500 nodes (target < 1 s)', args: [cli, 'validate', '-i', files['review-1000x500']], samples: [] },
  { label: 'validate, 1,000 networks on 500 nodes, no pack', args: [cli, 'validate', '-i', files['review-1000x500']], env: noPack, samples: [] },
  { label: 'synth, 100 networks x 100 nodes', args: [cli, 'synth', '-i', files['100x100'], '-o', out('100')], samples: [] },
  { label: 'synth, 1,000 networks x 1,000 nodes', args: [cli, 'synth', '-i', files['1000x1000'], '-o', out('1000')], samples: [] },
];

const loadBefore = load();
timed(baseline.args); // warm-up: file cache, build/ present
for (const c of cases) timed(c.args, c.env);
const ratios = new Map<Case, Sample[]>(cases.map((c) => [c, []]));
for (let i = 0; i < runs; i++) {
  const b = timed(baseline.args);
  baseline.samples.push(b);
  for (const c of cases) {
    const s = timed(c.args, c.env);
    c.samples.push(s);
    ratios.get(c)?.push({ wall: s.wall / b.wall, cpu: s.cpu / b.cpu });
  }
}
const loadAfter = load();

const row = (c: Case, r?: Sample[]) => {
  const wall = median(c.samples.map((s) => s.wall));
  const cpu = median(c.samples.map((s) => s.cpu));
  const ratio = r ? `${median(r.map((x) => x.cpu)).toFixed(2)}x / ${median(r.map((x) => x.wall)).toFixed(2)}x` : '1 (baseline)';
  return `| ${c.label} | ${cpu.toFixed(3)} | ${wall.toFixed(3)} | ${ratio} |`;
};
console.log(`multinic synth/validate benchmark, ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} CPUs, median of ${runs} turns`);
console.log(`load average (1, 5, 15 min) before: ${loadBefore}; after: ${loadAfter}`);
console.log('| case | CPU s (user+sys) | wall s | ratio to the bare app: CPU / wall |');
console.log('|---|---|---|---|');
console.log(row(baseline));
for (const c of cases) console.log(row(c, ratios.get(c)));
console.log('Targets: synth of the default within 1.3x the bare app (CPU); validate of 1,000 networks on 500 nodes under 1 s.');
fs.rmSync(tmp, { recursive: true, force: true });
