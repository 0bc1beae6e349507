import { Ipv4Cidr } from '../net/ipv4';
import { finding, type Rule } from './types';

/** The blocks EKS accepts a `serviceIpv4Cidr` from (EKS API, KubernetesNetworkConfigRequest). */
export const EKS_SERVICE_CIDR_BLOCKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] as const;

export const eksServiceCidrRule: Rule = {
  id: 'multinic:EksServiceCidr',
  level: 'error',
  summary: 'With flavour eks, the service CIDR is not one EKS accepts (inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, /12 to /24).',
  why: 'EKS rejects the cluster at creation (CloudFormation fails after the VPC is built) when serviceIpv4Cidr is outside those blocks or its prefix is outside /12../24.',
  fix: 'Choose a /12 to /24 block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 that does not overlap the VPC, e.g. 10.96.0.0/12 or 172.20.0.0/16.',
  flavours: ['eks'],
  check(intent) {
    const c = Ipv4Cidr.tryParse(intent.spec.cluster.serviceCidr);
    if (typeof c === 'string') return []; // InvalidAddress reports it
    const inside = EKS_SERVICE_CIDR_BLOCKS.some((b) => Ipv4Cidr.parse(b).containsCidr(c));
    if (inside && c.prefix >= 12 && c.prefix <= 24) return [];
    const what = inside ? `prefix /${c.prefix} is outside /12../24` : `it is not inside ${EKS_SERVICE_CIDR_BLOCKS.join(', ')}`;
    return [finding(this, ['spec', 'cluster', 'serviceCidr'], `${c} is not a service CIDR EKS accepts: ${what}`)];
  },
};
