import { poolsOf } from './private/pools';
import { finding, type Finding, type Rule } from './types';

export const overlappingRangesRule: Rule = {
  id: 'multinic:OverlappingRanges',
  level: 'error',
  summary: 'Two networks on the same master hand out overlapping addresses.',
  why: 'Each IPAM keeps its own pool, so two pods on one layer-2 segment get the same address. Whereabouts pools with different network_name values are isolated on purpose and are allowed.',
  fix: 'Give the networks disjoint ranges, or (whereabouts) distinct network_name values when the overlap is intended.',
  check(_intent, model) {
    const findings: Finding[] = [];
    const seen: Array<{ index: number; master: string; isolation: string; pools: ReturnType<typeof poolsOf> }> = [];
    for (const n of model.networks) {
      const master = n.master ?? (n.network.type === 'bridge' ? `bridge:${n.network.bridge}` : undefined);
      if (!master) continue;
      const isolation = n.network.ipam.type === 'whereabouts' ? n.network.ipam.network_name ?? '' : '';
      const pools = poolsOf(n.network, n.index);
      for (const other of seen) {
        if (other.master !== master) continue;
        if (n.network.ipam.type === 'whereabouts' && model.networks[other.index].network.ipam.type === 'whereabouts' && other.isolation !== isolation) continue;
        const clash = pools.find((p) => other.pools.some((q) => p.range.overlaps(q.range)));
        if (clash) {
          const o = model.networks[other.index];
          findings.push(finding(this, clash.path, `range ${clash.range} overlaps network "${o.key}" (spec.networks[${o.index}]) on master "${n.master ?? master}"`));
          break;
        }
      }
      seen.push({ index: n.index, master, isolation, pools });
    }
    return findings;
  },
};
