/**
 * Sets of IPv4 addresses as the fewest CIDR blocks: what a security group rule or an iptables `-s` can hold.
 * Used to turn an IPAM range (start-end, minus excludes) or a CIDR minus `except` into exact blocks, so no rule
 * admits an address the intent does not.
 */
import { Ipv4Address, Ipv4Cidr, Ipv4Range } from './ipv4';

/** Merges overlapping and adjacent ranges; sorted by start. */
export function mergeRanges(ranges: readonly Ipv4Range[]): Ipv4Range[] {
  const sorted = [...ranges].sort((a, b) => a.start.compare(b.start));
  const out: Ipv4Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start.value <= last.end.value + 1n) {
      if (r.end.value > last.end.value) out[out.length - 1] = new Ipv4Range(last.start, r.end);
    } else {
      out.push(r);
    }
  }
  return out;
}

/** `ranges` without the addresses of `minus`. */
export function subtractRanges(ranges: readonly Ipv4Range[], minus: readonly Ipv4Range[]): Ipv4Range[] {
  let current = mergeRanges(ranges);
  for (const m of mergeRanges(minus)) {
    current = current.flatMap((r) => {
      if (!r.overlaps(m)) return [r];
      const parts: Ipv4Range[] = [];
      if (r.start.value < m.start.value) parts.push(new Ipv4Range(r.start, m.start.plus(-1)));
      if (r.end.value > m.end.value) parts.push(new Ipv4Range(m.end.plus(1), r.end));
      return parts;
    });
  }
  return current;
}

/** The fewest CIDR blocks that cover exactly `range`. */
export function rangeToCidrs(range: Ipv4Range): Ipv4Cidr[] {
  const out: Ipv4Cidr[] = [];
  let start = range.start.value;
  const end = range.end.value;
  while (start <= end) {
    // The largest block aligned at `start` that does not pass `end`.
    let bits = 0n;
    while (bits < 32n && (start & ((1n << (bits + 1n)) - 1n)) === 0n && start + (1n << (bits + 1n)) - 1n <= end) bits += 1n;
    out.push(Ipv4Cidr.containing(Ipv4Address.fromBigInt(start), 32 - Number(bits)));
    start += 1n << bits;
  }
  return out;
}

/** The fewest CIDR blocks that cover exactly the union of `ranges` minus `minus`. */
export function cidrsOf(ranges: readonly Ipv4Range[], minus: readonly Ipv4Range[] = []): Ipv4Cidr[] {
  return subtractRanges(ranges, minus).flatMap(rangeToCidrs);
}
