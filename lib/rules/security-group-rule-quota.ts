import { SECURITY_GROUP_RULE_QUOTA, securityGroupRules } from '../policy/security-group-rules';
import { finding, type Finding, type Rule } from './types';

export const securityGroupRuleQuotaRule: Rule = {
  id: 'multinic:SecurityGroupRuleQuota',
  level: 'warning',
  summary: 'A network\'s ingress needs more security group rules than the default quota of 60 per group.',
  why: 'Every (protocol, port range, source block) is one rule; IPAM ranges and except blocks that do not align on CIDR boundaries take several blocks each. CloudFormation fails to create the group beyond the account\'s quota.',
  fix: 'Align ranges on CIDR boundaries, merge ports into ranges, or raise the "Inbound rules per security group" quota (Service Quotas, VPC).',
  check(_intent, model) {
    const findings: Finding[] = [];
    for (const n of model.networks) {
      if (n.nodeGroups.length === 0) continue; // no ENI carries it: no security group
      const count = securityGroupRules(model, n).length;
      if (count > SECURITY_GROUP_RULE_QUOTA) {
        findings.push(finding(this, ['spec', 'networks', n.index, 'ingress'], `network "${n.key}" needs ${count} security group rules; the default quota is ${SECURITY_GROUP_RULE_QUOTA}`));
      }
    }
    return findings;
  },
};
