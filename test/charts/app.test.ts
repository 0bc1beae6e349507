import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synthManifests } from '../../charts/app';
import { MultinicError } from '../../lib/errors';
import { defaultIntent } from '../util/default-model';
import { validateManifests } from '../util/k8s-schema';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-app-'));
const readAll = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

describe('synthManifests', () => {
  test('writes one file per chart, in apply order, and every object validates', () => {
    // GIVEN
    const out = path.join(tmp(), 'dist');
    // WHEN
    const files = synthManifests(defaultIntent(), out);
    // THEN
    expect(files).toEqual(['0000-multus.k8s.yaml', '0001-whereabouts.k8s.yaml', '0002-networks.k8s.yaml', '0003-workloads.k8s.yaml']);
    const objects = files.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(out, f), 'utf8')).map((d) => d.toJS()));
    expect(validateManifests(objects)).toEqual([]);
    // The CRD comes before any NAD.
    const kinds = objects.map((o) => o.kind);
    expect(kinds.indexOf('CustomResourceDefinition')).toBeLessThan(kinds.indexOf('NetworkAttachmentDefinition'));
  });

  test('same intent, same bytes', () => {
    const a = path.join(tmp(), 'a');
    const b = path.join(tmp(), 'b');
    synthManifests(defaultIntent(), a);
    synthManifests(defaultIntent(), b);
    expect(readAll(a)).toEqual(readAll(b));
  });

  test('replaces a previous output whole (no stale chart files left behind)', () => {
    // GIVEN an output directory from an earlier run with a chart that no longer exists
    const out = path.join(tmp(), 'dist');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, '0009-gone.k8s.yaml'), 'stale');
    // WHEN
    synthManifests(defaultIntent(), out);
    // THEN
    expect(fs.existsSync(path.join(out, '0009-gone.k8s.yaml'))).toBe(false);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
  });

  test('refuses a directory holding files it did not write, and leaves it untouched', () => {
    const out = tmp();
    fs.writeFileSync(path.join(out, 'notes.txt'), 'mine');
    expect(() => synthManifests(defaultIntent(), out)).toThrow(MultinicError);
    expect(() => synthManifests(defaultIntent(), out)).toThrow(/holds files multinic did not write \(notes\.txt\)/);
    expect(readAll(out)).toEqual({ 'notes.txt': 'mine' });
  });

  test('a failure during synthesis leaves the previous output as it was and no staging directory behind', () => {
    // GIVEN a previous output
    const parent = tmp();
    const out = path.join(parent, 'dist');
    synthManifests(defaultIntent(), out);
    const before = readAll(out);
    // WHEN an intent that passes parsing but breaks a chart (a mount of an undefined ConfigMap, which validation would catch)
    const broken = defaultIntent();
    broken.spec.configMaps = [];
    expect(() => synthManifests(broken, out)).toThrow();
    // THEN
    expect(readAll(out)).toEqual(before);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });
});
