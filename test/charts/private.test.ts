import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Yaml, YamlOutputType } from 'cdk8s';
import { addCharts, CHART_FILE_NUMBERS, COMMITTED_CRD_FILES, synthManifests, synthNumbered, writePrerendered } from '../../charts/app';
import { committedFilePath, loadCommittedCrd } from '../../charts/private/committed-crd';
import { documentKey, type Prerendered, usePrerendered } from '../../charts/private/prerendered';
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

describe('prerendered documents (scripts/build.js renders what does not depend on the intent once; synth reuses it)', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-prerender-'));
  const readAll = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
  /** Synthesises the seed-faithful example (with Whereabouts: all five CRDs) and lists the kinds rendered to YAML on the way. */
  function synth(prerendered: string | undefined): { files: Record<string, string>; rendered: string[] } {
    usePrerendered(prerendered ?? path.join(tmp(), 'none.json'));
    const stringify = jest.spyOn(Yaml, 'stringify');
    try {
      const out = path.join(tmp(), 'dist');
      synthManifests(seedFaithfulIntent(), out);
      return { files: readAll(out), rendered: stringify.mock.calls.flatMap((docs) => docs.map((d: any) => d?.kind)) };
    } finally {
      stringify.mockRestore();
      usePrerendered(undefined);
    }
  }

  test('the same bytes with and without, and no object of the Multus and Whereabouts charts rendered with it', () => {
    // GIVEN the file scripts/build.js writes
    const file = path.join(tmp(), 'prerendered.json');
    writePrerendered(file);
    const written: Prerendered = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(Object.keys(written.crds).sort()).toEqual([...COMMITTED_CRD_FILES].sort());
    // WHEN
    const slow = synth(undefined);
    const fast = synth(file);
    // THEN
    expect(slow.rendered.filter((k) => k === 'CustomResourceDefinition')).toHaveLength(COMMITTED_CRD_FILES.length);
    expect(fast.rendered).not.toContain('CustomResourceDefinition');
    // every document of the Multus and Whereabouts files came from the file (the policy daemon's objects depend on
    // the intent's daemon image and are rendered)
    expect(written.docs.length).toBeGreaterThan(COMMITTED_CRD_FILES.length + 10);
    expect(fast.rendered.length).toBe(slow.rendered.length - written.docs.length);
    expect(fast.files).toEqual(slow.files);
  });

  test('a stale CRD (its file changed since) or a document with other content is rendered as usual', () => {
    // GIVEN one CRD whose hash no longer matches its file, and every document's YAML replaced under another key
    const file = path.join(tmp(), 'prerendered.json');
    writePrerendered(file);
    const p: Prerendered = JSON.parse(fs.readFileSync(file, 'utf8'));
    const [stale] = COMMITTED_CRD_FILES;
    const changed: Prerendered = {
      crds: { ...p.crds, [stale]: { ...p.crds[stale], sha256: '0'.repeat(64), source: '{"kind":"Stale"}' } },
      docs: p.docs.map(([json]) => [json.replace('"metadata":{', '"metadata":{"x":1,'), 'other: true\n']),
    };
    fs.writeFileSync(file, JSON.stringify(changed));
    // WHEN
    const r = synth(file);
    // THEN nothing of the file reaches the output
    expect(r.rendered.filter((k) => k === 'CustomResourceDefinition')).toHaveLength(COMMITTED_CRD_FILES.length);
    expect(r.files).toEqual(synth(undefined).files);
    expect(Object.values(r.files).join('')).not.toMatch(/^other: true$|Stale/m);
  });

  test.each([
    ['undefined (YAML writes null)', { a: undefined }],
    ['NaN', { a: NaN }],
    ['-0', { a: -0 }],
    ['a Date', { a: new Date(0) }],
    ['a class instance', { a: new (class X { y = 1; })() }],
  ])('a document holding %s is never looked up', (_, doc) => {
    expect(documentKey(doc)).toBeUndefined();
  });

  test('a plain document is looked up by its JSON', () => {
    expect(documentKey({ a: [1, 'b', null, true], c: { d: Object.create(null) } })).toBe('{"a":[1,"b",null,true],"c":{"d":{}}}');
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
