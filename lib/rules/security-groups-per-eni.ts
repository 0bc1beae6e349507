import { finding, type Finding, type Rule } from './types';

/** Security groups per network interface, by default (a quota that can be raised to 16). */
export const SECURITY_GROUPS_PER_ENI_QUOTA = 5;

export const securityGroupsPerEniRule: Rule = {
  id: 'multinic:SecurityGroupsPerEni',
  level: 'warning',
  summary: 'A node interface carries more networks than an ENI takes security groups by default (5).',
  why: 'Every network on an ENI brings its own security group (its ingress, closed by default); EC2 refuses to launch an instance whose ENI has more groups than the account\'s quota.',
  fix: 'Spread the networks over more interfaces, or raise the "Security groups per network interface" quota (Service Quotas, VPC; up to 16).',
  check(intent, model) {
    const findings: Finding[] = [];
    intent.spec.nodeGroups.forEach((g, gi) => g.interfaces.forEach((itf, ii) => {
      const networks = model.networks.filter((n) => n.master === itf.name).map((n) => n.key);
      if (networks.length > SECURITY_GROUPS_PER_ENI_QUOTA) {
        findings.push(finding(this, ['spec', 'nodeGroups', gi, 'interfaces', ii, 'name'],
          `interface "${itf.name}" of node group "${g.name}" carries ${networks.length} networks (${networks.join(', ')}): its ENI needs ${networks.length} security groups; the default quota is ${SECURITY_GROUPS_PER_ENI_QUOTA}`));
      }
    }));
    return findings;
  },
};
