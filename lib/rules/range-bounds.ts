import { type Ipv4Address, Ipv4Range } from '../net/ipv4';
import { poolsOf } from '../model/pools';
import { finding, type Finding, type Rule } from './types';

export const rangeOutsideSubnetRule: Rule = {
  id: 'multinic:RangeOutsideSubnet',
  level: 'error',
  summary: 'An IPAM range start, end or gateway lies outside its subnet (host-local) or range (whereabouts).',
  why: 'host-local refuses the config at pod creation ("RangeStart ... not in network"); whereabouts hands out addresses the subnet cannot route.',
  fix: 'Keep rangeStart, rangeEnd and gateway inside the subnet or range.',
  check(intent) {
    const findings: Finding[] = [];
    intent.spec.networks.forEach((n, i) => {
      for (const p of poolsOf(n, i)) {
        // host-local hands out exactly rangeStart..rangeEnd, so they must be usable hosts (not the network or
        // broadcast address); whereabouts skips those itself.
        const usable = n.ipam.type === 'host-local' && p.subnet.prefix < 31 ? new Ipv4Range(p.subnet.firstHost, p.subnet.lastHost) : p.subnet.range;
        const check = (path: ReadonlyArray<string | number> | undefined, ip: Ipv4Address | undefined, what: string) => {
          if (path && ip && !usable.contains(ip)) {
            const where = p.subnet.contains(ip) ? `is not a usable host of ${p.subnet}` : `is outside ${p.subnet}`;
            findings.push(finding(this, path, `${what} ${ip} ${where}`, `Choose an address inside ${p.subnet} (${p.subnet.firstHost} to ${p.subnet.lastHost}).`));
          }
        };
        check(p.startPath, p.range.start, 'range start');
        check(p.endPath, p.range.end, 'range end');
        check(p.gatewayPath, p.gateway, 'gateway');
      }
    });
    return findings;
  },
};

export const rangeStartAfterEndRule: Rule = {
  id: 'multinic:RangeStartAfterEnd',
  level: 'error',
  summary: 'An IPAM range starts after it ends.',
  why: 'The pool is empty: every pod attached to the network fails to get an address.',
  fix: 'Swap the start and end, or correct one of them.',
  check(intent) {
    const findings: Finding[] = [];
    intent.spec.networks.forEach((n, i) => {
      for (const p of poolsOf(n, i)) {
        if (p.range.start.compare(p.range.end) > 0) {
          findings.push(finding(this, p.startPath ?? p.path, `range start ${p.range.start} is after range end ${p.range.end}`));
        }
      }
    });
    return findings;
  },
};

export const gatewayInRangeRule: Rule = {
  id: 'multinic:GatewayInRange',
  level: 'error',
  summary: 'The gateway lies inside the range that pods get addresses from.',
  why: 'A pod can be given the router\'s address (whereabouts does not skip the gateway), which breaks the subnet for every pod.',
  fix: 'Move the range so it excludes the gateway, or exclude the gateway (whereabouts exclude: [gw/32]).',
  check(intent) {
    const findings: Finding[] = [];
    intent.spec.networks.forEach((n, i) => {
      // host-local never hands out its gateway; static pools have no range.
      if (n.ipam.type === 'static' || n.ipam.type === 'host-local') return;
      for (const p of poolsOf(n, i)) {
        if (!p.gatewayPath || !p.gateway || !p.range.contains(p.gateway)) continue;
        if (p.excludes.some((e) => e.cidr.contains(p.gateway!))) continue;
        findings.push(finding(this, p.gatewayPath, `gateway ${p.gateway} lies inside the allocation range ${p.range}`,
          n.ipam.type === 'whereabouts' ? `Add ${p.gateway}/32 to exclude, or start the range after ${p.gateway}.` : `Start the range after ${p.gateway}.`));
      }
    });
    return findings;
  },
};

export const excludeOutsideRangeRule: Rule = {
  id: 'multinic:ExcludeOutsideRange',
  level: 'error',
  summary: 'A whereabouts exclude lies outside its range.',
  why: 'Whereabouts does not check excludes: an exclude outside the range protects nothing, and the addresses meant to be kept free get handed out.',
  fix: 'Write excludes inside the range (e.g. range 10.4.128.0/24, exclude 10.4.128.0/30).',
  check(intent) {
    const findings: Finding[] = [];
    intent.spec.networks.forEach((n, i) => {
      for (const p of poolsOf(n, i)) {
        for (const e of p.excludes) {
          if (!p.subnet.containsCidr(e.cidr)) findings.push(finding(this, e.path, `exclude ${e.cidr} is outside the range ${p.subnet}`));
        }
      }
    });
    return findings;
  },
};
