/** Builds (or finds, cached) the binaries and images: cluster/build/build.sh, whose progress is shown as notes. */
import { buildArtifacts, loadArtifacts } from '../artifacts';
import type { Action, UpContext } from './context';

export const buildAction: Action = {
  title: 'Building binaries and images (pinned, cached)',
  async execute(ctx: UpContext) {
    const t0 = Date.now();
    const dir = await buildArtifacts((line) => ctx.note(line));
    ctx.artifacts = loadArtifacts(dir);
    ctx.facts.artifacts = dir;
    const subs = ctx.artifacts.images.filter((i) => i.substitutes !== undefined);
    ctx.facts.substitutions = subs.map((i) => ({ ref: i.ref, substitutes: i.substitutes }));
    for (const s of subs) ctx.note(`image ${s.ref}: ${s.substitutes}`);
    return `${dir} (${((Date.now() - t0) / 1000).toFixed(1)} s)`;
  },
};
