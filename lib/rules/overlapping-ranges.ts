import { Ipv4Address, Ipv4Range } from '../net/ipv4';
import { type Pool, poolsOf } from '../model/pools';
import { finding, type Finding, type Rule } from './types';

/** The part of `a` and `b` both hand out, minus every address either excludes; undefined when nothing is left. */
export function sharedAddresses(a: Pool, b: Pool): Ipv4Range | undefined {
  const start = a.range.start.compare(b.range.start) >= 0 ? a.range.start : b.range.start;
  const end = a.range.end.compare(b.range.end) <= 0 ? a.range.end : b.range.end;
  if (start.compare(end) > 0) return undefined;
  // Sweep the excludes of both pools over [start, end]; the first address none covers is shared.
  const excluded = [...a.excludes, ...b.excludes].map((e) => e.cidr.range).sort((x, y) => x.start.compare(y.start));
  let cursor = start.value;
  for (const r of excluded) {
    if (r.start.value > cursor) break;
    if (r.end.value >= cursor) cursor = r.end.value + 1n;
    if (cursor > end.value) return undefined;
  }
  return new Ipv4Range(Ipv4Address.fromBigInt(cursor), end);
}

export const overlappingRangesRule: Rule = {
  id: 'multinic:OverlappingRanges',
  level: 'error',
  summary: 'Two networks on the same master hand out the same addresses (excluded addresses aside).',
  why: 'Each IPAM keeps its own pool, so two pods on one layer-2 segment get the same address. Two whereabouts networks are not reported: with the same network_name, whereabouts\' overlapping-range reservations keep them apart; with different ones they are isolated on purpose.',
  fix: 'Give the networks disjoint ranges, or exclude the shared part from one of them (whereabouts exclude).',
  check(_intent, model) {
    const findings: Finding[] = [];
    const seen: Array<{ index: number; master: string; whereabouts: boolean; pools: Pool[] }> = [];
    for (const n of model.networks) {
      const master = n.master ?? (n.network.type === 'bridge' ? `bridge:${n.network.bridge}` : undefined);
      if (!master) continue;
      const whereabouts = n.network.ipam.type === 'whereabouts';
      const pools = poolsOf(n.network, n.index);
      for (const other of seen) {
        if (other.master !== master || (whereabouts && other.whereabouts)) continue;
        const clash = pools.flatMap((p) => other.pools.flatMap((q) => { const s = sharedAddresses(p, q); return s ? [{ p, s }] : []; }))[0];
        if (clash) {
          const o = model.networks[other.index];
          findings.push(finding(this, clash.p.path, `range ${clash.p.range} shares ${clash.s} with network "${o.key}" (spec.networks[${o.index}]) on master "${n.master ?? master}"`));
          break;
        }
      }
      seen.push({ index: n.index, master, whereabouts, pools });
    }
    return findings;
  },
};
