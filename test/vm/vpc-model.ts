/**
 * The AWS VPC's forwarding rule as an nftables ruleset (family bridge) for the "vpc" namespace of the VM test: the
 * VPC is a bridge whose ports are the nodes' ENIs.
 *
 * - prerouting, chain `source_mac`: a frame whose source MAC is not the ENI MAC of the port it came in on is
 *   dropped (counter `src_mac_unknown`): macvlan children's made-up MACs.
 * - prerouting: IPv4 and ARP whose sender address is not assigned to that ENI (its private IPs, or inside a prefix
 *   delegated to it) are dropped (`src_ip_unassigned`).
 * - forward: IPv4 and ARP are delivered only to the port whose ENI owns the destination address
 *   (`dst_ip_unassigned`).
 * IPv6 is dropped first (`ipv6`) so it does not clutter the counters. Everything else is accepted.
 */
export interface VpcPort {
  /** Bridge port name in the vpc namespace (the peer of the node's ENI veth). */
  readonly port: string;
  readonly mac: string;
  /** Private IPv4 addresses assigned to the ENI. */
  readonly addresses: readonly string[];
  /** Delegated IPv4 prefixes (CIDR). */
  readonly prefixes: readonly string[];
}

/** The counters the ruleset names, for the test's assertions. */
export const VPC_COUNTERS = ['src_mac_unknown', 'src_ip_unassigned', 'dst_ip_unassigned', 'ipv6'] as const;

/** The ruleset text (`nft -f`). */
export function vpcRuleset(ports: readonly VpcPort[]): string {
  const macs = ports.map((p) => `"${p.port}" . ${p.mac}`);
  const owned = ports.flatMap((p) => [...p.addresses, ...p.prefixes].map((a) => `"${p.port}" . ${a}`));
  return [
    'table bridge vpc {',
    ...VPC_COUNTERS.map((c) => `  counter ${c} {}`),
    '  set eni_mac {',
    '    type ifname . ether_addr',
    `    elements = { ${macs.join(', ')} }`,
    '  }',
    '  set eni_ipv4 {',
    '    type ifname . ipv4_addr',
    '    flags interval',
    `    elements = { ${owned.join(', ')} }`,
    '  }',
    '  chain source_mac {',
    '    iifname . ether saddr != @eni_mac counter name src_mac_unknown drop',
    '  }',
    '  chain prerouting {',
    '    type filter hook prerouting priority 0; policy accept;',
    '    ether type ip6 counter name ipv6 drop',
    '    jump source_mac',
    '    ether type ip iifname . ip saddr != @eni_ipv4 counter name src_ip_unassigned drop',
    '    ether type arp iifname . arp saddr ip != @eni_ipv4 counter name src_ip_unassigned drop',
    '  }',
    '  chain forward {',
    '    type filter hook forward priority 0; policy accept;',
    '    ether type ip oifname . ip daddr != @eni_ipv4 counter name dst_ip_unassigned drop',
    '    ether type arp oifname . arp daddr ip != @eni_ipv4 counter name dst_ip_unassigned drop',
    '  }',
    '}',
    '',
  ].join('\n');
}
