import { flavourPrimaryCniRule as rule } from '../../lib/rules/flavour-primary-cni';
import { eks, findingsFor } from '../util/intent';

describe('multinic:FlavourPrimaryCni', () => {
  test('fires for Calico under eks, naming the VPC CNI', () => {
    const found = findingsFor(eks((i) => { i.spec.cluster.primaryCni = 'calico'; }), rule.id);
    expect(found.map((f) => [f.path, f.message, f.fix])).toEqual([[
      'spec.cluster.primaryCni', 'spec.cluster.primaryCni: calico is not the cluster network of flavour eks, which uses aws-vpc-cni',
      'Set primaryCni: aws-vpc-cni, or set flavour: kubeadm.',
    ]]);
  });

  test('fires for the VPC CNI under kubeadm (multinic installs only Calico there)', () => {
    const found = findingsFor((i) => { i.spec.cluster.primaryCni = 'aws-vpc-cni'; }, rule.id);
    expect(found.map((f) => f.fix)).toEqual(['Set primaryCni: calico, or set flavour: eks.']);
  });

  test('does not fire when the CNI matches the flavour (the default flavour is kubeadm)', () => {
    expect(findingsFor(() => undefined, rule.id)).toEqual([]);
    expect(findingsFor((i) => { delete i.spec.cluster.flavour; }, rule.id)).toEqual([]);
    expect(findingsFor(eks(), rule.id)).toEqual([]);
  });
});
