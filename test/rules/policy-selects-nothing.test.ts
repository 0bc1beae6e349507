import { policyPeerSelectsNothingRule as rule } from '../../lib/rules/policy-selects-nothing';
import { findingsFor, type Mutate, network, pathsAndMessages } from '../util/intent';

const ATTACHED = '(attached: dcjeon/ubuntu-whereabouts-deploy)';

describe('multinic:PolicyPeerSelectsNothing', () => {
  test.each<[string, Mutate, string, string]>([
    ['a typo in a peer label', (i) => { network(i, 1).ingress = [{ from: [{ pods: { app: 'ubunt' } }], icmp: true }]; },
      'spec.networks[1].ingress[0].from[0]', `peer pods app=ubunt in namespace "dcjeon" matches no workload attached to network "dcjeon/whereabouts-eth1-conf" ${ATTACHED}`],
    ['a peer in a namespace without workloads on the network', (i) => { network(i, 1).ingress = [{ from: [{ pods: {}, namespace: 'default' }], icmp: true }]; },
      'spec.networks[1].ingress[0].from[0]', `peer pods * in namespace "default" matches no workload attached to network "dcjeon/whereabouts-eth1-conf" ${ATTACHED}`],
    ['a peer that exists but is not attached to this network', (i) => { network(i, 0).ingress = [{ from: [{ pods: { app: 'ubuntu' }, namespace: 'dcjeon' }], icmp: true }]; },
      'spec.networks[0].ingress[0].from[0]', 'peer pods app=ubuntu in namespace "dcjeon" matches no workload attached to network "default/ipvlan-conf" (attached: default/multus-sample-pod)'],
    ['a rule\'s pods', (i) => { network(i, 1).ingress = [{ pods: { app: 'web' }, from: [{ cidr: '10.0.0.0/8' }], icmp: true }]; },
      'spec.networks[1].ingress[0].pods', `pods app=web matches no workload attached to network "dcjeon/whereabouts-eth1-conf" ${ATTACHED}`],
  ])('warns for %s', (_what, mutate, path, message) => {
    const found = findingsFor(mutate, rule.id);
    expect(pathsAndMessages(found)).toEqual([{ path, message: `${path}: ${message}` }]);
    expect(found[0].level).toBe('warning');
  });

  test.each<[string, Mutate]>([
    ['a peer that matches', (i) => { network(i, 1).ingress = [{ pods: { app: 'ubuntu' }, from: [{ pods: { app: 'ubuntu' }, namespace: 'dcjeon' }], icmp: true }]; }],
    ['a CIDR peer', (i) => { network(i, 1).ingress = [{ from: [{ cidr: '10.0.0.0/8' }], icmp: true }]; }],
  ])('does not warn for %s', (_what, mutate) => {
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
