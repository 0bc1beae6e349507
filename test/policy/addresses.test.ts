import type { NetworkIntentInput } from '../../lib/intent/types';
import { validateText } from '../../lib/intent/validate';
import { podAddresses } from '../../lib/policy/addresses';
import { baseIntent, type Mutate, network, yamlOf } from '../util/intent';

function addressesOf(mutate: Mutate, n: number): string[] | undefined {
  const i: NetworkIntentInput = baseIntent();
  mutate(i);
  const r = validateText(yamlOf(i));
  if (!r.model) throw new Error(r.findings.map((f) => f.message).join('\n'));
  return podAddresses(r.model, r.model.networks[n])?.map(String);
}

describe('podAddresses', () => {
  test('GIVEN host-local .200-.216 THEN exactly those addresses', () => {
    expect(addressesOf(() => undefined, 0)).toEqual(['192.168.1.200/29', '192.168.1.208/29', '192.168.1.216/32']);
  });
  test('GIVEN whereabouts over a whole /24 minus a /30 THEN the /24 without the /30 (network and broadcast are no sources)', () => {
    expect(addressesOf(() => undefined, 1)).toEqual(['10.4.128.4/30', '10.4.128.8/29', '10.4.128.16/28', '10.4.128.32/27', '10.4.128.64/26', '10.4.128.128/25']);
  });
  test('GIVEN eni-prefix THEN the subnet of the master ENI (prefixes are delegated from it)', () => {
    expect(addressesOf((i) => { network(i, 1).ipam = { type: 'eni-prefix' }; }, 1)).toEqual(['10.0.128.0/24']);
  });
  test('GIVEN static addresses THEN each address', () => {
    expect(addressesOf((i) => { network(i, 0).ipam = { type: 'static', addresses: [{ address: '10.9.0.5/24' }, { address: '10.9.0.6/24' }] }; }, 0))
      .toEqual(['10.9.0.5/32', '10.9.0.6/32']);
  });
  test('GIVEN DHCP on ipvlan THEN unknown', () => {
    expect(addressesOf((i) => { network(i, 1).ipam = { type: 'dhcp' }; }, 1)).toBeUndefined();
  });
  test('GIVEN DHCP on a host-device ENI THEN the ENI subnet (the VPC DHCP server hands out its addresses)', () => {
    expect(addressesOf((i) => { specNetworksHostDevice(i); }, 1)).toEqual(['10.0.128.0/24']);
  });
});

function specNetworksHostDevice(i: NetworkIntentInput): void {
  const n = network(i, 1);
  (i.spec.networks as unknown[])[1] = { name: n.name, namespace: n.namespace, type: 'host-device', device: 'multus0', ipam: { type: 'dhcp' } };
}
