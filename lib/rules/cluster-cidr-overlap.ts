import { Ipv4Cidr } from '../net/ipv4';
import { finding, type Finding, type IntentPath, type Rule } from './types';

export const clusterCidrOverlapRule: Rule = {
  id: 'multinic:ClusterCidrOverlap',
  level: 'error',
  summary: 'The pod CIDR, the service CIDR and the VPC overlap each other.',
  why: 'Nodes route pod or service traffic into the VPC (or the other way round): connections silently go to the wrong place.',
  fix: 'Choose pod, service and VPC blocks that do not overlap (e.g. pods 172.16.0.0/16, services 10.96.0.0/12, VPC 10.0.0.0/16).',
  check(intent) {
    // With flavour eks the VPC CNI gives pods VPC addresses: podCidr is not used, so it cannot collide.
    const entries: Array<[IntentPath, string, string]> = [
      [['spec', 'vpc', 'cidr'], 'the VPC', intent.spec.vpc.cidr],
      ...(intent.spec.cluster.flavour === 'eks' ? [] : [[['spec', 'cluster', 'podCidr'], 'the pod CIDR', intent.spec.cluster.podCidr] as [IntentPath, string, string]]),
      [['spec', 'cluster', 'serviceCidr'], 'the service CIDR', intent.spec.cluster.serviceCidr],
    ];
    const parsed = entries.map(([p, what, v]) => ({ p, what, c: Ipv4Cidr.tryParse(v) }));
    const findings: Finding[] = [];
    parsed.forEach((a, i) => {
      for (let j = 0; j < i; j++) {
        const b = parsed[j];
        if (typeof a.c !== 'string' && typeof b.c !== 'string' && a.c.overlaps(b.c)) {
          findings.push(finding(this, a.p, `${a.c} overlaps ${b.what} ${b.c}`));
        }
      }
    });
    return findings;
  },
};
