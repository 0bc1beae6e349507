import type { Ipam, Network } from '../intent/types';
import { Ipv4Address, Ipv4Cidr, Ipv4Range } from '../net/ipv4';
import type { IntentPath } from '../findings';

/** One address pool of a network's IPAM, with the paths of the fields it came from. */
export interface Pool {
  readonly subnet: Ipv4Cidr;
  readonly range: Ipv4Range;
  readonly gateway?: Ipv4Address;
  readonly excludes: ReadonlyArray<{ cidr: Ipv4Cidr; path: IntentPath }>;
  /** Path of the range entry (host-local range, whereabouts ipam, static address). */
  readonly path: IntentPath;
  readonly startPath?: IntentPath;
  readonly endPath?: IntentPath;
  readonly gatewayPath?: IntentPath;
}

const ok = <T>(v: T | string): v is T => typeof v !== 'string';

/**
 * The address pools a network hands out, with defaults as the plugins apply them (host-local: .1 to broadcast-1,
 * gateway .1, which it skips; whereabouts: the whole range but network and broadcast). Fields that do not parse are skipped here:
 * `multinic:InvalidAddress` reports them.
 */
export function poolsOf(network: Network, index: number): Pool[] {
  const base: IntentPath = ['spec', 'networks', index, 'ipam'];
  return ipamPools(network.ipam, base);
}

function ipamPools(ipam: Ipam, base: IntentPath): Pool[] {
  switch (ipam.type) {
    case 'host-local':
      return ipam.ranges.flatMap((set, i) => set.flatMap((r, j): Pool[] => {
        const path = [...base, 'ranges', i, j];
        const subnet = Ipv4Cidr.tryParse(r.subnet);
        if (!ok(subnet)) return [];
        const start = r.rangeStart ? Ipv4Address.tryParse(r.rangeStart) : subnet.firstHost;
        const end = r.rangeEnd ? Ipv4Address.tryParse(r.rangeEnd) : subnet.lastHost;
        const gateway = r.gateway ? Ipv4Address.tryParse(r.gateway) : subnet.firstHost;
        if (!ok(start) || !ok(end) || !ok(gateway)) return [];
        return [{
          subnet, range: new Ipv4Range(start, end), gateway, excludes: [], path,
          startPath: r.rangeStart ? [...path, 'rangeStart'] : undefined,
          endPath: r.rangeEnd ? [...path, 'rangeEnd'] : undefined,
          gatewayPath: r.gateway ? [...path, 'gateway'] : undefined,
        }];
      }));
    case 'whereabouts': {
      const subnet = Ipv4Cidr.tryParse(ipam.range);
      if (!ok(subnet)) return [];
      const start = ipam.range_start ? Ipv4Address.tryParse(ipam.range_start) : subnet.firstHost;
      const end = ipam.range_end ? Ipv4Address.tryParse(ipam.range_end) : subnet.lastHost;
      const gateway = ipam.gateway ? Ipv4Address.tryParse(ipam.gateway) : undefined;
      if (!ok(start) || !ok(end) || (gateway !== undefined && !ok(gateway))) return [];
      const excludes = (ipam.exclude ?? []).flatMap((e, i) => {
        const c = Ipv4Cidr.tryParse(e);
        return ok(c) ? [{ cidr: c, path: [...base, 'exclude', i] as IntentPath }] : [];
      });
      return [{
        subnet, range: new Ipv4Range(start, end), gateway, excludes, path: base,
        startPath: ipam.range_start ? [...base, 'range_start'] : undefined,
        endPath: ipam.range_end ? [...base, 'range_end'] : undefined,
        gatewayPath: ipam.gateway ? [...base, 'gateway'] : undefined,
      }];
    }
    case 'static':
      return ipam.addresses.flatMap((a, i): Pool[] => {
        const m = /^(.+)\/(\d{1,2})$/.exec(a.address);
        if (!m || Number(m[2]) > 32) return [];
        const ip = Ipv4Address.tryParse(m[1]);
        if (!ok(ip)) return [];
        const net = Ipv4Cidr.containing(ip, Number(m[2]));
        const gateway = a.gateway ? Ipv4Address.tryParse(a.gateway) : undefined;
        return [{ subnet: net, range: new Ipv4Range(ip, ip), gateway: gateway && ok(gateway) ? gateway : undefined, excludes: [], path: [...base, 'addresses', i] }];
      });
    case 'dhcp':
    case 'eni-prefix': // per node, from the ENI's delegated prefixes: known only on the node
      return [];
  }
}
