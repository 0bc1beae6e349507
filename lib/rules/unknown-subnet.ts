import { didYouMean } from '../text/did-you-mean';
import { finding, type Finding, type Rule } from './types';

export const unknownSubnetRule: Rule = {
  id: 'multinic:UnknownSubnet',
  level: 'error',
  summary: 'A node interface names a subnet that spec.subnets does not define.',
  why: 'The ENI has nowhere to be created, so the launch template cannot be built.',
  fix: 'Add the subnet to spec.subnets or correct the name.',
  check(intent, model) {
    const known = [...model.subnetByName.keys()];
    const findings: Finding[] = [];
    intent.spec.nodeGroups.forEach((g, gi) => g.interfaces.forEach((itf, ii) => {
      if (model.subnetByName.has(itf.subnet)) return;
      const guess = didYouMean(itf.subnet, known);
      findings.push(finding(this, ['spec', 'nodeGroups', gi, 'interfaces', ii, 'subnet'],
        `subnet "${itf.subnet}" is not defined${guess ? `; did you mean "${guess}"?` : '.'} Defined: ${known.join(', ') || '(none)'}`,
        guess ? `Change it to "${guess}".` : this.fix));
    }));
    return findings;
  },
};
