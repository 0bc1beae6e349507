import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synthManifests } from '../../charts/app';
import { MultinicError } from '../../lib/errors';
import { VERSIONS } from '../../lib/versions';
import { defaultIntent, seedFaithfulIntent } from '../util/default-model';
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
    // (no network of the default intent uses Whereabouts: no 0001-whereabouts, and the others keep their numbers)
    expect(files).toEqual(['0000-multus.k8s.yaml', '0002-networks.k8s.yaml', '0003-workloads.k8s.yaml']);
    const objects = files.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(out, f), 'utf8')).map((d) => d.toJS()));
    expect(validateManifests(objects)).toEqual([]);
    // The CRD comes before any NAD.
    const kinds = objects.map((o) => o.kind);
    expect(kinds.indexOf('CustomResourceDefinition')).toBeLessThan(kinds.indexOf('NetworkAttachmentDefinition'));
  });

  test('an intent with a Whereabouts network gets 0001-whereabouts between Multus and the networks', () => {
    // GIVEN the seed-faithful example (two Whereabouts networks)  WHEN
    const out = path.join(tmp(), 'dist');
    const files = synthManifests(seedFaithfulIntent(), out);
    // THEN the same numbers as without it, plus 0001
    expect(files).toEqual(['0000-multus.k8s.yaml', '0001-whereabouts.k8s.yaml', '0002-networks.k8s.yaml', '0003-workloads.k8s.yaml']);
    expect(fs.readFileSync(path.join(out, '0001-whereabouts.k8s.yaml'), 'utf8')).toContain('kind: DaemonSet');
  });

  test('the Multus daemon config resolves Calico by name, waits for its config file and caps connections', () => {
    // GIVEN the emitted manifests of the default intent
    const out = path.join(tmp(), 'dist');
    synthManifests(defaultIntent(), out);
    const objects = parseAllDocuments(fs.readFileSync(path.join(out, '0000-multus.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'multus-daemon-config');
    // WHEN
    const config = JSON.parse(cm.data['daemon-config.json']);
    // THEN by name, never by a .conflist path (#1449: the path route strips Calico's kubeconfig from DEL)
    expect(config.clusterNetwork).toBe('k8s-pod-network');
    expect(config).not.toHaveProperty('confDir');
    expect(config.readinessindicatorfile).toBe('/host/etc/cni/net.d/10-calico.conflist');
    expect(config.connectionLimit).toBe(VERSIONS.multus.connectionLimit);
    expect(config.connectionLimit).toBeGreaterThan(0);
  });

  test('a cluster network other than Calico can be passed (the local cluster)', () => {
    const out = path.join(tmp(), 'dist');
    synthManifests(defaultIntent(), out, {}, { clusterNetwork: { name: 'box-net', configFile: '10-box.conflist' } });
    const config = JSON.parse(parseAllDocuments(fs.readFileSync(path.join(out, '0000-multus.k8s.yaml'), 'utf8')).map((d) => d.toJS())
      .find((o) => o.kind === 'ConfigMap').data['daemon-config.json']);
    expect(config).toMatchObject({ clusterNetwork: 'box-net', readinessindicatorfile: '/host/etc/cni/net.d/10-box.conflist' });
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
