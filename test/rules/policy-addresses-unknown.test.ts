import { policyAddressesUnknownRule as rule } from '../../lib/rules/policy-addresses-unknown';
import { findingsFor, type Mutate, network, pathsAndMessages } from '../util/intent';

const dhcp: Mutate = (i) => { network(i, 1).ipam = { type: 'dhcp' }; };

describe('multinic:PolicyAddressesUnknown', () => {
  test.each<[string, Mutate]>([
    ['icmp', (i) => { dhcp(i); network(i, 1).ingress = [{ from: [{ cidr: '10.0.0.0/8' }], icmp: true }]; }],
    ['a pod peer', (i) => { dhcp(i); network(i, 1).ingress = [{ from: [{ pods: { app: 'ubuntu' } }], ports: [{ port: 80 }] }]; }],
  ])('GIVEN a DHCP ipvlan network admitting %s THEN a warning at its ipam', (_what, mutate) => {
    const found = findingsFor(mutate, rule.id);
    expect(pathsAndMessages(found)).toEqual([{
      path: 'spec.networks[1].ipam.type',
      message: 'spec.networks[1].ipam.type: network "dcjeon/whereabouts-eth1-conf" admits pod peers or ICMP, but its pods\' addresses (dhcp) are not known to multinic',
    }]);
  });

  test.each<[string, Mutate]>([
    ['a DHCP network admitting only CIDR peers on ports', (i) => { dhcp(i); network(i, 1).ingress = [{ from: [{ cidr: '10.0.0.0/8' }], ports: [{ port: 80 }] }]; }],
    ['a whereabouts network admitting ICMP', (i) => { network(i, 1).ingress = [{ from: [{ pods: { app: 'ubuntu' } }], icmp: true }]; }],
  ])('does not warn for %s', (_what, mutate) => {
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
