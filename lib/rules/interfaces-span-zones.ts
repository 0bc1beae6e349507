import { finding, type Finding, type Rule } from './types';

export const interfacesSpanZonesRule: Rule = {
  id: 'multinic:InterfacesSpanZones',
  level: 'error',
  summary: 'The interfaces of one node group are in subnets of different availability zones.',
  why: 'An ENI and its instance must be in the same availability zone: EC2 refuses to launch the node.',
  fix: 'Put all subnets of a group\'s interfaces in one zone, or split the group per zone.',
  check(intent, model) {
    const findings: Finding[] = [];
    intent.spec.nodeGroups.forEach((g, gi) => {
      let first: { zone: string; ii: number } | undefined;
      g.interfaces.forEach((itf, ii) => {
        const zone = model.subnetByName.get(itf.subnet)?.zone;
        if (zone === undefined) return; // multinic:UnknownSubnet
        if (first === undefined) first = { zone, ii };
        else if (zone !== first.zone) {
          findings.push(finding(this, ['spec', 'nodeGroups', gi, 'interfaces', ii, 'subnet'],
            `subnet "${itf.subnet}" is in zone ${zone}, but interfaces[${first.ii}] of group "${g.name}" is in zone ${first.zone}; all ENIs of an instance share one zone`));
        }
      });
    });
    return findings;
  },
};
