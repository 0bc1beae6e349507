process.env.CDK_VALIDATION = 'false';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readManifests } from '../../../infra/eks/manifests';
import { MultinicError } from '../../../lib/errors';
import { eksIntent, manifestsFor } from './util';

describe('readManifests', () => {
  test('the charts\' files in file order, every YAML document an object, nothing else', () => {
    // GIVEN the charts' output for the eks intent
    const dir = manifestsFor(eksIntent());
    fs.writeFileSync(path.join(dir, 'PLAN.md'), '# not a manifest\n');
    // WHEN it is read
    const read = readManifests(dir);
    // THEN the chart files come in apply order (no 0001-whereabouts: no network uses it), with as many objects as the
    // files have documents
    expect(read.map((r) => r.file)).toEqual(['0000-multus.k8s.yaml', '0002-networks.k8s.yaml', '0003-workloads.k8s.yaml']);
    for (const r of read) {
      const docs = fs.readFileSync(path.join(dir, r.file), 'utf8').split(/^---$/m).filter((d) => d.trim() !== '').length;
      expect(r.objects).toHaveLength(docs);
      for (const o of r.objects) expect(typeof o.kind).toBe('string');
    }
    expect(read[0].objects.some((o) => o.kind === 'CustomResourceDefinition')).toBe(true);
  });

  test('an empty directory is a clear error, not an empty cluster', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-empty-'));
    expect(() => readManifests(dir)).toThrow(MultinicError);
    expect(() => readManifests(dir)).toThrow(/holds no \*\.k8s\.yaml manifests/);
  });
});
