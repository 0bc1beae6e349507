import { securityGroupsPerEniRule as rule } from '../../lib/rules/security-groups-per-eni';
import { findingsFor, network, pathsAndMessages, specOf } from '../util/intent';

const extra = (count: number) => (i: Parameters<typeof network>[0]) => {
  for (let k = 0; k < count; k++) specOf(i).networks.push({ ...network(i, 1), name: `extra-${k}`, ipam: { type: 'whereabouts', range: `10.5.${k}.0/24` } });
};

describe('multinic:SecurityGroupsPerEni', () => {
  test('GIVEN six networks on multus0 THEN a warning at the interface of each group carrying it', () => {
    const found = findingsFor(extra(4), rule.id);
    expect(pathsAndMessages(found)).toEqual([{
      path: 'spec.nodeGroups[1].interfaces[0].name',
      message: 'spec.nodeGroups[1].interfaces[0].name: interface "multus0" of node group "workers" carries 6 networks (default/ipvlan-conf, dcjeon/whereabouts-eth1-conf, dcjeon/extra-0, dcjeon/extra-1, dcjeon/extra-2, dcjeon/extra-3): its ENI needs 6 security groups; the default quota is 5',
    }]);
  });

  test('GIVEN five THEN none', () => {
    expect(findingsFor(extra(3), rule.id)).toEqual([]);
  });
});
