/**
 * Waits until the cluster is what the intent says: every node Ready, every DaemonSet and Deployment fully available,
 * every workload pod Running and Ready with the network-status the intent predicts (lib/verify). Pods whose networks
 * this kernel cannot attach are left out and named. On timeout it reports what is not ready and why, from the
 * cluster's own conditions and events.
 */
import type { KubeNode, KubePod } from '../../lib/kube/types';
import { buildModel } from '../../lib/model/model';
import { NETWORKS_NOT_READY_TAINT } from '../../lib/readiness';
import { belongsTo, verifyWorkloads } from '../../lib/verify/k8s';
import { apiGet } from '../api';
import { kubectl } from '../kubectl';
import { sleep } from '../provider/exec';
import type { Action, UpContext } from './context';

interface Condition { type: string; status: string; reason?: string; message?: string }
interface Obj {
  kind?: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: { replicas?: number };
  status?: {
    conditions?: Condition[]; phase?: string; desiredNumberScheduled?: number; numberAvailable?: number; updatedNumberScheduled?: number;
    availableReplicas?: number; updatedReplicas?: number; containerStatuses?: { name: string; ready: boolean; state?: Record<string, { reason?: string; message?: string }> }[];
  };
}

export interface Readiness {
  readonly ready: boolean;
  /** One line per object that is not ready, with why. */
  readonly problems: readonly string[];
  /** Workloads left out: their networks cannot attach here. */
  readonly skipped: readonly string[];
}

/** One look at the cluster. */
export async function readiness(ctx: UpContext): Promise<Readiness> {
  const problems: string[] = [];
  // One look, four lists read side by side (in-process: cluster/api.ts).
  const [nodeList, dsList, podList, deploymentList] = await Promise.all([
    apiGet<{ items: (KubeNode & Obj)[] }>(ctx, '/api/v1/nodes'),
    apiGet<{ items: Obj[] }>(ctx, '/apis/apps/v1/daemonsets'),
    apiGet<{ items: (KubePod & Obj)[] }>(ctx, '/api/v1/pods'),
    apiGet<{ items: Obj[] }>(ctx, '/apis/apps/v1/deployments'),
  ]);
  const nodes = nodeList.items;
  for (const n of ctx.topo.nodes) {
    const node = nodes.find((x) => x.metadata.name === n.name);
    const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready?.status !== 'True') problems.push(`node ${n.name}: ${node === undefined ? 'not registered' : `Ready=${ready?.status ?? '?'} ${ready?.reason ?? ''} ${ready?.message ?? ''}`.trim()}`);
  }
  if (ctx.bare) return { ready: problems.length === 0, problems, skipped: [] };
  const ds = dsList.items;
  for (const d of ds) {
    const s = d.status ?? {};
    const want = s.desiredNumberScheduled ?? 0;
    // Nodes booted with their ENI setup held back keep the taint: node-ready is not ready there, by design.
    const held = d.metadata.name === 'multinic-node-ready' ? ctx.holdEniSetup.length : 0;
    if (want === 0 || (s.numberAvailable ?? 0) < want - held || (s.updatedNumberScheduled ?? 0) < want) {
      problems.push(`daemonset ${d.metadata.namespace}/${d.metadata.name}: ${s.numberAvailable ?? 0}/${want} available`);
    }
  }
  // Pods on their way out (pruned, replaced, or a rollout's old ones) are no pods of the intent any more: a pruned
  // `sleep infinity` sits out its 30 s termination grace, which kept the second up waiting for it.
  const pods = podList.items.filter((p) => p.metadata.deletionTimestamp === undefined);
  // Pods kept off the nodes booted with their ENI setup held back, by the startup taint, as they should be: pending
  // as unschedulable for a taint (the scheduler of 1.36 says "had untolerated taint(s)", without the key) while a
  // held node still has the startup taint.
  const heldTainted = nodes.some((n) => ctx.holdEniSetup.includes(n.metadata.name) && (n.spec?.taints ?? []).some((t) => t.key === NETWORKS_NOT_READY_TAINT.key));
  const heldOff = (p: Obj) => heldTainted && (p.status?.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.status !== 'True' && /untolerated taint|multinic\.dev\/networks-not-ready/.test(c.message ?? ''));
  const deployments = deploymentList.items;
  for (const d of deployments) {
    const want = d.spec?.replicas ?? 1;
    const rs = new RegExp(`^${d.metadata.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[a-z0-9]+$`);
    const held = pods.filter((p) => p.metadata.namespace === d.metadata.namespace && heldOff(p) && (p.metadata.ownerReferences ?? []).some((o) => o.kind === 'ReplicaSet' && rs.test(o.name))).length;
    if ((d.status?.availableReplicas ?? 0) + held < want || (d.status?.updatedReplicas ?? 0) < want) {
      problems.push(`deployment ${d.metadata.namespace}/${d.metadata.name}: ${d.status?.availableReplicas ?? 0}/${want} available`);
    }
  }
  const model = buildModel(ctx.intent);
  const unsupported = new Set(ctx.topo.networks.filter((n) => !n.support.ok).map((n) => n.key));
  const skipped: string[] = [];
  const skippedWorkloads = new Set<string>();
  for (const w of model.workloads) {
    const bad = w.attachments.filter((a) => a.network !== undefined && unsupported.has(a.network.key));
    if (bad.length > 0) {
      skipped.push(`${w.workload.namespace}/${w.workload.name}: network ${bad.map((a) => a.network!.key).join(', ')} cannot attach on this kernel`);
      skippedWorkloads.add(`${w.workload.namespace}/${w.workload.name}`);
    }
  }
  const waitingForTaint = new Set<string>();
  for (const p of pods) {
    const key = `${p.metadata.namespace}/${p.metadata.name}`;
    const unscheduled = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status !== 'True');
    if (heldOff(p)) {
      // Kept off the held nodes by the startup taint, as it should be: not a failure of up.
      waitingForTaint.add(key);
      skipped.push(`${key}: Pending until a node's networks are ready (${unscheduled?.message ?? ""})`);
      continue;
    }
    // node-ready on a held node is not ready until that node's networks are: by design (as its DaemonSet above).
    if (ctx.holdEniSetup.includes(p.spec?.nodeName ?? '') && (p.metadata.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet' && o.name === 'multinic-node-ready')) continue;
    const owner = model.workloads.find((w) => belongsTo(w.workload, p));
    if (owner !== undefined && skippedWorkloads.has(`${owner.workload.namespace}/${owner.workload.name}`)) continue;
    const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
    if (p.status?.phase === 'Succeeded') continue;
    if (p.status?.phase !== 'Running' || ready?.status !== 'True') {
      const waiting = (p.status?.containerStatuses ?? []).map((c) => Object.entries(c.state ?? {}).map(([k, v]) => `${c.name} ${k}${v.reason ? ` ${v.reason}` : ''}${v.message ? `: ${v.message}` : ''}`).join('')).filter((x) => x !== '');
      const sched = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status !== 'True');
      problems.push(`pod ${key}: ${p.status?.phase ?? '?'}${sched ? ` (${sched.reason}: ${sched.message})` : ''}${waiting.length > 0 ? ` [${waiting.join('; ')}]` : ''}`);
    }
  }
  // A workload's pods kept off held nodes are not missing.
  const heldOfWorkload = (group: string) => [...waitingForTaint].filter((k) => { const w = model.workloads.find((x) => `${x.workload.namespace}/${x.workload.name}` === group); const p = pods.find((q) => `${q.metadata.namespace}/${q.metadata.name}` === k); return w !== undefined && p !== undefined && belongsTo(w.workload, p); }).length;
  const rows = verifyWorkloads(model, nodes, (w) => pods.filter((p) => belongsTo(w, p)))
    .filter((r) => r.status !== 'ok' && !waitingForTaint.has(r.subject) && ![...skippedWorkloads].some((k) => r.group === k || r.subject.startsWith(`${k.split('/')[0]}/${k.split('/')[1]}`)))
    .filter((r) => !(r.check === 'running pods' && Number(r.observed) + heldOfWorkload(r.group) >= Number(r.expected)));
  for (const r of rows) problems.push(`pod ${r.subject} ${r.device} ${r.check}: expected ${r.expected}, observed ${r.observed} (${r.status})`);
  return { ready: problems.length === 0, problems, skipped };
}

/** The cluster's events about an object (`kind/namespace/name`), newest last. */
async function eventsFor(ctx: UpContext, namespace: string | undefined, name: string): Promise<string[]> {
  const r = await kubectl(ctx, ['get', 'events', ...(namespace ? ['-n', namespace] : ['-A']), '--field-selector', `involvedObject.name=${name}`,
    '-o', 'jsonpath={range .items[*]}{.type} {.reason}: {.message}{"\\n"}{end}']);
  return r.stdout.split('\n').filter((l) => l.trim() !== '').slice(-3);
}

export function waitReadyAction(timeoutMs = 240_000): Action {
  return {
    title: 'Waiting for nodes, DaemonSets, Deployments and pods',
    async execute(ctx: UpContext) {
      const start = Date.now();
      const deadline = start + timeoutMs;
      let last: Readiness | undefined;
      let said = start;
      const trail: string[] = [];
      while (Date.now() < deadline) {
        last = await readiness(ctx).catch((e: Error) => ({ ready: false, problems: [e.message], skipped: [] }));
        if (last.ready) break;
        // Every 10 s, what it still waits for (a terminal shows progress; --json keeps it in facts.waitTrail).
        if (Date.now() - said >= 10_000 && last.problems.length > 0) {
          said = Date.now();
          const line = `still waiting after ${Math.round((said - start) / 1000)} s for ${last.problems[0]}${last.problems.length > 1 ? ` (and ${last.problems.length - 1} more)` : ''}`;
          trail.push(line);
          ctx.note(line);
        }
        await sleep(250);
      }
      ctx.facts.waitTrail = trail;
      for (const s of last?.skipped ?? []) ctx.note(`not waited for: ${s}`);
      ctx.facts.skipped = last?.skipped ?? [];
      if (last?.ready) return 'all ready';
      const lines: string[] = [];
      for (const p of last?.problems ?? []) {
        lines.push(p);
        const m = /^(pod|deployment|daemonset|node) (?:([^/ ]+)\/)?([^ :]+)/.exec(p);
        if (m) for (const e of await eventsFor(ctx, m[2], m[3])) lines.push(`    ${e}`);
      }
      ctx.facts.notReady = last?.problems ?? [];
      throw new Error(`not ready after ${Math.round(timeoutMs / 1000)} s:\n  ${lines.join('\n  ')}`);
    },
  };
}
