/**
 * Address capacity: how many addresses an IPAM pool can hand out, and how many an AWS subnet can give to ENIs.
 * Pools come from the same `poolsOf` the range rules use, so the plan and the findings agree on defaults
 * (host-local from .2, whereabouts the whole block but network and broadcast).
 */
import type { Ipam, Network } from '../intent/types';
import { Ipv4Cidr, type Ipv4Range } from '../net/ipv4';
import { poolsOf } from '../model/pools';
import type { IpamScope, PlanPool } from './types';

/** Addresses AWS keeps in every subnet: network, router, DNS, future use, broadcast. */
export const AWS_RESERVED_PER_SUBNET = 5;

/** Addresses in one delegated IPv4 prefix (/28). */
export const ADDRESSES_PER_PREFIX = 16;

/** Where an IPAM plugin allocates. */
export function ipamScope(ipam: Ipam): IpamScope {
  switch (ipam.type) {
    case 'host-local': return 'node';
    case 'eni-prefix': return 'node';
    case 'whereabouts': return 'cluster';
    case 'static': return 'static';
    case 'dhcp': return 'dhcp';
  }
}

/** Size of the union of `ranges` clipped to `within`. */
function coveredBy(within: Ipv4Range, ranges: readonly Ipv4Range[]): bigint {
  const clipped = ranges
    .map((r) => [r.start.value > within.start.value ? r.start.value : within.start.value, r.end.value < within.end.value ? r.end.value : within.end.value] as const)
    .filter(([a, b]) => a <= b)
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  let total = 0n;
  let curStart = -1n;
  let curEnd = -2n;
  for (const [a, b] of clipped) {
    if (a > curEnd + 1n) {
      if (curEnd >= curStart && curStart >= 0n) total += curEnd - curStart + 1n;
      curStart = a;
      curEnd = b;
    } else if (b > curEnd) {
      curEnd = b;
    }
  }
  if (curStart >= 0n && curEnd >= curStart) total += curEnd - curStart + 1n;
  return total;
}

/** The pools of a network with their capacity: range size minus excluded addresses minus the gateway. */
export function planPools(network: Network, index: number): PlanPool[] {
  return poolsOf(network, index).map((p): PlanPool => {
    const excluded = p.excludes.map((e) => e.cidr.range);
    let capacity = p.range.size - coveredBy(p.range, excluded);
    const gw = p.gateway;
    if (gw && p.range.contains(gw) && !excluded.some((r) => r.contains(gw))) capacity -= 1n;
    return {
      subnet: p.subnet.toString(),
      range: p.range.toString(),
      ...(gw ? { gateway: gw.toString() } : {}),
      excludes: p.excludes.map((e) => e.cidr.toString()),
      capacity: Number(capacity > 0n ? capacity : 0n),
    };
  });
}

/**
 * Pods a network's IPAM can address at once: host-local, the smallest range set (each pod takes one address from
 * every set), per node; eni-prefix, 16 per /28 prefix, per node; whereabouts, its pool; static, one pod (every pod gets the same addresses); dhcp, unknown.
 */
export function networkCapacity(network: Network, pools: readonly PlanPool[]): number | undefined {
  const ipam = network.ipam;
  switch (ipam.type) {
    case 'host-local': {
      if (pools.length === 0) return 0;
      let i = 0;
      const perSet = ipam.ranges.map((set) => set.reduce((sum) => sum + (pools[i++]?.capacity ?? 0), 0));
      return Math.min(...perSet);
    }
    case 'whereabouts':
      return pools.reduce((sum, p) => sum + p.capacity, 0);
    case 'static':
      return pools.length > 0 ? 1 : 0;
    case 'dhcp':
      return undefined;
    case 'eni-prefix': // per node: every address of the node's own /28 prefixes (the gateway is the subnet router, outside them)
      return ipam.prefixes * ADDRESSES_PER_PREFIX;
  }
}

/** Addresses of `cidr` that EC2 can assign to ENIs: the block less the 5 AWS reserves and the reservation. */
export function subnetUsable(cidr: Ipv4Cidr, reservation?: Ipv4Cidr): number {
  let usable = cidr.size - BigInt(AWS_RESERVED_PER_SUBNET);
  if (reservation && cidr.containsCidr(reservation)) usable -= reservation.size;
  return Number(usable > 0n ? usable : 0n);
}

/** Parses a CIDR, or undefined (rules report bad ones). */
export function cidrOrUndefined(text: string | undefined): Ipv4Cidr | undefined {
  if (text === undefined) return undefined;
  const c = Ipv4Cidr.tryParse(text);
  return typeof c === 'string' ? undefined : c;
}
