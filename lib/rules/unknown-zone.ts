import { finding, type Finding, type Rule } from './types';

export const unknownZoneRule: Rule = {
  id: 'multinic:UnknownZone',
  level: 'error',
  summary: 'A subnet is placed in a zone that spec.vpc.zones does not list.',
  why: 'The VPC has no node subnet there, so nodes carrying this subnet\'s ENIs cannot be launched in that zone.',
  fix: 'Use one of spec.vpc.zones, or add the zone there.',
  check(intent) {
    const zones = intent.spec.vpc.zones;
    const findings: Finding[] = [];
    intent.spec.subnets.forEach((s, i) => {
      if (!zones.includes(s.zone)) {
        findings.push(finding(this, ['spec', 'subnets', i, 'zone'], `zone "${s.zone}" is not one of spec.vpc.zones (${zones.join(', ')})`));
      }
    });
    return findings;
  },
};
