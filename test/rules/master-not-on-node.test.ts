import type { NetworkIntentInput } from '../../lib/intent/types';
import { masterNotOnNodeRule as rule } from '../../lib/rules/master-not-on-node';
import { findingsFor, network, pathsAndMessages, specOf } from '../util/intent';

const setMaster = (i: NetworkIntentInput, n: number, master: string) => Object.assign(network(i, n), { master });

describe('multinic:MasterNotOnAnyNode', () => {
  test('fires for a typo, suggesting the carried interface', () => {
    // GIVEN network 1 over multus1; the workers carry multus0
    // WHEN the intent is validated
    const found = findingsFor((i) => setMaster(i, 1, 'multus1'), rule.id);
    // THEN the master is reported with a did-you-mean and the carried names
    expect(pathsAndMessages(found)).toEqual([{
      path: 'spec.networks[1].master',
      message: 'spec.networks[1].master: no node group carries interface "multus1"; did you mean "multus0"? Node interfaces: multus0',
    }]);
    expect(found[0].fix).toBe('Change it to "multus0".');
  });

  test('fires for the seed\'s eth1, naming the interfaces the nodes do carry', () => {
    // GIVEN network 1 over the seed's eth1 (the notes' pods landed on a node without it)
    const found = findingsFor((i) => setMaster(i, 1, 'eth1'), rule.id);
    // THEN the master is reported, with the carried names and the general fix
    expect(found.map((f) => f.path)).toEqual(['spec.networks[1].master']);
    expect(found[0].message).toMatch(/^spec\.networks\[1\]\.master: no node group carries interface "eth1"\W+Node interfaces: multus0$/);
    expect(found[0].fix).toBe(rule.fix);
  });

  // Without a did-you-mean the message still reads as two sentences.
  test('separates the sentences when there is no did-you-mean', () => {
    const found = findingsFor((i) => setMaster(i, 1, 'eth1'), rule.id);
    expect(found[0].message).toBe('spec.networks[1].master: no node group carries interface "eth1". Node interfaces: multus0');
  });

  test('fires for a host-device device, at the device field', () => {
    // GIVEN network 1 moving multus9 (a typo) into the pod
    const found = findingsFor((i) => {
      const { name, namespace, ipam } = network(i, 1);
      specOf(i).networks[1] = { name, namespace, type: 'host-device', device: 'multus9', ipam };
    }, rule.id);
    // THEN the device field is named
    expect(found.map((f) => [f.path, f.fix])).toEqual([['spec.networks[1].device', 'Change it to "multus0".']]);
  });

  test('says when no node group carries any secondary interface', () => {
    // GIVEN workers without secondary interfaces
    const found = findingsFor((i) => { i.spec.nodeGroups[1].interfaces = []; }, rule.id);
    // THEN every network over multus0 is reported, with what to do
    expect(found.map((f) => f.path)).toEqual(['spec.networks[0].master', 'spec.networks[1].master']);
    expect(found[0].message).toMatch(/Node interfaces: \(none: add interfaces to a node group\)$/);
  });

  test.each<[string, (i: NetworkIntentInput) => void]>([
    ['the workers carry the master', () => undefined],
    ['only the control plane carries the master', (i) => {
      i.spec.nodeGroups[0].interfaces = [{ name: 'cp0', subnet: 'multus-a' }];
      setMaster(i, 1, 'cp0');
    }],
    ['a bridge network has no master', (i) => {
      const { name, namespace, ipam } = network(i, 1);
      specOf(i).networks[1] = { name, namespace, type: 'bridge', bridge: 'br0', ipam };
    }],
  ])('does not fire when %s', (_what, mutate) => {
    // THEN nothing is reported
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
