import { Ipv4Cidr } from '../net/ipv4';
import { finding, type Finding, type Rule } from './types';

export const adminCidrOpenRule: Rule = {
  id: 'multinic:AdminCidrOpen',
  level: 'error',
  summary: 'spec.cluster.adminCidr opens the Kubernetes API to every address (a /0).',
  why: 'The security group would let the whole internet reach port 6443 of the control plane; only the VPC and one admin network should.',
  fix: 'Give the CIDR of your office or VPN, or leave adminCidr out and reach the API through a Session Manager port forward (docs/deploy.md).',
  check(intent) {
    const admin = intent.spec.cluster.adminCidr;
    const c = admin === undefined ? undefined : Ipv4Cidr.tryParse(admin);
    // A CIDR that does not parse is multinic:InvalidAddress's finding.
    if (c === undefined || typeof c === 'string' || c.prefix !== 0) return [];
    const findings: Finding[] = [finding(this, ['spec', 'cluster', 'adminCidr'], `${admin} would open the Kubernetes API to every address`)];
    return findings;
  },
};
