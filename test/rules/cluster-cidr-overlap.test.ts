import { clusterCidrOverlapRule as rule } from '../../lib/rules/cluster-cidr-overlap';
import { findingsFor, type Mutate, pathsAndMessages } from '../util/intent';

describe('multinic:ClusterCidrOverlap', () => {
  test.each<[string, Mutate, string, string]>([
    ['the pod CIDR is the VPC', (i) => { i.spec.cluster.podCidr = '10.0.0.0/16'; },
      'spec.cluster.podCidr', 'spec.cluster.podCidr: 10.0.0.0/16 overlaps the VPC 10.0.0.0/16'],
    ['the pod CIDR lies inside the VPC', (i) => { i.spec.cluster.podCidr = '10.0.192.0/18'; },
      'spec.cluster.podCidr', 'spec.cluster.podCidr: 10.0.192.0/18 overlaps the VPC 10.0.0.0/16'],
    ['the service CIDR lies inside the pod CIDR', (i) => { i.spec.cluster.serviceCidr = '172.16.240.0/20'; },
      'spec.cluster.serviceCidr', 'spec.cluster.serviceCidr: 172.16.240.0/20 overlaps the pod CIDR 172.16.0.0/16'],
    ['the service CIDR contains the VPC', (i) => { i.spec.cluster.serviceCidr = '10.0.0.0/8'; },
      'spec.cluster.serviceCidr', 'spec.cluster.serviceCidr: 10.0.0.0/8 overlaps the VPC 10.0.0.0/16'],
  ])('fires when %s', (_what, mutate, path, message) => {
    // GIVEN the base intent with overlapping cluster blocks
    // WHEN it is validated
    const found = findingsFor(mutate, rule.id);
    // THEN the later block of the pair is reported, naming both
    expect(pathsAndMessages(found)).toEqual([{ path, message }]);
    expect(found[0].level).toBe('error');
    expect(found[0].fix).toBe(rule.fix);
  });

  test('reports each overlapping pair once', () => {
    // GIVEN pods and services both inside the VPC
    const found = findingsFor((i) => { i.spec.cluster.podCidr = '10.0.0.0/17'; i.spec.cluster.serviceCidr = '10.0.128.0/17'; }, rule.id);
    // THEN two findings: pods vs VPC, services vs VPC (pods and services are disjoint)
    expect(found.map((f) => f.message)).toEqual([
      'spec.cluster.podCidr: 10.0.0.0/17 overlaps the VPC 10.0.0.0/16',
      'spec.cluster.serviceCidr: 10.0.128.0/17 overlaps the VPC 10.0.0.0/16',
    ]);
  });

  test.each<[string, Mutate]>([
    ['the pod CIDR starts right after the VPC', (i) => { i.spec.cluster.podCidr = '10.1.0.0/16'; }],
    ['the pod CIDR ends right before the VPC', (i) => { i.spec.vpc.cidr = '10.1.0.0/16'; i.spec.cluster.podCidr = '10.0.0.0/16'; }],
    ['the service CIDR is next to the pod CIDR', (i) => { i.spec.cluster.serviceCidr = '172.17.0.0/16'; }],
    // aws-cdk's regression: compared as text, 10.0.2.0/23 and 10.0.20.0/24 look overlapping
    ['blocks only look alike as text', (i) => { i.spec.vpc.cidr = '10.0.2.0/23'; i.spec.cluster.podCidr = '10.0.20.0/24'; }],
    ['a block does not parse (InvalidAddress reports it)', (i) => { i.spec.cluster.podCidr = '10.0.0.0/33'; }],
  ])('does not fire when %s', (_what, mutate) => {
    // WHEN the intent is validated
    // THEN this rule stays silent
    expect(findingsFor(mutate, rule.id)).toEqual([]);
  });
});
