import type { NetworkIntentInput } from '../../lib/intent/types';
import { eniPrefixPluginRule as rule } from '../../lib/rules/eni-prefix-plugin';
import { findingsFor, network, pathsAndMessages, specOf, type Mutate } from '../util/intent';

const withPrefixes: Mutate = (i) => { specOf(i).nodeGroups[1].interfaces![0].ipv4PrefixCount = 1; };
const asType = (i: NetworkIntentInput, type: 'macvlan' | 'bridge') => {
  const { name, namespace } = network(i, 0);
  specOf(i).networks[0] = type === 'macvlan'
    ? { name, namespace, type, master: 'multus0', mode: 'bridge', ipam: { type: 'eni-prefix' } }
    : { name, namespace, type, bridge: 'cni0', ipam: { type: 'eni-prefix' } };
};

describe('multinic:EniPrefixPlugin', () => {
  test.each<[string, 'macvlan' | 'bridge', string, string]>([
    ['macvlan', 'macvlan', 'network "default/ipvlan-conf" is macvlan: eni-prefix addresses reach other nodes only from ipvlan or host-device, whose frames carry the ENI\'s MAC address', 'Change type to ipvlan (mode: l2).'],
    ['bridge', 'bridge', 'network "default/ipvlan-conf" is bridge: eni-prefix addresses reach other nodes only from ipvlan or host-device, whose frames carry the ENI\'s MAC address', rule.fix],
  ])('fires for eni-prefix on %s', (_what, type, message, fix) => {
    // GIVEN network 0 of that type with eni-prefix IPAM WHEN validated
    const found = findingsFor((i) => { withPrefixes(i); asType(i, type); }, rule.id);
    // THEN
    expect(pathsAndMessages(found)).toEqual([{ path: 'spec.networks[0].ipam.type', message: `spec.networks[0].ipam.type: ${message}` }]);
    expect(found[0].fix).toBe(fix);
  });

  test.each<[string, Mutate]>([
    ['ipvlan', (i) => { withPrefixes(i); network(i, 0).ipam = { type: 'eni-prefix' }; }],
    ['host-device', (i) => { withPrefixes(i); const { name, namespace } = network(i, 0); specOf(i).networks[0] = { name, namespace, type: 'host-device', device: 'multus0', ipam: { type: 'eni-prefix' } }; }],
    ['macvlan on a network that accepts any MAC (spec.platform generic)', (i) => { withPrefixes(i); asType(i, 'macvlan'); specOf(i).platform = 'generic'; }],
  ])('does not fire for %s', (_what, mutate) => {
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
