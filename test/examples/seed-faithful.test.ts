import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateText } from '../../lib/intent/validate';

const FILE = join(__dirname, '..', '..', 'examples', 'seed-faithful.yaml');

describe('examples/seed-faithful.yaml', () => {
  const result = validateText(readFileSync(FILE, 'utf8'), 'examples/seed-faithful.yaml');
  const notRoutable = result.findings.filter((f) => f.id === 'multinic:NotRoutableBetweenNodes');

  test('keeps the seed\'s networks, names and namespaces', () => {
    const text = readFileSync(FILE, 'utf8');
    for (const name of ['ipvlan-conf', 'whereabouts-eth1-conf', 'ipvlan-whereabouts-net-attach-def']) expect(text).toContain(`name: ${name}`);
    for (const ns of ['namespace: default', 'namespace: dcjeon', 'namespace: redhet-demo']) expect(text).toContain(ns);
  });

  test('shows its finding: the three seed networks do not work between nodes on AWS', () => {
    expect(notRoutable.map((f) => f.message).join('\n')).toMatch(/ipvlan-conf/);
    expect(notRoutable.map((f) => f.message).join('\n')).toMatch(/whereabouts-eth1-conf/);
    expect(notRoutable.map((f) => f.message).join('\n')).toMatch(/ipvlan-whereabouts-net-attach-def/);
    expect(notRoutable.map((f) => f.message).join('\n')).not.toMatch(/routable-net/);
  });
});
