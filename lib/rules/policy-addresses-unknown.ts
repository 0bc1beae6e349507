import { podAddresses } from '../policy/addresses';
import { finding, type Finding, type Rule } from './types';

export const policyAddressesUnknownRule: Rule = {
  id: 'multinic:PolicyAddressesUnknown',
  level: 'warning',
  summary: 'A network admits pod peers or ICMP, but the intent does not say which addresses its pods get.',
  why: 'Security groups and the ICMP rules name pods by their addresses on the network. With DHCP from a server other than the VPC\'s, multinic does not know them: pod peers are then admitted only by MultiNetworkPolicy (same node, or where the VPC is not in the way), and ICMP not at all.',
  fix: 'Use an IPAM with known ranges (whereabouts, host-local, static, eni-prefix), or admit the DHCP range as a cidr peer.',
  check(_intent, model) {
    const findings: Finding[] = [];
    for (const n of model.networks) {
      const needs = n.network.ingress.some((r) => r.icmp || r.from.some((p) => p.pods !== undefined));
      if (needs && podAddresses(model, n) === undefined) {
        findings.push(finding(this, ['spec', 'networks', n.index, 'ipam', 'type'], `network "${n.key}" admits pod peers or ICMP, but its pods' addresses (${n.network.ipam.type}) are not known to multinic`));
      }
    }
    return findings;
  },
};
