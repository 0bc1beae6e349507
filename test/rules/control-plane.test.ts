import { controlPlaneRule as rule } from '../../lib/rules/control-plane';
import { findingsFor, type Mutate } from '../util/intent';

describe('multinic:ControlPlane', () => {
  test.each<[string, Mutate, Array<[string, string, string]>]>([
    ['no group is the control plane', (i) => { i.spec.nodeGroups[0].role = 'worker'; },
      [['spec.nodeGroups', 'spec.nodeGroups: no node group has role control-plane', rule.fix]]],
    ['the control plane has three nodes', (i) => { i.spec.nodeGroups[0].count = 3; },
      [['spec.nodeGroups[0].count', 'spec.nodeGroups[0].count: control plane count 3; exactly 1 is supported', 'Set count: 1.']]],
    ['every group is a control plane', (i) => { i.spec.nodeGroups[1].role = 'control-plane'; i.spec.nodeGroups[1].count = 1; },
      [['spec.nodeGroups[1].role', 'spec.nodeGroups[1].role: a second control-plane group (spec.nodeGroups[0] is the first)', rule.fix],
        ['spec.nodeGroups', 'spec.nodeGroups: no node group has role worker', 'Add a node group with role: worker.']]],
    ['there is no worker group', (i) => { i.spec.nodeGroups.pop(); },
      [['spec.nodeGroups', 'spec.nodeGroups: no node group has role worker', 'Add a node group with role: worker.']]],
  ])('fires when %s', (_what, mutate, expected) => {
    // WHEN the intent is validated
    const found = findingsFor(mutate, rule.id);
    // THEN each problem is reported where it is, with its own fix
    expect(found.map((f) => [f.path, f.message, f.fix])).toEqual(expected);
  });

  test.each<[string, Mutate]>([
    ['one control plane of one node and one worker of one node', (i) => { i.spec.nodeGroups[1].count = 1; }],
    ['several worker groups', (i) => { i.spec.nodeGroups.push({ ...i.spec.nodeGroups[1], name: 'workers-b' }); }],
    ['the control plane group comes last', (i) => { i.spec.nodeGroups.reverse(); }],
  ])('does not fire with %s', (_what, mutate) => {
    // THEN nothing is reported
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
