/**
 * images.json of the local cluster build covers every image reference that `dist/` of the default intent (and of the
 * box's Whereabouts fixture) contains:
 * each one is served under its own name or mapped by a `substitutes` entry, so `up` never meets an image it lacks.
 * Uses `build.sh --images-plan` (the images.json a build writes, building nothing); needs Go for the pause
 * reference (read from containerd's module), skipped with its name otherwise.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synthManifests } from '../../../charts/app';
import { VERSIONS } from '../../../lib/versions';
import { loadIntentFile } from '../../../lib/intent/load';
import { defaultIntent } from '../../util/default-model';

const WHEREABOUTS_FIXTURE = join(__dirname, '..', '..', 'fixtures', 'cluster', 'seed-whereabouts-generic.yaml');

const BUILD_SH = join(__dirname, '..', '..', '..', 'cluster', 'build', 'build.sh');
const hasGo = spawnSync('go', ['version']).status === 0;
if (!hasGo) console.warn('test/cluster/build/images-json: skipped: go is not installed (Go 1.26, see docs/toolchain.md)');

interface Entry { ref: string; file: string; local: boolean; substitutes?: string }

/** Every `image` of every container, init container and ephemeral container in the documents. */
function imagesIn(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => imagesIn(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'containers' || k === 'initContainers' || k === 'ephemeralContainers') && Array.isArray(v)) {
        for (const c of v) if (typeof c?.image === 'string') out.add(c.image);
      }
      imagesIn(v, out);
    }
  }
  return out;
}

(hasGo ? describe : describe.skip)('cluster/build images.json', () => {
  let plan: Entry[];
  let distImages: string[];

  beforeAll(() => {
    const r = spawnSync('bash', [BUILD_SH, '--images-plan'], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`build.sh --images-plan failed: ${r.stderr}`);
    plan = JSON.parse(r.stdout) as Entry[];
    const out = mkdtempSync(join(tmpdir(), 'images-json-dist-'));
    try {
      const images = new Set<string>();
      // the default intent, and the box's fixture whose networks use Whereabouts (the default has none since it moved to eni-prefix)
      [defaultIntent(), loadIntentFile(WHEREABOUTS_FIXTURE).intent!].forEach((intent, i) => {
        const dist = join(out, `dist${i}`);
        synthManifests(intent, dist);
        for (const f of readdirSync(dist).filter((n) => n.endsWith('.yaml'))) {
          for (const doc of parseAllDocuments(readFileSync(join(dist, f), 'utf8'))) imagesIn(doc.toJS(), images);
        }
      });
      distImages = [...images].sort();
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);

  it('finds the images of the intents\' dist/ (the Multus, Whereabouts and workload images at least)', () => {
    expect(distImages).toEqual(expect.arrayContaining([VERSIONS.multus.image, VERSIONS.whereabouts.image, 'docker.io/library/alpine:3.20']));
  });

  it('serves every image reference of dist/ under its own name or through a substitution', () => {
    const served = new Set(plan.flatMap((e) => [e.ref, ...(e.substitutes ? [e.substitutes] : [])]));
    expect(distImages.filter((i) => !served.has(i))).toEqual([]);
  });

  it('builds Multus and Whereabouts from their own sources (local) and serves the sandbox image containerd defaults to', () => {
    const byRef = new Map(plan.map((e) => [e.ref, e]));
    expect(byRef.get(VERSIONS.multus.image)).toEqual({ ref: VERSIONS.multus.image, file: 'images/multus.tar', local: true });
    expect(byRef.get(VERSIONS.whereabouts.image)).toEqual({ ref: VERSIONS.whereabouts.image, file: 'images/whereabouts.tar', local: true });
    expect(plan.find((e) => e.file === 'images/pause.tar')?.ref).toMatch(/^registry\.k8s\.io\/pause:3\.10\.\d+$/);
  });

  it('names each reference once, with a file under images/, and no two references share a registry repository', () => {
    expect(new Set(plan.map((e) => e.ref)).size).toBe(plan.length);
    for (const e of plan) expect(e.file).toMatch(/^images\/[a-z0-9-]+\.tar$/);
    const repoTag = plan.map((e) => e.ref.replace(/^[^/]*[.:][^/]*\//, '').replace(/^([^/]+)$/, 'library/$1'));
    expect(new Set(repoTag).size).toBe(plan.length);
  });
});
