/**
 * Applies the intent's manifests, unchanged, with the built kubectl and server-side apply, in the order that keeps
 * bare Pods from failing on a missing `default` ServiceAccount: Multus and Whereabouts (CRDs), CRDs established,
 * the networks chart (namespaces and NADs), `sa/default` in every namespace, then everything, then pruning of what
 * the previous `up` applied and the intent no longer has, so untouched objects (and their pods) are left alone. No pod that asks for a network starts before its node's networks are ready: the startup taint.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synthManifests } from '../../charts/app';
import { buildModel } from '../../lib/model/model';
import { podsToReplace } from '../../lib/pod-spec';
import { apiGet } from '../api';
import { kubectl, kubectlOk } from '../kubectl';
import { waitFor } from '../provider/exec';
import type { Action, UpContext } from './context';

export const FIELD_MANAGER = 'multinic-box';
/** `namespace kind.group/name` of every object in the files (`-` for cluster-scoped), sorted. */
export function objectsIn(files: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(f, 'utf8'))) {
      const o = doc.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } } | null;
      if (!o?.kind || !o.metadata?.name) continue;
      const group = o.apiVersion?.includes('/') ? `.${o.apiVersion.split('/')[0]}` : '';
      out.push(`${o.metadata.namespace ?? '-'} ${o.kind.toLowerCase()}${group}/${o.metadata.name}`);
    }
  }
  return [...new Set(out)].sort();
}

/**
 * Synthesises the intent's manifests into the box's `dist/` (CPU only: `up` runs it while the control plane starts).
 */
export const renderAction: Action = {
  title: 'Rendering the intent\'s manifests',
  async execute(ctx: UpContext) {
    const dist = path.join(ctx.names.dir, 'dist');
    ctx.manifests = synthManifests(ctx.intent, dist).filter((f) => f.endsWith('.k8s.yaml'));
    ctx.distDir = dist;
    return `${ctx.manifests.length} files in ${dist}`;
  },
};

/**
 * Applies what {@link renderAction} wrote. Needs the API server, not the nodes: `up` runs it while the nodes boot
 * (a node registers with the startup taint, so no workload lands on it before its networks are ready whichever comes
 * first; the DaemonSets' pods start as each node registers).
 */
export const applyAction: Action = {
  title: 'Applying the intent\'s manifests',
  async execute(ctx: UpContext) {
    const dist = ctx.distDir;
    const files = ctx.manifests;
    if (dist === undefined || files === undefined) throw new Error('internal: the manifests were not rendered before the apply');
    const laps: Record<string, number> = {};
    let mark = Date.now();
    const lap = (what: string) => { laps[what] = (Date.now() - mark) / 1000; mark = Date.now(); };
    ctx.facts.applySeconds = laps;
    const f = (prefix: string) => files.filter((x) => x.startsWith(prefix)).flatMap((x) => ['-f', path.join(dist, x)]);
    const ssa = ['apply', '--server-side', '--force-conflicts', `--field-manager=${FIELD_MANAGER}`];
    await kubectlOk(ctx, [...ssa, ...f('0000-'), ...f('0001-')]);
    lap('multus and whereabouts');
    await kubectlOk(ctx, ['wait', '--for', 'condition=established', '--timeout=60s', 'crd', '--all']);
    lap('CRDs established');
    const networks = files.find((x) => x.includes('-networks.'));
    if (networks !== undefined) await kubectlOk(ctx, [...ssa, '-f', path.join(dist, networks)]);
    lap('networks');
    const namespaces = buildModel(ctx.intent).namespaces;
    await waitFor(`the default ServiceAccount in ${namespaces.join(', ')}`, 60_000, async () => {
      const r = await apiGet<{ items: { metadata: { namespace: string } }[] }>(ctx, '/api/v1/serviceaccounts?fieldSelector=metadata.name%3Ddefault').catch(() => ({ items: [] }));
      const have = new Set(r.items.map((sa) => sa.metadata.namespace));
      return namespaces.every((ns) => have.has(ns)) ? true : undefined;
    }, 200);
    lap('default ServiceAccounts');
    // A bare Pod cannot change in place (lib/pod-spec.ts): a running one whose pod-spec value differs is deleted first.
    const wanted = files.flatMap((x) => [...fs.readFileSync(path.join(dist, x), 'utf8').matchAll(/multinic\.dev\/pod-spec: "?([^"\s]+)/g)].map((m) => m[1]));
    if (wanted.length > 0) {
      const pods = await apiGet<{ items: { metadata: { namespace: string; name: string; annotations?: Record<string, string> } }[] }>(ctx,
        '/api/v1/pods?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dmultinic');
      const live = new Map(pods.items.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p.metadata.annotations?.['multinic.dev/pod-spec'] ?? ''] as [string, string]));
      for (const pod of podsToReplace(wanted, live)) {
        const [ns, name] = pod.split('/');
        await kubectlOk(ctx, ['delete', 'pod', '-n', ns, name, '--wait=true', '--timeout=120s']);
        ctx.facts.replaced = [...((ctx.facts.replaced as string[] | undefined) ?? []), pod];
      }
    }
    lap('changed bare Pods');
    const all = files.flatMap((x) => ['-f', path.join(dist, x)]);
    const r = await kubectl(ctx, ssa.concat(all), 120_000);
    if (r.status !== 0) throw new Error(`kubectl apply: ${(r.stderr || r.stdout).trim()}`);
    lap('everything');
    // Pruning: what the last up applied and this intent no longer has is deleted. (kubectl's ApplySet needs a
    // namespace for its parent, and refuses objects of other namespaces once one is given.)
    const now = objectsIn(files.map((x) => path.join(dist, x)));
    const record = path.join(ctx.names.dir, 'applied.json');
    const before: string[] = fs.existsSync(record) ? JSON.parse(fs.readFileSync(record, 'utf8')) as string[] : [];
    const pruned = before.filter((o) => !now.includes(o));
    for (const o of pruned) {
      const [ns, ref] = o.split(' ');
      const d = await kubectl(ctx, ['delete', ref, ...(ns !== '-' ? ['-n', ns] : []), '--ignore-not-found', '--wait=false']);
      if (d.status !== 0) throw new Error(`kubectl delete ${ref}: ${d.stderr.trim()}`);
    }
    fs.writeFileSync(record, JSON.stringify(now, null, 2));
    lap('pruning');
    const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
    ctx.facts.applied = lines.length;
    ctx.facts.pruned = pruned;
    fs.writeFileSync(path.join(ctx.names.dir, 'apply.log'), r.stdout + r.stderr);
    return `${files.length} files, ${lines.length} objects${pruned.length > 0 ? `, ${pruned.length} pruned` : ''}`;
  },
};
