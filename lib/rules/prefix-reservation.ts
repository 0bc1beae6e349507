import { finding, type Finding, type Rule } from './types';

export const prefixReservationRule: Rule = {
  id: 'multinic:PrefixReservation',
  level: 'error',
  summary: 'A secondary subnet cannot hold the /28 prefixes its interfaces delegate (nodes + 1 for rolling updates, times ipv4PrefixCount) outside its first and last /28 and its podCidrReservation.',
  why: 'The prefixes are reserved in the subnet (a prefix CIDR reservation), so EC2 can always delegate them; without room, a node launch fails with InsufficientCidrBlocks.',
  fix: 'Use a larger subnet, fewer nodes, or a lower ipv4PrefixCount on its interfaces.',
  check(intent, model) {
    const findings: Finding[] = [];
    intent.spec.subnets.forEach((s, i) => {
      const plan = model.prefixReservations.get(s.name);
      if (!plan || plan.missing === 0 || model.subnetByName.get(s.name) !== s) return;
      findings.push(finding(this, ['spec', 'subnets', i, 'cidr'],
        `its interfaces delegate ${plan.needed} /28 prefixes (nodes + 1 for rolling updates, times ipv4PrefixCount), but only ${plan.needed - plan.missing} fit in ${s.cidr} outside its first and last /28${s.podCidrReservation ? ` and podCidrReservation ${s.podCidrReservation}` : ''}`));
    });
    return findings;
  },
};
