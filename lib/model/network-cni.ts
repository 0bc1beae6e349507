/**
 * From an intent network (one NetworkAttachmentDefinition) to its typed CNI document and `spec.config` text. It
 * lives beside the model, not in lib/cni: the CNI builders take their own plain props and know no intent type;
 * this file is the one place that maps an intent network onto them.
 */
import {
  bridge, cniDocument, CNI_PER_NODE_IPAM, dhcp, hostDevice, hostLocal, ipvlan, macvlan, sbr, serializeCni, staticIpam, tuning, whereabouts,
  type CniChainedPlugin, type CniDocument, type CniIpam, type CniMainPlugin,
} from '../cni';
import { MultinicError } from '../errors';
import type { Ipam, Network } from '../intent/types';

/**
 * The typed CNI document of `network`: its main plugin with the IPAM, then tuning (when `sysctl` is set) and sbr
 * (when `sbr` is true), so sbr sees the final routes. The CNI `name` is the network name.
 *
 * @throws MultinicError naming the network when a value would make the real plugins fail.
 */
export function cniConfigForNetwork(network: Network): CniDocument {
  return naming(network, () => {
    const chained: CniChainedPlugin[] = [];
    if (network.sysctl !== undefined) chained.push(tuning({ sysctl: network.sysctl }));
    if (network.sbr) chained.push(sbr());
    return cniDocument({ cniVersion: network.cniVersion, name: network.name, plugin: mainPlugin(network), chained });
  });
}

/**
 * Whether `network`'s CNI config differs per node (IPAM `eni-prefix`): its NetworkAttachmentDefinition then has no
 * `spec.config` and Multus reads the file the node's ENI script writes to `/etc/cni/multus/net.d/`.
 */
export function hasPerNodeConfig(network: Network): boolean {
  return network.ipam.type === 'eni-prefix';
}

/**
 * `serializeCni(cniConfigForNetwork(network))`: the NetworkAttachmentDefinition's `spec.config`.
 *
 * @throws MultinicError naming the network (e.g. CNI_ROUTE_WITHOUT_GATEWAY from the serializer).
 */
export function nadConfigJson(network: Network): string {
  const doc = cniConfigForNetwork(network);
  return naming(network, () => serializeCni(doc));
}

/** Runs `f`, prefixing any MultinicError with the network's place (`network "namespace/name": ...`), same code. */
function naming<T>(network: Network, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof MultinicError) throw new MultinicError(e.code, `network "${network.namespace}/${network.name}": ${e.message}`);
    throw e;
  }
}

function mainPlugin(n: Network): CniMainPlugin {
  const ipam = ipamOf(n.ipam);
  switch (n.type) {
    case 'macvlan': return macvlan({ master: n.master, mode: n.mode, mtu: n.mtu, ipam });
    case 'ipvlan': return ipvlan({ master: n.master, mode: n.mode, mtu: n.mtu, ipam });
    case 'bridge': return bridge({
      bridge: n.bridge, isGateway: n.isGateway, ipMasq: n.ipMasq, hairpinMode: n.hairpinMode, mtu: n.mtu, vlan: n.vlan, ipam,
    });
    case 'host-device': return hostDevice({ device: n.device, ipam });
  }
}

function ipamOf(ipam: Ipam): CniIpam {
  switch (ipam.type) {
    case 'host-local': return hostLocal({ ranges: ipam.ranges, routes: ipam.routes, dataDir: ipam.dataDir });
    case 'static': return staticIpam({ addresses: ipam.addresses, routes: ipam.routes, dns: ipam.dns });
    case 'whereabouts': return whereabouts({
      range: ipam.range,
      rangeStart: ipam.range_start,
      rangeEnd: ipam.range_end,
      exclude: ipam.exclude,
      gateway: ipam.gateway,
      routes: ipam.routes,
      networkName: ipam.network_name,
    });
    case 'dhcp': return dhcp({ daemonSocketPath: ipam.daemonSocketPath });
    case 'eni-prefix': throw new MultinicError(CNI_PER_NODE_IPAM,
      'ipam type eni-prefix is resolved on each node from its ENI\'s delegated /28 prefixes, so it has no cluster-wide CNI config; '
      + 'render the per-node config with perNodeCniWire() from lib/node, or check hasPerNodeConfig(network) first');
  }
}
