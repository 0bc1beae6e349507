import { duplicateNameRule as rule } from '../../lib/rules/duplicate-name';
import { baseIntent, findingsFor, type Mutate, pathsAndMessages, specOf } from '../util/intent';

const copy = <T>(x: T): T => structuredClone(x);

describe('multinic:DuplicateName', () => {
  test.each<[string, Mutate, string, string]>([
    ['two subnets share a name', (i) => { specOf(i).subnets.push({ name: 'multus-a', cidr: '10.0.129.0/24', zone: 'b' }); },
      'spec.subnets[1].name', '"multus-a" is already defined at spec.subnets[0]'],
    ['two node groups share a name', (i) => { i.spec.nodeGroups[1].name = 'control-plane'; },
      'spec.nodeGroups[1].name', '"control-plane" is already defined at spec.nodeGroups[0]'],
    ['two networks share namespace and name', (i) => { specOf(i).networks.push(copy(specOf(i).networks[0])); },
      'spec.networks[2].name', '"default/ipvlan-conf" is already defined at spec.networks[0]'],
    ['two Pods share namespace and name', (i) => { specOf(i).workloads.push(copy(specOf(i).workloads[0])); },
      'spec.workloads[2].name', '"default/multus-sample-pod" is already defined at spec.workloads[0]'],
    ['two Services share namespace and name', (i) => { specOf(i).services.push(copy(specOf(i).services[0])); },
      'spec.services[1].name', '"dcjeon/ubuntu-svc" is already defined at spec.services[0]'],
    ['two ConfigMaps share namespace and name', (i) => { specOf(i).configMaps.push(copy(specOf(i).configMaps[0])); },
      'spec.configMaps[1].name', '"dcjeon/ubuntu-html" is already defined at spec.configMaps[0]'],
    ['one node group carries an interface name twice', (i) => { i.spec.nodeGroups[1].interfaces!.push({ name: 'multus0', subnet: 'multus-a' }); },
      'spec.nodeGroups[1].interfaces[1].name', 'interface "multus0" is already defined at spec.nodeGroups[1].interfaces[0]'],
  ])('fires when %s', (_what, mutate, path, message) => {
    // WHEN the intent is validated
    const found = findingsFor(mutate, rule.id);
    // THEN the second entry is reported, pointing at the first
    expect(pathsAndMessages(found)).toEqual([{ path, message: `${path}: ${message}` }]);
    expect(found[0].level).toBe('error');
  });

  test.each<[string, Mutate]>([
    ['two networks share a name in different namespaces', (i) => { specOf(i).networks[1].name = 'ipvlan-conf'; specOf(i).workloads[1].networks = ['ipvlan-conf']; }],
    ['a Pod and a Deployment share namespace and name (different kinds)', (i) => {
      specOf(i).workloads.push({ ...copy(baseIntent().spec.workloads![1]), name: 'multus-sample-pod', namespace: 'default', networks: [] });
    }],
    ['two node groups carry the same interface name', (i) => { i.spec.nodeGroups[0].interfaces = [{ name: 'multus0', subnet: 'multus-a' }]; }],
    ['two ConfigMaps share a name in different namespaces', (i) => { specOf(i).configMaps.push({ ...copy(specOf(i).configMaps[0]), namespace: 'default' }); }],
  ])('does not fire when %s', (_what, mutate) => {
    // THEN nothing is reported
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
