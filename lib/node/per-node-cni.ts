/**
 * The per-node CNI config of a network whose pod addresses come from an ENI's delegated /28 prefixes. Each node's
 * ENI has its own prefixes, so the config differs per node: Multus reads it from `/etc/cni/multus/net.d/` (a
 * NetworkAttachmentDefinition without `spec.config` makes Multus look there for a file whose `name` matches).
 *
 * TypeScript renders everything but the host-local `ranges` (`nodeConfigFor`); `infra/node/multinic-eni.sh`
 * fills those in from IMDS. `perNodeCniWire` renders the complete file, so a test can check that both agree.
 */
import { cniWireObject, type JsonObject, type JsonValue } from '../cni';
import { MultinicError } from '../errors';
import type { HostLocalIpam, Network } from '../intent/types';
import { cniConfigForNetwork } from '../model/network-cni';
import { Ipv4Cidr } from '../net/ipv4';

/** Networks whose master can take per-node prefix ranges (macvlan only to reproduce the VPC dropping it). */
export type PrefixNetwork = Extract<Network, { type: 'ipvlan' | 'macvlan' | 'host-device' }>;

/** The node interface a prefix network's pods hang off (ipvlan/macvlan `master`, host-device `device`). */
export function prefixNetworkInterface(network: PrefixNetwork): string {
  return network.type === 'host-device' ? network.device : network.master;
}

/** Whether the per-node config chains sbr: the intent asks for it, or gives the pod a default route via this interface. */
export function perNodeSbr(network: PrefixNetwork): boolean {
  const routes = 'routes' in network.ipam ? network.ipam.routes ?? [] : [];
  return network.sbr || routes.some((r) => r.dst === '0.0.0.0/0');
}

/** Error code: a per-node CNI config cannot be built from these values. */
export const NODE_CNI_INVALID = 'NODE_CNI_INVALID';

/** The subnet router: the first host of the subnet (AWS reserves network + 1 for it). */
export function subnetRouter(subnetCidr: string): string {
  return Ipv4Cidr.parse(subnetCidr).network.plus(1).toString();
}

/**
 * host-local ranges for delegated prefixes: one range per prefix (first to last address), all in the ENI's subnet,
 * gateway = subnet router. One range set: host-local hands out one address per set.
 */
export function prefixRanges(prefixes: readonly string[], subnetCidr: string): HostLocalIpam['ranges'] {
  const subnet = Ipv4Cidr.parse(subnetCidr);
  const gateway = subnetRouter(subnetCidr);
  return [prefixes.map((p) => {
    const prefix = Ipv4Cidr.parse(p);
    if (!subnet.contains(prefix.network) || !subnet.contains(prefix.last)) {
      throw new MultinicError(NODE_CNI_INVALID, `delegated prefix ${p} is not inside the ENI's subnet ${subnetCidr}`);
    }
    return { subnet: subnet.toString(), rangeStart: prefix.network.toString(), rangeEnd: prefix.last.toString(), gateway };
  })];
}

/**
 * The routes of the per-node config: the intent's routes with their gateway defaulted to the subnet router, or,
 * when the intent gives none, each block of `routed` via the subnet router (the ENI's own subnet is on-link
 * already). The deploy path passes the intent's *other secondary subnets*, never the VPC CIDR: a VPC route through
 * the pod's secondary interface would also catch the node subnets, so replies to the kubelet's probes and to anything
 * from a node's primary address would leave by the wrong interface with the pod's cluster address as source, and the
 * VPC drops them (issue 11; docs/aws-routing.md, "Routes of eni-prefix networks").
 */
export function prefixRoutes(network: PrefixNetwork, subnetCidr: string, routed: string | readonly string[]): Array<{ dst: string; gw: string }> {
  const gw = subnetRouter(subnetCidr);
  const routes = 'routes' in network.ipam ? network.ipam.routes : undefined;
  if (routes !== undefined && routes.length > 0) return routes.map((r) => ({ dst: r.dst, gw: r.gw ?? gw }));
  const own = Ipv4Cidr.parse(subnetCidr);
  return (typeof routed === 'string' ? [routed] : routed).map((c) => Ipv4Cidr.parse(c))
    .filter((c) => !own.containsCidr(c))
    .map((c) => ({ dst: c.toString(), gw }));
}

/** The intent network with its IPAM replaced by host-local over the node's prefixes. */
export function perNodeNetwork(network: PrefixNetwork, subnetCidr: string, routed: string | readonly string[], prefixes: readonly string[]): PrefixNetwork {
  if (prefixes.length === 0) {
    throw new MultinicError(NODE_CNI_INVALID, `network "${network.namespace}/${network.name}": no delegated prefix to allocate pod addresses from`);
  }
  const ipam: HostLocalIpam = { type: 'host-local', ranges: prefixRanges(prefixes, subnetCidr).map((s) => [...s]), routes: prefixRoutes(network, subnetCidr, routed) };
  return { ...network, ipam, sbr: perNodeSbr(network) };
}

/** The complete per-node CNI config (wire object, keys in emission order) for these prefixes. */
export function perNodeCniWire(network: PrefixNetwork, subnetCidr: string, routed: string | readonly string[], prefixes: readonly string[]): JsonObject {
  return cniWireObject(cniConfigForNetwork(perNodeNetwork(network, subnetCidr, routed, prefixes)));
}

/**
 * The per-node config with `ipam.ranges` empty: what the node config carries. Rendered through the same builders as the
 * complete config (with the whole subnet standing in for the prefixes, so every check runs), then emptied.
 */
export function perNodeCniTemplate(network: PrefixNetwork, subnetCidr: string, routed: string | readonly string[]): JsonObject {
  return emptyRanges(perNodeCniWire(network, subnetCidr, routed, [subnetCidr]));
}

/** The file name Multus finds it under: `<namespace>-<name>.conf`, `.conflist` when plugins are chained. */
export function perNodeCniFileName(network: PrefixNetwork): string {
  const chained = perNodeSbr(network) || network.sysctl !== undefined;
  return `${network.namespace}-${network.name}.${chained ? 'conflist' : 'conf'}`;
}

function emptyRanges(wire: JsonObject): JsonObject {
  const plugins = wire.plugins;
  if (Array.isArray(plugins)) {
    const [first, ...rest] = plugins as JsonObject[];
    return { ...wire, plugins: [emptyRanges(first), ...rest] };
  }
  const ipam = wire.ipam as JsonObject;
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(wire)) out[k] = k === 'ipam' ? { ...ipam, ranges: [] } : v;
  return out;
}
