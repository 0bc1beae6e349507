import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Yaml, YamlOutputType } from 'cdk8s';
import { addCharts, CHART_FILE_NUMBERS, COMMITTED_CRD_FILES, synthManifests, synthNumbered, writePrerenderedCrds } from '../../charts/app';
import { committedFilePath, loadCommittedCrd, usePrerenderedCrds } from '../../charts/private/committed-crd';
import { assertPinnedImage, cpuMillis, memoryBytes } from '../../charts/private/k8s-values';
import { buildModel } from '../../lib/model/model';
import { defaultIntent, seedFaithfulIntent } from '../util/default-model';

describe('memoryBytes', () => {
  test.each([
    ['256Mi', 256 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['500k', 5e5],
    ['1048576', 1048576],
    ['1.5Gi', 1.5 * 2 ** 30],
  ])('%s is %d bytes', (q, bytes) => {
    expect(memoryBytes(q, 'here', 'CODE')).toBe(bytes);
  });

  test.each(['256MiB', '256 Mi', '-1Mi', 'Mi', ''])('rejects %j naming the place', (q) => {
    expect(() => memoryBytes(q, 'MultusThick x memoryRequest', 'CODE')).toThrow(expect.objectContaining({
      code: 'CODE',
      message: `MultusThick x memoryRequest: "${q}" is not a memory quantity; use e.g. "256Mi" or "1Gi"`,
    }));
  });
});

describe('cpuMillis', () => {
  test.each([['100m', 100], ['1', 1000], ['0.5', 500]])('%s is %d millicores', (q, m) => {
    expect(cpuMillis(q, 'here', 'CODE')).toBe(m);
  });

  test.each(['0', '0m', '100 m', 'one'])('rejects %j', (q) => {
    expect(() => cpuMillis(q, 'here', 'CODE')).toThrow(/is not a positive CPU quantity/);
  });
});

describe('assertPinnedImage', () => {
  test.each([
    'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0-thick',
    'localhost:5000/multus-cni:v4.3.0-thick',
    `ghcr.io/k8snetworkplumbingwg/whereabouts@sha256:${'a'.repeat(64)}`,
  ])('accepts %s', (image) => {
    expect(() => assertPinnedImage(image, 'here', 'CODE')).not.toThrow();
  });

  test.each([
    ['ghcr.io/x/multus-cni:snapshot-thick', '"snapshot-thick" is a moving tag'],
    ['ghcr.io/x/multus-cni:stable-thick', '"stable-thick" is a moving tag'],
    ['ghcr.io/x/whereabouts:latest', '"latest" is a moving tag'],
    ['ghcr.io/x/whereabouts', 'no tag means latest'],
    ['localhost:5000/whereabouts', 'no tag means latest'],
  ])('rejects %s', (image, reason) => {
    expect(() => assertPinnedImage(image, 'here', 'CODE')).toThrow(expect.objectContaining({
      code: 'CODE',
      message: expect.stringContaining(`here: image "${image}" is not pinned to a release (${reason})`),
    }));
  });
});

describe('committed CRDs', () => {
  test('resolves a committed file from the repository root', () => {
    expect(committedFilePath('crds/network-attachment-definitions.yaml'))
      .toBe(path.resolve(__dirname, '../../crds/network-attachment-definitions.yaml'));
  });

  test('loads the single CRD of a file', () => {
    expect(loadCommittedCrd('crds/whereabouts/ippools.yaml').metadata.name).toBe('ippools.whereabouts.cni.cncf.io');
  });

  test('refuses a file that is not a single CRD', () => {
    expect(() => loadCommittedCrd('package.json')).toThrow('package.json must hold exactly one apiextensions.k8s.io/v1 CustomResourceDefinition');
  });

  test('names a missing file', () => {
    expect(() => committedFilePath('crds/nope.yaml')).toThrow(/committed file crds\/nope.yaml not found/);
  });
});

describe('prerendered CRDs (scripts/build.js renders them once; synth reuses them)', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-prerender-'));
  const readAll = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
  /** Synthesises the seed-faithful example (with Whereabouts: all five CRDs) and counts the CRDs rendered to YAML on the way. */
  function synth(prerendered: string | undefined): { files: Record<string, string>; crdsRendered: number } {
    usePrerenderedCrds(prerendered ?? path.join(tmp(), 'none.json'));
    const stringify = jest.spyOn(Yaml, 'stringify');
    try {
      const out = path.join(tmp(), 'dist');
      synthManifests(seedFaithfulIntent(), out);
      const crdsRendered = stringify.mock.calls.filter((docs) => docs.some((d: any) => d?.kind === 'CustomResourceDefinition')).length;
      return { files: readAll(out), crdsRendered };
    } finally {
      stringify.mockRestore();
      usePrerenderedCrds(undefined);
    }
  }

  test('the same bytes with and without them, and no CRD rendered at synth time with them', () => {
    // GIVEN every committed CRD prerendered, as scripts/build.js does
    const file = path.join(tmp(), 'crds.json');
    writePrerenderedCrds(file);
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8'))).sort()).toEqual([...COMMITTED_CRD_FILES].sort());
    // WHEN
    const slow = synth(undefined);
    const fast = synth(file);
    // THEN
    expect(slow.crdsRendered).toBe(COMMITTED_CRD_FILES.length);
    expect(fast.crdsRendered).toBe(0);
    expect(fast.files).toEqual(slow.files);
  });

  test('a stale entry (the committed file changed since) or a different object is rendered as usual', () => {
    // GIVEN one entry whose hash no longer matches its file, one whose YAML belongs to another object
    const file = path.join(tmp(), 'crds.json');
    writePrerenderedCrds(file);
    const crds = JSON.parse(fs.readFileSync(file, 'utf8'));
    const [stale, other] = COMMITTED_CRD_FILES;
    crds[stale] = { ...crds[stale], sha256: '0'.repeat(64), yaml: 'stale: true\n' };
    crds[other] = { ...crds[other], json: '{}', yaml: 'other: true\n' };
    fs.writeFileSync(file, JSON.stringify(crds));
    // WHEN
    const r = synth(file);
    // THEN those two are rendered, and nothing of the entries reaches the output
    expect(r.crdsRendered).toBe(2);
    expect(r.files).toEqual(synth(undefined).files);
    expect(Object.values(r.files).join('')).not.toMatch(/^(stale|other): true$/m);
  });

  test('synthNumbered writes what cdk8s app.synth() writes, under numbered names (each chart\'s fixed number)', () => {
    // GIVEN two apps of the same charts (the default intent: no Whereabouts chart, so no 0001)
    const model = buildModel(defaultIntent());
    const [a, b] = [tmp(), tmp()];
    const appA = new App({ outdir: a, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    const charts = addCharts(appA, model);
    const appB = new App({ outdir: b, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    addCharts(appB, model);
    // WHEN
    appA.synth();
    synthNumbered(appB, appB.charts);
    // THEN
    const numbered = Object.fromEntries(Object.entries(readAll(b)).map(([f, text]) => [f.replace(/^\d{4}-/, ''), text]));
    expect(numbered).toEqual(readAll(a));
    expect(Object.keys(readAll(b))).toEqual(charts.map((c) => `${String(CHART_FILE_NUMBERS[c.node.id]).padStart(4, '0')}-${c.node.id}.k8s.yaml`));
    expect(Object.keys(readAll(b))).toEqual(['0000-multus.k8s.yaml', '0002-networks.k8s.yaml', '0003-workloads.k8s.yaml']);
  });
});
