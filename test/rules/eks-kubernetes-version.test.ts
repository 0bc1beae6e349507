import { eksKubernetesVersionRule as rule } from '../../lib/rules/eks-kubernetes-version';
import { eks, findingsFor } from '../util/intent';

describe('multinic:EksKubernetesVersion', () => {
  test.each(['1.33.5', '1.34.1', '1.37.2'])('fires for %s under eks', (v) => {
    const found = findingsFor(eks((i) => { i.spec.cluster.kubernetesVersion = v; }), rule.id);
    expect(found.map((f) => f.path)).toEqual(['spec.cluster.kubernetesVersion']);
    expect(found[0].message).toContain('(supported: 1.35, 1.36)');
  });

  test.each(['1.35.9', '1.36.5'])('does not fire for %s', (v) => {
    expect(findingsFor(eks((i) => { i.spec.cluster.kubernetesVersion = v; }), rule.id)).toEqual([]);
  });

  test('does not fire under kubeadm, whatever the version', () => {
    expect(findingsFor((i) => { i.spec.cluster.kubernetesVersion = '1.33.5'; }, rule.id)).toEqual([]);
  });
});
