import type { NetworkIntentInput } from '../../lib/intent/types';
import { macvlanOnEniRule as rule } from '../../lib/rules/macvlan-on-eni';
import { findingsFor, network, pathsAndMessages, specOf } from '../util/intent';

/** Makes network `n` a macvlan network over `master`. */
const macvlan = (i: NetworkIntentInput, n: number, master: string) => {
  const { name, namespace, ipam } = network(i, n);
  specOf(i).networks[n] = { name, namespace, type: 'macvlan', master, mode: 'bridge', ipam };
};

describe('multinic:MacvlanOnEni', () => {
  test('fires for the seed\'s macvlan over the secondary ENI', () => {
    // GIVEN network 1 as macvlan (bridge mode) over multus0, which the workers carry
    // WHEN the intent is validated
    const found = findingsFor((i) => macvlan(i, 1, 'multus0'), rule.id);
    // THEN the plugin type is reported, with why and the fix
    expect(pathsAndMessages(found)).toEqual([{
      path: 'spec.networks[1].type',
      message: 'spec.networks[1].type: macvlan over ENI "multus0" cannot carry traffic between nodes: the VPC drops frames from MAC addresses it does not know',
    }]);
    expect(found[0].fix).toBe('Change type to ipvlan (mode: l2): its pods share the ENI\'s MAC address.');
  });

  test('fires when only the control plane carries the master', () => {
    // GIVEN the master moved to the control-plane group
    const found = findingsFor((i) => {
      i.spec.nodeGroups[0].interfaces = [{ name: 'cp0', subnet: 'multus-a' }];
      macvlan(i, 1, 'cp0');
    }, rule.id);
    // THEN it is still an ENI
    expect(found.map((f) => f.path)).toEqual(['spec.networks[1].type']);
  });

  test.each<[string, (i: NetworkIntentInput) => void]>([
    ['ipvlan over the ENI', () => undefined],
    ['macvlan over an interface no node group carries (MasterNotOnAnyNode reports that)', (i) => macvlan(i, 1, 'eth1')],
    ['macvlan over the ENI on a network that accepts any MAC (spec.platform generic)', (i) => { macvlan(i, 1, 'multus0'); specOf(i).platform = 'generic'; }],
  ])('does not fire for %s', (_what, mutate) => {
    // THEN nothing is reported
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
