import { policyPortRangeRule as rule } from '../../lib/rules/policy-port-range';
import { findingsFor, type Mutate, network, pathsAndMessages } from '../util/intent';

const from = [{ pods: { app: 'ubuntu' } }];

describe('multinic:PolicyPortRange', () => {
  test.each<[string, Mutate, string]>([
    ['a reversed range', (i) => { network(i, 1).ingress = [{ from, ports: [{ port: 90, endPort: 80 }] }]; }, 'endPort 80 is below port 90'],
    ['an endPort without port', (i) => { network(i, 1).ingress = [{ from, ports: [{ endPort: 80 }] }]; }, 'endPort 80 without port'],
  ])('rejects %s', (_what, mutate, message) => {
    const found = findingsFor(mutate, rule.id);
    expect(pathsAndMessages(found)).toEqual([{ path: 'spec.networks[1].ingress[0].ports[0].endPort', message: `spec.networks[1].ingress[0].ports[0].endPort: ${message}` }]);
    expect(found[0].level).toBe('error');
  });

  test('accepts a range of one port', () => {
    expect(findingsFor((i) => { network(i, 1).ingress = [{ from, ports: [{ port: 80, endPort: 80 }] }]; }, rule.id)).toEqual([]);
  });
});
