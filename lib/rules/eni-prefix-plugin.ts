import { finding, type Finding, type Rule } from './types';

export const eniPrefixPluginRule: Rule = {
  id: 'multinic:EniPrefixPlugin',
  level: 'error',
  summary: 'ipam type eni-prefix on a network that is not ipvlan or host-device.',
  why: 'eni-prefix addresses are routable because the pod\'s frames carry the ENI\'s own MAC address: ipvlan children share it, host-device moves the ENI itself. macvlan children have made-up MACs the VPC drops; a bridge has no ENI.',
  fix: 'Use type ipvlan (mode l2) over the interface, or another IPAM for a bridge network.',
  check(intent) {
    const findings: Finding[] = [];
    intent.spec.networks.forEach((n, i) => {
      if (n.ipam.type !== 'eni-prefix' || n.type === 'ipvlan' || n.type === 'host-device') return;
      // A network that accepts any MAC (spec.platform generic) delivers macvlan children's frames too.
      if (n.type === 'macvlan' && intent.spec.platform === 'generic') return;
      findings.push(finding(this, ['spec', 'networks', i, 'ipam', 'type'],
        `network "${n.namespace}/${n.name}" is ${n.type}: eni-prefix addresses reach other nodes only from ipvlan or host-device, whose frames carry the ENI's MAC address`,
        n.type === 'macvlan' ? 'Change type to ipvlan (mode: l2).' : this.fix));
    });
    return findings;
  },
};
