import { policyPortNotServedRule as rule } from '../../lib/rules/policy-port-not-served';
import { findingsFor, type Mutate, network, pathsAndMessages } from '../util/intent';

const from = [{ pods: { app: 'ubuntu' } }];

describe('multinic:PolicyPortNotServed', () => {
  test('GIVEN port 8080 where the only workload serves 80 THEN a warning naming both', () => {
    const found = findingsFor((i) => { network(i, 1).ingress = [{ from, ports: [{ port: 80 }, { port: 8080 }] }]; }, rule.id);
    expect(pathsAndMessages(found)).toEqual([{
      path: 'spec.networks[1].ingress[0].ports[1]',
      message: 'spec.networks[1].ingress[0].ports[1]: TCP 8080 on network "dcjeon/whereabouts-eth1-conf" is served by none of dcjeon/ubuntu-whereabouts-deploy (their container.ports: 80)',
    }]);
  });

  test('GIVEN a rule limited to pods that do not serve the port THEN a warning (another workload serving it does not count)', () => {
    const found = findingsFor((i) => { network(i, 0).ingress = [{ from: [{ pods: {} }], ports: [{ port: 80 }] }]; }, rule.id);
    expect(found.map((f) => f.path)).toEqual(['spec.networks[0].ingress[0].ports[0]']);
  });

  test.each<[string, Mutate]>([
    ['a range that contains the served port', (i) => { network(i, 1).ingress = [{ from, ports: [{ port: 70, endPort: 90 }] }]; }],
    ['every port of a protocol', (i) => { network(i, 1).ingress = [{ from, ports: [{ protocol: 'UDP' }] }]; }],
    ['a rule whose pods select nothing (PolicyPeerSelectsNothing says so)', (i) => { network(i, 1).ingress = [{ pods: { app: 'nope' }, from, ports: [{ port: 1 }] }]; }],
  ])('does not warn for %s', (_what, mutate) => {
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
