import { securityGroupRuleQuotaRule as rule } from '../../lib/rules/security-group-rule-quota';
import { findingsFor, network, pathsAndMessages } from '../util/intent';

describe('multinic:SecurityGroupRuleQuota', () => {
  test('GIVEN 11 ports from pods whose addresses take 6 blocks THEN 66 rules, above the quota', () => {
    const ports = Array.from({ length: 11 }, (_x, k) => ({ port: 80 + k }));
    const found = findingsFor((i) => { network(i, 1).ingress = [{ from: [{ pods: { app: 'ubuntu' } }], ports }]; }, rule.id);
    expect(pathsAndMessages(found)).toEqual([{
      path: 'spec.networks[1].ingress',
      message: 'spec.networks[1].ingress: network "dcjeon/whereabouts-eth1-conf" needs 66 security group rules; the default quota is 60',
    }]);
  });

  test('GIVEN 10 such ports THEN 60 rules, within the quota', () => {
    const ports = Array.from({ length: 10 }, (_x, k) => ({ port: 80 + k }));
    expect(findingsFor((i) => { network(i, 1).ingress = [{ from: [{ pods: { app: 'ubuntu' } }], ports }]; }, rule.id)).toEqual([]);
  });
});
