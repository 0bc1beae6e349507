/**
 * `up`: the ordered actions (kind's create.go) with one status line each, or quiet with a JSON report at the end.
 * A second `up` on a running box applies the changed intent: running pieces are left alone, the manifests are
 * applied again with pruning.
 */
import * as fs from 'node:fs';
import type { NetworkIntent } from '../lib/intent/types';
import { applyAction, renderAction } from './actions/apply';
import { buildAction } from './actions/build';
import type { Action, UpContext } from './actions/context';
import { controlPlaneAction } from './actions/control-plane';
import { networksAction } from './actions/networks';
import { nodesAction } from './actions/nodes';
import { waitReadyAction } from './actions/wait-ready';
import { BoxNames, checkClusterName, DEFAULT_CLUSTER } from './box';
import { Pki } from './pki';
import { hostInfo, type HostInfo } from './provider/host';
import { boxTopology, type BoxTopology } from './topology';

export interface UpOptions {
  readonly intent: NetworkIntent;
  readonly intentFile: string;
  /** @default DEFAULT_CLUSTER ('multinic') */
  readonly cluster?: string;
  /** Status lines and notes go here (a terminal); nothing when undefined. */
  readonly out?: (line: string) => void;
  /** Bound of the final wait. @default 240000 */
  readonly readyTimeoutMs?: number;
  /** Nodes booted without the in-guest ENI setup (they keep the readiness taint until it runs). @default [] */
  readonly holdEniSetup?: readonly string[];
  /**
   * Control plane and nodes only: nothing rendered or applied, and the wait is for every node Ready (the floor that
   * bench/cluster.sh measures `up` against). @default false
   */
  readonly bare?: boolean;
  /** Host capabilities, when already probed. */
  readonly host?: HostInfo;
}

export interface UpReport {
  readonly cluster: string;
  readonly ok: boolean;
  readonly kubeconfig: string;
  readonly seconds: number;
  readonly steps: readonly { readonly title: string; readonly seconds: number; readonly result: string; readonly ok: boolean }[];
  readonly facts: Record<string, unknown>;
  readonly error?: string;
}

/** What `up` says about links: which network runs on which link type, and whether the VPC rule is on. */
export function linkSummary(topo: BoxTopology): string[] {
  const lines = topo.networks.map((n) => `network ${n.key}: ${n.type}${n.master !== undefined ? ` over ${n.master}` : ''}${n.support.ok ? '' : ` - cannot attach: ${n.support.why}`}`);
  lines.push(`platform ${topo.platform}: the VPC rule (unknown MACs and addresses dropped on the subnet bridges) is ${topo.vpcRule ? 'on' : 'off'}`);
  return lines;
}

/**
 * The steps of `up` in stages; the actions of one stage run side by side (measured, bench/cluster.sh): the manifests
 * are rendered (CPU) while the control plane starts, and applied while the nodes boot, which only the API server
 * needs; the startup taint keeps every workload off a node until its networks are ready whichever comes first.
 */
export const UP_STAGES = (readyTimeoutMs?: number): readonly (readonly Action[])[] => [
  [buildAction],
  [networksAction],
  [controlPlaneAction, renderAction],
  [nodesAction, applyAction],
  [waitReadyAction(readyTimeoutMs)],
];

export async function up(opts: UpOptions): Promise<UpReport> {
  const cluster = opts.cluster ?? DEFAULT_CLUSTER;
  const bad = checkClusterName(cluster);
  if (bad !== undefined) throw new Error(bad);
  const names = new BoxNames(cluster);
  const host = opts.host ?? hostInfo();
  if (host.missing.length > 0) throw new Error(`the local cluster cannot run here: ${host.missing.join('; ')}`);
  const out = opts.out ?? (() => undefined);
  const topo = boxTopology(opts.intent, host.links);
  fs.mkdirSync(names.dir, { recursive: true });
  const ctx: UpContext = {
    names, intent: opts.intent, intentFile: opts.intentFile, topo, host, pki: new Pki(names.pkiDir), running: false, holdEniSetup: opts.holdEniSetup ?? [],
    bare: opts.bare ?? false, note: (l) => out(`    ${l}`), facts: {},
  };
  for (const l of linkSummary(topo)) ctx.note(l);
  ctx.facts.networks = topo.networks.map((n) => ({ key: n.key, type: n.type, master: n.master, attaches: n.support.ok, why: n.support.ok ? undefined : n.support.why }));
  ctx.facts.nodes = topo.nodes.map((n) => n.name);
  const steps: { title: string; seconds: number; result: string; ok: boolean }[] = [];
  const t0 = Date.now();
  let error: string | undefined;
  const runAction = async (a: Action) => {
    const t = Date.now();
    try {
      const r = (await a.execute(ctx)) ?? '';
      const s = (Date.now() - t) / 1000;
      steps.push({ title: a.title, seconds: s, result: r, ok: true });
      out(` ✓ ${a.title} (${s.toFixed(1)} s)${r !== '' ? `: ${r}` : ''}`);
    } catch (e) {
      const s = (Date.now() - t) / 1000;
      const why = e instanceof Error ? e.message : String(e);
      error ??= why;
      steps.push({ title: a.title, seconds: s, result: why, ok: false });
      out(` ✗ ${a.title} (${s.toFixed(1)} s): ${why}`);
    }
  };
  // MULTINIC_BOX_SEQUENTIAL=1: one action at a time (the order before the stages; bench/cluster.sh's baseline).
  const sequential = process.env.MULTINIC_BOX_SEQUENTIAL === '1';
  const wanted = UP_STAGES(opts.readyTimeoutMs).map((stage) => stage.filter((a) => !opts.bare || (a !== renderAction && a !== applyAction)));
  const stages = wanted.flatMap((stage) => (sequential ? stage.map((a) => [a]) : [stage]));
  for (const stage of stages) {
    for (const a of stage) out(` • ${a.title} ...`);
    await Promise.all(stage.map(runAction));
    if (error !== undefined) break;
  }
  const report: UpReport = { cluster, ok: error === undefined, kubeconfig: names.kubeconfig, seconds: (Date.now() - t0) / 1000, steps, facts: ctx.facts, ...(error ? { error } : {}) };
  fs.writeFileSync(names.stateFile, JSON.stringify(report, null, 2));
  return report;
}
