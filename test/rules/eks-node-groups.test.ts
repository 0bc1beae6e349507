import { eksNodeGroupsRule as rule } from '../../lib/rules/eks-node-groups';
import { eks, findingsFor } from '../util/intent';

describe('multinic:EksNodeGroups', () => {
  test('fires for a control-plane group under eks, at its role', () => {
    const found = findingsFor(eks((i) => { i.spec.nodeGroups.unshift({ name: 'cp', role: 'control-plane', instanceType: 'm6i.large', count: 1 }); }), rule.id);
    expect(found.map((f) => [f.path, f.message, f.fix])).toEqual([[
      'spec.nodeGroups[0].role', 'spec.nodeGroups[0].role: node group cp is a control plane, but with flavour eks EKS runs the control plane',
      'Remove node group cp, or set spec.cluster.flavour: kubeadm.',
    ]]);
  });

  test('fires when no group is a worker', () => {
    const found = findingsFor(eks((i) => { i.spec.nodeGroups[0].role = 'control-plane'; }), rule.id);
    expect(found.map((f) => f.path)).toEqual(['spec.nodeGroups[0].role', 'spec.nodeGroups']);
  });

  test('does not fire on an eks intent of workers only, nor under kubeadm (multinic:ControlPlane checks that)', () => {
    expect(findingsFor(eks(), rule.id)).toEqual([]);
    expect(findingsFor(() => undefined, rule.id)).toEqual([]);
  });
});
