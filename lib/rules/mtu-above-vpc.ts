import { finding, type Finding, type Rule } from './types';

export const mtuAboveVpcRule: Rule = {
  id: 'multinic:MtuAboveVpc',
  level: 'error',
  summary: 'A network\'s MTU is above the VPC MTU.',
  why: 'The plugin refuses it ("invalid MTU, must be [0, master MTU]") and the pod never starts.',
  fix: 'Leave mtu unset (the master\'s MTU is used) or set it at most spec.vpc.mtu.',
  check(intent) {
    const findings: Finding[] = [];
    intent.spec.networks.forEach((n, i) => {
      if ('mtu' in n && n.mtu !== undefined && n.mtu > intent.spec.vpc.mtu) {
        findings.push(finding(this, ['spec', 'networks', i, 'mtu'], `mtu ${n.mtu} is above the VPC MTU ${intent.spec.vpc.mtu}`));
      }
    });
    return findings;
  },
};
