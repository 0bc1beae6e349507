import { finding, type Finding, type Rule } from './types';

export const macvlanOnEniRule: Rule = {
  id: 'multinic:MacvlanOnEni',
  level: 'error',
  summary: 'A macvlan network uses an AWS ENI as master.',
  why: 'Each macvlan child has its own made-up MAC address; the VPC drops frames from MACs it does not know, so pods on different nodes cannot reach each other (the seed\'s test 7). ipvlan children share the ENI\'s MAC.',
  fix: 'Use type: ipvlan (mode l2) on the same master, or set spec.platform: generic if the network is not an AWS VPC.',
  check(intent, model) {
    const findings: Finding[] = [];
    // Only a VPC drops unknown MACs; spec.platform generic states a network that accepts them.
    if (intent.spec.platform === 'generic') return findings;
    for (const n of model.networks) {
      if (n.network.type !== 'macvlan' || n.nodeGroups.length === 0) continue;
      findings.push(finding(this, ['spec', 'networks', n.index, 'type'],
        `macvlan over ENI "${n.master}" cannot carry traffic between nodes: the VPC drops frames from MAC addresses it does not know`,
        'Change type to ipvlan (mode: l2): its pods share the ENI\'s MAC address.'));
    }
    return findings;
  },
};
