import { eksPodCapacityRule as rule } from '../../lib/rules/eks-pod-capacity';
import { eks, findingsFor, specOf } from '../util/intent';

describe('multinic:EksPodCapacity', () => {
  test('fires when the workloads and CoreDNS need more VPC CNI addresses than the workers have', () => {
    // GIVEN two m6i.large workers (3 ENIs of 10 IPv4) with one Multus ENI each: 2 x 9 pod addresses per node
    const found = findingsFor(eks((i) => { specOf(i).workloads[1] = { ...specOf(i).workloads[1], kind: 'Deployment', replicas: 40 }; }), rule.id);
    // THEN the count and the capacity per group are named
    expect(found.map((f) => f.message)).toEqual(['spec.nodeGroups: 43 pods (the workloads and 2 CoreDNS) need VPC CNI addresses, but the workers have 36 (workers: 2 x 18 on 2 ENIs)']);
  });

  test('a second Multus ENI halves what is left for the VPC CNI', () => {
    const found = findingsFor(eks((i) => {
      specOf(i).subnets.push({ name: 'multus-b', cidr: '10.0.129.0/24', zone: 'a' });
      specOf(i).nodeGroups[0].interfaces?.push({ name: 'multus1', subnet: 'multus-b' });
      specOf(i).workloads[1] = { ...specOf(i).workloads[1], kind: 'Deployment', replicas: 17 };
    }), rule.id);
    expect(found.map((f) => f.message)).toEqual(['spec.nodeGroups: 20 pods (the workloads and 2 CoreDNS) need VPC CNI addresses, but the workers have 18 (workers: 2 x 9 on 1 ENI)']);
  });

  test('does not fire within capacity, nor under kubeadm (Calico addresses pods from podCidr)', () => {
    expect(findingsFor(eks(), rule.id)).toEqual([]);
    expect(findingsFor((i) => { specOf(i).workloads[1] = { ...specOf(i).workloads[1], kind: 'Deployment', replicas: 400 }; }, rule.id)).toEqual([]);
  });
});
