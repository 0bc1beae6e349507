/**
 * The addresses a network's IPAM may give a pod, as the plugins apply their defaults (the same `poolsOf` the range
 * rules and the plan use): host-local ranges, whereabouts range minus excludes, static addresses, and for eni-prefix
 * the subnet of the node's master ENI (its /28 prefixes lie inside it; which ones is known only to EC2).
 */
import type { Network, NodeGroup, Subnet } from '../intent/types';
import { Ipv4Address, Ipv4Cidr } from '../net/ipv4';
import { poolsOf } from '../model/pools';
import { masterOf } from '../model/model';

/** Where an address must lie, with the words the table prints. */
export interface IntendedAddresses {
  readonly text: string;
  contains(ip: Ipv4Address): boolean;
}

const ANY: IntendedAddresses = { text: 'any (dhcp)', contains: () => true };

/**
 * @param network the attachment's network
 * @param index its position in `spec.networks`
 * @param subnets the intent's subnets
 * @param groups node groups the pod may run on: the pod's node's group when known, else every group with the master
 */
export function intendedAddresses(network: Network, index: number, subnets: readonly Subnet[], groups: readonly NodeGroup[]): IntendedAddresses {
  const ipam = network.ipam as { type: string };
  if (ipam.type === 'dhcp') return ANY;
  if (ipam.type === 'eni-prefix') {
    const master = masterOf(network);
    const names = [...new Set(groups.flatMap((g) => g.interfaces.filter((i) => i.name === master).map((i) => i.subnet)))];
    const cidrs = names.flatMap((n) => {
      const s = subnets.find((x) => x.name === n);
      const c = s && Ipv4Cidr.tryParse(s.cidr);
      return c && typeof c !== 'string' ? [{ name: n, cidr: c }] : [];
    });
    if (cidrs.length === 0) return { text: `the subnet of ${master} (no node group carries it)`, contains: () => false };
    return {
      text: cidrs.map((c) => `${c.name} ${c.cidr}`).join(' or '),
      contains: (ip) => cidrs.some((c) => c.cidr.contains(ip)),
    };
  }
  const pools = poolsOf(network, index);
  const parts = pools.map((p) => {
    const range = p.range.start.equals(p.range.end) ? p.range.start.toString() : p.range.toString();
    return p.excludes.length ? `${range} minus ${p.excludes.map((e) => e.cidr.toString()).join(', ')}` : range;
  });
  return {
    text: parts.join(', ') || '(no pool)',
    contains: (ip) => pools.some((p) => p.range.contains(ip) && !p.excludes.some((e) => e.cidr.contains(ip))),
  };
}

/** The IPv4 addresses of a network-status entry (`10.0.0.5` or `10.0.0.5/24`); other strings are skipped. */
export function ipv4s(ips: readonly string[]): Ipv4Address[] {
  return ips.flatMap((s) => {
    const a = Ipv4Address.tryParse(s.replace(/\/\d+$/, ''));
    return typeof a === 'string' ? [] : [a];
  });
}
