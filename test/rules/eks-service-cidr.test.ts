import { eksServiceCidrRule as rule } from '../../lib/rules/eks-service-cidr';
import { eks, findingsFor } from '../util/intent';

describe('multinic:EksServiceCidr', () => {
  test.each([
    ['100.64.0.0/16', 'it is not inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16'],
    ['10.96.0.0/25', 'prefix /25 is outside /12../24'],
    ['10.0.0.0/8', 'prefix /8 is outside /12../24'],
  ])('fires for %s', (cidr, why) => {
    const found = findingsFor(eks((i) => { i.spec.cluster.serviceCidr = cidr; }), rule.id);
    expect(found.map((f) => f.message)).toEqual([`spec.cluster.serviceCidr: ${cidr} is not a service CIDR EKS accepts: ${why}`]);
  });

  test.each(['10.96.0.0/12', '172.20.0.0/16', '192.168.0.0/24'])('does not fire for %s', (cidr) => {
    expect(findingsFor(eks((i) => { i.spec.cluster.serviceCidr = cidr; }), rule.id)).toEqual([]);
  });

  test('does not fire under kubeadm (kubeadm takes any service CIDR)', () => {
    expect(findingsFor((i) => { i.spec.cluster.serviceCidr = '100.64.0.0/16'; }, rule.id)).toEqual([]);
  });
});
