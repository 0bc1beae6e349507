import * as fs from 'node:fs';
import * as path from 'node:path';
import { exampleFor, MAX_FRAGMENT_LINES } from '../../lib/docs/example';
import { defaultIntentPath } from '../../lib/intent/load';

const DEFAULT_TEXT = fs.readFileSync(defaultIntentPath(), 'utf8');
/** The seed's networks as the notes had them (host-local, Whereabouts). */
const SEED_TEXT = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'seed-faithful.yaml'), 'utf8');

describe('exampleFor', () => {
  test('the enclosing object of the offending value, and the exact finding', () => {
    // GIVEN the seed's misspelt IPAM plugin, with a title comment
    const text = `# A misspelt plugin.\n${SEED_TEXT.replace('type: whereabouts\n        range: 10.4.128.0/24', 'type: whereaboutsss\n        range: 10.4.128.0/24')}`;
    const line = text.split('\n').indexOf('        type: whereaboutsss') + 1;
    // WHEN
    const ex = exampleFor('multinic:UnknownIpamPlugin', text, 'bad.yaml');
    // THEN
    expect(ex).toEqual({
      title: 'A misspelt plugin.', source: 'bad.yaml', fragmentPath: 'spec.networks[1].ipam',
      fragment: 'type: whereaboutsss\nrange: 10.4.128.0/24\nexclude:\n  - 10.4.128.0/30',
      finding: expect.objectContaining({ id: 'multinic:UnknownIpamPlugin', line, column: 15, message: expect.stringContaining('unknown IPAM plugin "whereaboutsss"') }),
    });
  });

  test('an attachment: the whole workload (the list it is in says nothing alone)', () => {
    const ex = exampleFor('multinic:NetworkNotFound', DEFAULT_TEXT.replace('networks: [whereabouts-eth1-conf]', 'networks: [ipvlan-conf]'), 'bad.yaml');
    expect(ex?.fragmentPath).toBe('spec.workloads[1]');
    expect(ex?.fragment.split('\n').slice(0, 3)).toEqual(['kind: Deployment', 'name: ubuntu-whereabouts-deploy', 'namespace: dcjeon']);
  });

  test('YAML that does not parse: the lines around the error', () => {
    const ex = exampleFor('multinic:YamlSyntax', 'a: 1\nb: [\nc: 2\n', 'bad.yaml');
    expect(ex?.fragmentPath).toBe('');
    expect(ex?.fragment.split('\n').length).toBeLessThanOrEqual(5);
    expect(ex?.fragment).toContain('b: [');
  });

  test('a fragment is never longer than the limit', () => {
    // GIVEN a finding on spec.cluster whose parent (spec) is the whole intent
    const ex = exampleFor('multinic:ClusterCidrOverlap', DEFAULT_TEXT.replace('podCidr: 172.16.0.0/16', 'podCidr: 10.0.0.0/16'), 'bad.yaml');
    expect(ex?.fragment.split('\n').length).toBeLessThanOrEqual(MAX_FRAGMENT_LINES);
  });

  test('no finding with that id: undefined', () => {
    expect(exampleFor('multinic:UnknownIpamPlugin', DEFAULT_TEXT, 'ok.yaml')).toBeUndefined();
  });
});
