import type { NetworkIntentInput } from '../../lib/intent/types';
import { mtuAboveVpcRule as rule } from '../../lib/rules/mtu-above-vpc';
import { findingsFor, network, pathsAndMessages, specOf } from '../util/intent';

const mtu = (i: NetworkIntentInput, n: number, value: number) => Object.assign(network(i, n), { mtu: value });

describe('multinic:MtuAboveVpc', () => {
  test.each<[string, (i: NetworkIntentInput) => void, string]>([
    ['an ipvlan network one above a 1500 VPC', (i) => { i.spec.vpc.mtu = 1500; mtu(i, 1, 1501); }, 'spec.networks[1].mtu: mtu 1501 is above the VPC MTU 1500'],
    ['an ipvlan network at jumbo 9216 in a 9001 VPC', (i) => mtu(i, 0, 9216), 'spec.networks[0].mtu: mtu 9216 is above the VPC MTU 9001'],
    ['a bridge network above the VPC', (i) => {
      i.spec.vpc.mtu = 1500;
      const { name, namespace, ipam } = network(i, 1);
      specOf(i).networks[1] = { name, namespace, type: 'bridge', bridge: 'br0', mtu: 9000, ipam };
    }, 'spec.networks[1].mtu: mtu 9000 is above the VPC MTU 1500'],
  ])('fires for %s', (_what, mutate, message) => {
    // WHEN the intent is validated
    const found = findingsFor(mutate, rule.id);
    // THEN the network MTU is reported next to the VPC's
    expect(pathsAndMessages(found)).toEqual([{ path: message.split(':')[0], message }]);
    expect(found[0].level).toBe('error');
  });

  test.each<[string, (i: NetworkIntentInput) => void]>([
    ['no mtu is set (the master\'s is used)', () => undefined],
    ['the mtu equals the VPC MTU', (i) => mtu(i, 1, 9001)],
    ['the mtu is below the VPC MTU', (i) => { i.spec.vpc.mtu = 1500; mtu(i, 1, 1450); }],
  ])('does not fire when %s', (_what, mutate) => {
    // THEN nothing is reported
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
