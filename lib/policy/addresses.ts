/**
 * Where a network's pods get their addresses on it: what a security group rule or an iptables `-s`/`-d` names for
 * "the pods of this network". Exact where the intent says (IPAM ranges minus excludes); the ENI subnet where the
 * addresses come from AWS (eni-prefix's delegated /28 prefixes, DHCP on a host-device ENI).
 */
import type { Ipam } from '../intent/types';
import type { IntentModel, ResolvedNetwork } from '../model/model';
import { poolsOf } from '../model/pools';
import { cidrsOf } from '../net/cidr-set';
import { Ipv4Cidr, type Ipv4Range } from '../net/ipv4';

/**
 * The CIDR blocks that hold every address the network's pods can get, and no other (sorted); `undefined` when the
 * intent does not say (DHCP from a server other than the VPC's, or a value that does not parse).
 */
export function podAddresses(model: IntentModel, n: ResolvedNetwork): Ipv4Cidr[] | undefined {
  const ipam: Ipam = n.network.ipam;
  if (ipam.type === 'eni-prefix' || (ipam.type === 'dhcp' && n.network.type === 'host-device')) return enisubnets(model, n);
  if (ipam.type === 'dhcp') return undefined;
  const pools = poolsOf(n.network, n.index);
  if (pools.length === 0) return undefined;
  const ranges: Ipv4Range[] = pools.map((p) => {
    // A pool that spans every host of its subnet covers the subnet: network and broadcast are never sources.
    const all = p.range.start.equals(p.subnet.firstHost) && p.range.end.equals(p.subnet.lastHost);
    return all ? p.subnet.range : p.range;
  });
  return cidrsOf(ranges, pools.flatMap((p) => p.excludes.map((e) => e.cidr.range)));
}

/** The subnets of the ENIs that carry the network's master interface, in every node group that has it. */
function enisubnets(model: IntentModel, n: ResolvedNetwork): Ipv4Cidr[] | undefined {
  const cidrs = new Map<string, Ipv4Cidr>();
  for (const g of n.nodeGroups) {
    for (const itf of g.interfaces) {
      if (itf.name !== n.master) continue;
      const s = model.subnetByName.get(itf.subnet);
      const c = s && Ipv4Cidr.tryParse(s.cidr);
      if (!c || typeof c === 'string') return undefined;
      cidrs.set(c.toString(), c);
    }
  }
  return cidrs.size ? [...cidrs.values()].sort((a, b) => a.network.compare(b.network) || a.prefix - b.prefix) : undefined;
}
