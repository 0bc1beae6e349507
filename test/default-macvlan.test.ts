/**
 * test/fixtures/cluster/default-macvlan.yaml is the default intent for the local cluster on a kernel without ipvlan
 * (its header says so, the box suites rely on it): the same document but `spec.platform: generic` and every ipvlan
 * network as macvlan in mode bridge. This keeps the two from drifting apart when the default intent changes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const REPO = join(__dirname, '..');
const read = (file: string) => parse(readFileSync(join(REPO, file), 'utf8')) as { spec: Record<string, unknown> & { networks: Array<Record<string, unknown>> } };

describe('test/fixtures/cluster/default-macvlan.yaml', () => {
  test('is network-intent.yaml on platform generic with every ipvlan network as macvlan (mode bridge)', () => {
    // GIVEN the default intent, changed as the header of default-macvlan.yaml says
    const expected = read('network-intent.yaml');
    expected.spec = { platform: 'generic', ...expected.spec };
    for (const n of expected.spec.networks) {
      if (n.type === 'ipvlan') Object.assign(n, { type: 'macvlan', mode: 'bridge' });
    }
    // THEN it is exactly the fixture
    expect(read('test/fixtures/cluster/default-macvlan.yaml')).toEqual(expected);
  });

  test('every network takes per-node ENI prefix addresses, as in the default intent', () => {
    expect(read('test/fixtures/cluster/default-macvlan.yaml').spec.networks.map((n) => (n.ipam as { type: string }).type))
      .toEqual(['eni-prefix', 'eni-prefix', 'eni-prefix', 'eni-prefix']);
  });
});
