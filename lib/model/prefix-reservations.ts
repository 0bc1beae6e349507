/**
 * The `prefix` CIDR reservations of the secondary subnets whose interfaces delegate /28 prefixes: planned once here,
 * read by the network stack and checked by multinic:PrefixReservation.
 */
import type { NetworkIntent, Subnet } from '../intent/types';
import { Ipv4Cidr } from '../net/ipv4';
import { awsSubnetPrefix } from './node-subnets';
import { peakNodes } from './rolling-surge';

/** What a subnet's prefix reservations hold. */
export interface PrefixReservationPlan {
  /** /28 prefixes its interfaces delegate (nodes + rolling surge, times ipv4PrefixCount). */
  readonly needed: number;
  /** The reservations, sorted by address. */
  readonly cidrs: readonly Ipv4Cidr[];
  /** /28s that did not fit; 0 when the plan holds every needed prefix. */
  readonly missing: number;
}

/** /28 prefixes the model delegates from `subnet`: per interface in it, (nodes + rolling surge) x `ipv4PrefixCount`. */
export function prefixesNeeded(intent: NetworkIntent, subnetName: string): number {
  let n = 0;
  for (const g of intent.spec.nodeGroups) {
    for (const itf of g.interfaces) {
      if (itf.subnet !== subnetName || itf.ipv4PrefixCount === 0) continue;
      n += peakNodes(g) * itf.ipv4PrefixCount;
    }
  }
  return n;
}

/**
 * The `prefix` reservations of a secondary subnet: aligned blocks holding `prefixesNeeded` /28s, taken from the top
 * of the subnet down, largest first, never in the subnet's first or last /28 (the addresses AWS reserves) nor in
 * its explicit pod reservation. Automatic prefix delegation draws from them, so a subnet fragmented by ENI
 * addresses cannot fail a launch with InsufficientCidrBlocks.
 * Never throws: `missing` says how many /28s did not fit (multinic:PrefixReservation reports them).
 */
export function planPrefixReservations(intent: NetworkIntent, subnet: Subnet): PrefixReservationPlan {
  const needed = prefixesNeeded(intent, subnet.name);
  const sub = Ipv4Cidr.tryParse(subnet.cidr);
  const explicitCidr = subnet.podCidrReservation === undefined ? undefined : Ipv4Cidr.tryParse(subnet.podCidrReservation);
  // Addresses that do not parse are multinic:InvalidAddress's finding.
  // A subnet AWS would refuse is multinic:SubnetSize's finding (and a /0 would mean 2^28 slots).
  if (needed === 0 || typeof sub === 'string' || typeof explicitCidr === 'string' || !awsSubnetPrefix(sub.prefix)) return { needed, cidrs: [], missing: 0 };
  const slots = sub.prefix <= 28 ? 2 ** (28 - sub.prefix) : 0;
  const explicit = explicitCidr;
  const base = sub.network.value;
  const slotCidr = (i: number, size: number) => Ipv4Cidr.containing(sub.network.plus(i * 16), 28 - Math.log2(size));
  const free = Array.from({ length: slots }, (_, i) => {
    if (i === 0 || i === slots - 1) return false;
    if (!explicit) return true;
    const start = base + BigInt(i * 16);
    return start + 15n < explicit.network.value || start > explicit.network.value + explicit.size - 1n;
  });
  const out: Ipv4Cidr[] = [];
  let remaining = needed;
  for (let size = 2 ** Math.floor(Math.log2(Math.max(slots, 1))); size >= 1 && remaining > 0; size /= 2) {
    for (let start = slots - size; start >= 0 && remaining >= size; start -= size) {
      if (!free.slice(start, start + size).every(Boolean)) continue;
      for (let k = start; k < start + size; k++) free[k] = false;
      out.push(slotCidr(start, size));
      remaining -= size;
    }
  }
  return { needed, cidrs: out.sort((a, b) => (a.network.value < b.network.value ? -1 : 1)), missing: remaining };
}
