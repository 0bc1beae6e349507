/**
 * Benchmark of the review commands on a large intent: 1,000 networks and 500 nodes (11 node groups, 1,000 workloads).
 * Times `validate` (parse + schema + every rule), `plan` (build + Markdown + JSON) and `diff` (two such intents,
 * with changes, + Markdown), each the median of 5 runs after a warm-up. Target: each under 1 s.
 *
 *   bench/review.sh            (builds, then runs this)
 *   node build/bench/review.js [--networks N] [--nodes N] [--strict]   (--strict: exit 1 when a target is missed)
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { diffIntents } from '../lib/diff/diff';
import { renderDiffMarkdown } from '../lib/diff/markdown';
import type { NetworkIntent, NetworkIntentInput } from '../lib/intent/types';
import { validateText } from '../lib/intent/validate';
import { buildPlan } from '../lib/plan/build';
import { renderPlanJson, renderPlanMarkdown } from '../lib/plan/markdown';

export const TARGET_MS = 1000;
const WORKER_GROUPS = 10;

/** A valid intent with `networks` whereabouts networks spread over `WORKER_GROUPS` worker groups, `nodes` nodes in all. */
export function generateIntent(networks: number, nodes: number, variant = 0): NetworkIntentInput {
  const workers = nodes - 1;
  const per = Math.ceil(workers / WORKER_GROUPS);
  return {
    apiVersion: 'multinic.dev/v1alpha1',
    kind: 'NetworkIntent',
    metadata: { name: 'bench' },
    spec: {
      cluster: { kubernetesVersion: '1.36.5', podCidr: '172.16.0.0/16', serviceCidr: '10.96.0.0/12', primaryCni: 'calico' },
      vpc: { cidr: '10.0.0.0/16', zones: ['a'] },
      subnets: Array.from({ length: WORKER_GROUPS }, (_, g) => ({ name: `multus-${g}`, cidr: `10.0.${128 + g}.0/24`, zone: 'a' })),
      nodeGroups: [
        { name: 'control-plane', role: 'control-plane', instanceType: 'm6i.large', count: 1 },
        ...Array.from({ length: WORKER_GROUPS }, (_, g) => ({
          name: `workers-${g}`, role: 'worker' as const, instanceType: 'm6i.large',
          count: Math.max(1, Math.min(per, workers - g * per)) + (variant && g === 0 ? 1 : 0),
          interfaces: [{ name: `multus${g}`, subnet: `multus-${(g + (variant && g === 1 ? 1 : 0)) % WORKER_GROUPS}` }],
        })),
      ],
      networks: Array.from({ length: networks }, (_, i) => ({
        name: `net-${i}`, namespace: 'bench', type: 'ipvlan' as const, master: `multus${i % WORKER_GROUPS}`, mode: 'l2' as const,
        // The variant halves every 100th pool (a capacity and a network change in the diff).
        ipam: { type: 'whereabouts' as const, range: `100.${64 + Math.floor(i / 250)}.${i % 250}.0/${variant && i % 100 === 0 ? 25 : 24}` },
      })),
      workloads: Array.from({ length: networks }, (_, i) => ({
        kind: 'Deployment' as const, name: `app-${i}`, namespace: 'bench', replicas: 2 + (variant && i % 50 === 0 ? 1 : 0),
        labels: { app: `app-${i}` }, networks: [`net-${i}`], container: { image: 'docker.io/library/busybox:1.36', command: ['sleep', 'infinity'] },
      })),
    },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, runs = 5): number {
  fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(ms);
}

function valid(text: string): NetworkIntent {
  const r = validateText(text, 'bench.yaml');
  if (!r.intent || !r.valid) throw new Error(`generated intent is invalid: ${r.findings.filter((f) => f.level === 'error').slice(0, 3).map((f) => f.message).join('; ')}`);
  return r.intent;
}

export function runBench(networks: number, nodes: number): Array<{ name: string; ms: number; size: string }> {
  const baseText = stringify(generateIntent(networks, nodes));
  const headText = stringify(generateIntent(networks, nodes, 1));
  const base = valid(baseText);
  const head = valid(headText);
  const r = validateText(baseText, 'bench.yaml');
  const plan = buildPlan(base, { model: r.model, findings: r.findings });
  const diff = diffIntents(base, head);
  return [
    { name: 'validate', ms: time(() => validateText(baseText, 'bench.yaml')), size: `${baseText.split('\n').length} lines of YAML, ${r.findings.length} findings` },
    { name: 'plan', ms: time(() => { const p = buildPlan(base, { model: r.model, findings: r.findings }); renderPlanMarkdown(p); renderPlanJson(p); }), size: `${renderPlanMarkdown(plan).length} chars of Markdown` },
    { name: 'diff', ms: time(() => renderDiffMarkdown(diffIntents(base, head))), size: `${diff.changes.length} changes` },
  ];
}

if (require.main === module) {
  const { values } = parseArgs({ options: { networks: { type: 'string' }, nodes: { type: 'string' }, strict: { type: 'boolean' } } });
  const networks = Number(values.networks ?? 1000);
  const nodes = Number(values.nodes ?? 500);
  process.stdout.write(`multinic review benchmark: ${networks} networks, ${nodes} nodes (median of 5, target < ${TARGET_MS} ms each), in-process; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
  let missed = 0;
  for (const row of runBench(networks, nodes)) {
    const ok = row.ms < TARGET_MS;
    if (!ok) missed++;
    process.stdout.write(`${row.name.padEnd(9)} ${row.ms.toFixed(1).padStart(8)} ms  ${ok ? 'ok  ' : 'OVER'}  (${row.size})\n`);
  }
  if (values.strict && missed) process.exitCode = 1;
}
