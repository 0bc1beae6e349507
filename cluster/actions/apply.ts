/**
 * Applies the intent's manifests, unchanged, with the built kubectl and server-side apply, in the order that keeps
 * bare Pods from failing on a missing `default` ServiceAccount: Multus and Whereabouts (CRDs), CRDs established,
 * the networks chart (namespaces and NADs), `sa/default` in every namespace, then everything with pruning (an
 * ApplySet), so a second `up` removes what the intent no longer has and leaves untouched objects (and their pods)
 * alone. No pod that asks for a network starts before its node's networks are ready: the startup taint.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthManifests } from '../../charts/app';
import { buildModel } from '../../lib/model/model';
import { kubectl, kubectlOk } from '../kubectl';
import { waitFor } from '../provider/exec';
import type { Action, UpContext } from './context';

export const FIELD_MANAGER = 'multinic-box';
/** The ApplySet parent (a Secret in `default`): kubectl records there what it applied, and prunes by it. */
export const APPLYSET = 'secrets/multinic-box-applyset';

export const applyAction: Action = {
  title: 'Applying the intent\'s manifests',
  async execute(ctx: UpContext) {
    const dist = path.join(ctx.names.dir, 'dist');
    const files = synthManifests(ctx.intent, dist).filter((f) => f.endsWith('.k8s.yaml'));
    ctx.distDir = dist;
    const f = (prefix: string) => files.filter((x) => x.startsWith(prefix)).flatMap((x) => ['-f', path.join(dist, x)]);
    const ssa = ['apply', '--server-side', '--force-conflicts', `--field-manager=${FIELD_MANAGER}`];
    await kubectlOk(ctx, [...ssa, ...f('0000-'), ...f('0001-')]);
    await kubectlOk(ctx, ['wait', '--for', 'condition=established', '--timeout=60s', 'crd', '--all']);
    const networks = files.find((x) => x.includes('-networks.'));
    if (networks !== undefined) await kubectlOk(ctx, [...ssa, '-f', path.join(dist, networks)]);
    const namespaces = buildModel(ctx.intent).namespaces;
    await waitFor(`the default ServiceAccount in ${namespaces.join(', ')}`, 60_000, async () => {
      const r = await kubectl(ctx, ['get', 'serviceaccounts', '-A', '--field-selector', 'metadata.name=default', '-o', 'jsonpath={.items[*].metadata.namespace}']);
      const have = new Set(r.stdout.split(' '));
      return namespaces.every((ns) => have.has(ns)) ? true : undefined;
    }, 200);
    const all = files.flatMap((x) => ['-f', path.join(dist, x)]);
    // No -n: kubectl refuses objects of other namespaces when one is given; the parent goes to the context's (default).
    const r = await kubectl(ctx, [...ssa, '--prune', `--applyset=${APPLYSET}`, ...all], 120_000);
    if (r.status !== 0) throw new Error(`kubectl apply --prune: ${(r.stderr || r.stdout).trim()}`);
    const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
    const changed = lines.filter((l) => !/ (serverside-applied|unchanged)$/.test(l) || / pruned$/.test(l));
    const pruned = lines.filter((l) => / pruned$/.test(l));
    ctx.facts.applied = lines.length;
    ctx.facts.pruned = pruned;
    fs.writeFileSync(path.join(ctx.names.dir, 'apply.log'), r.stdout + r.stderr);
    return `${files.length} files, ${lines.length - pruned.length} objects${pruned.length > 0 ? `, ${pruned.length} pruned` : ''}${changed.length > 0 ? '' : ''}`;
  },
};
