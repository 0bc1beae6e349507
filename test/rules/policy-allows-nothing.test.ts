import { policyAllowsNothingRule as rule } from '../../lib/rules/policy-allows-nothing';
import { findingsFor, type Mutate, network, pathsAndMessages } from '../util/intent';

describe('multinic:PolicyAllowsNothing', () => {
  test('GIVEN a rule with peers but no ports and no icmp THEN a warning at the rule', () => {
    const found = findingsFor((i) => { network(i, 1).ingress = [{ from: [{ pods: { app: 'ubuntu' } }] }]; }, rule.id);
    expect(pathsAndMessages(found)).toEqual([{
      path: 'spec.networks[1].ingress[0]',
      message: 'spec.networks[1].ingress[0]: rule of network "dcjeon/whereabouts-eth1-conf" has no ports and no icmp: it admits nothing',
    }]);
    expect(found[0].level).toBe('warning');
  });

  test.each<[string, Mutate]>([
    ['a port', (i) => { network(i, 1).ingress = [{ from: [{ pods: { app: 'ubuntu' } }], ports: [{ port: 80 }] }]; }],
    ['icmp only', (i) => { network(i, 1).ingress = [{ from: [{ pods: { app: 'ubuntu' } }], icmp: true }]; }],
    ['no rule at all (closed on purpose)', () => undefined],
  ])('does not warn with %s', (_what, mutate) => {
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
