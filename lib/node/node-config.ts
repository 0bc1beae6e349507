/**
 * The node config: what user data writes to `/etc/multinic/node.conf` for `infra/node/multinic-eni.sh` to read.
 *
 * It holds the interface name of every secondary ENI by (network card, device index), the VPC MTU, and for every
 * network whose pod addresses come from an ENI's delegated prefixes, the per-node CNI config with empty `ranges`.
 *
 * The script may use only bash, curl, iproute2, coreutils and awk, so the format is lines that bash's `read` splits:
 * one fact per line, fields separated by one space, the last field taking the rest of the line (docs/node-setup.md):
 *
 * ```
 * format multinic.dev/node-config/v2
 * nodeGroup workers
 * mtu 9001
 * interface 0 1 multus0
 * network 0 1 default-net.conf 10.0.128.0/24 0 1 {"cniVersion":"1.0.0",...,"ranges":[],...}
 * ```
 * `network` fields: network card, device index, file, subnet, prefix offset, prefix count, CNI config (one line).
 */
import type { JsonObject } from '../cni';
import { MultinicError } from '../errors';
import type { NetworkIntent, NodeGroup } from '../intent/types';
import { Ipv4Cidr } from '../net/ipv4';
import {
  perNodeCniFileName, perNodeCniTemplate, prefixNetworkInterface, type PrefixNetwork,
} from './per-node-cni';
import { ENI_PATHS, NODE_CONFIG_FORMAT } from './eni-contract';

export { NODE_CONFIG_FORMAT, ROUTE_TABLE_BASE } from './eni-contract';
/** Where user data writes the node config; the script's default (`MULTINIC_NODE_CONFIG`). */
export const NODE_CONFIG_PATH = ENI_PATHS.nodeConfig;

/** Error codes of this module. */
export const NODE_GROUP_NOT_FOUND = 'NODE_GROUP_NOT_FOUND';
export const NODE_INTERFACE_INVALID = 'NODE_INTERFACE_INVALID';
/** The eni-prefix networks on an interface need more /28 prefixes than its `ipv4PrefixCount` delegates. */
export const NODE_PREFIXES_EXHAUSTED = 'NODE_PREFIXES_EXHAUSTED';

/** Linux interface names the script accepts: 1 to 15 of these characters, not "." or "..". */
const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;

export interface NodeInterfaceConfig {
  readonly networkCard: number;
  readonly deviceIndex: number;
  readonly name: string;
}

export interface NodeNetworkConfig {
  readonly networkCard: number;
  readonly deviceIndex: number;
  /** File name under `/etc/cni/multus/net.d/`. */
  readonly file: string;
  /** The ENI's subnet as the intent declares it; the script refuses to write the file if IMDS disagrees. */
  readonly subnet: string;
  /**
   * Which of the ENI's delegated prefixes this network takes: sorted numerically, `prefixCount` of them from
   * `prefixOffset` (networks on one interface in intent order, each after the previous one's).
   */
  readonly prefixOffset: number;
  readonly prefixCount: number;
  /** The CNI config's wire object with `ipam.ranges` empty: the script puts one range per delegated prefix in. */
  readonly config: JsonObject;
}

export interface NodeConfig {
  readonly format: typeof NODE_CONFIG_FORMAT;
  readonly nodeGroup: string;
  /** MTU of the VPC, given to every secondary ENI. */
  readonly mtu: number;
  readonly interfaces: readonly NodeInterfaceConfig[];
  readonly networks: readonly NodeNetworkConfig[];
}

/** The node group named `nodeGroupName`; throws NODE_GROUP_NOT_FOUND naming the known ones. */
export function findNodeGroup(intent: NetworkIntent, nodeGroupName: string): { group: NodeGroup; index: number } {
  const index = intent.spec.nodeGroups.findIndex((g) => g.name === nodeGroupName);
  if (index < 0) {
    throw new MultinicError(NODE_GROUP_NOT_FOUND,
      `spec.nodeGroups: no node group named "${nodeGroupName}"; known: ${intent.spec.nodeGroups.map((g) => g.name).join(', ')}`);
  }
  return { group: intent.spec.nodeGroups[index], index };
}

/**
 * The node config of the nodes of `nodeGroupName`. Interfaces are on network card 0, device index = position + 1.
 * Networks: those with IPAM `eni-prefix` (ipvlan or host-device) whose interface is one of this group's; on each
 * interface they take its delegated prefixes in intent order, `ipam.prefixes` each.
 *
 * @throws MultinicError NODE_PREFIXES_EXHAUSTED when they need more than the interface's `ipv4PrefixCount`.
 */
export function nodeConfigFor(intent: NetworkIntent, nodeGroupName: string): NodeConfig {
  const { group, index: gi } = findNodeGroup(intent, nodeGroupName);
  const seen = new Map<string, number>();
  const interfaces = group.interfaces.map((itf, i): NodeInterfaceConfig => {
    const where = `spec.nodeGroups[${gi}].interfaces[${i}].name`;
    if (!IFNAME.test(itf.name) || itf.name === '.' || itf.name === '..') {
      throw new MultinicError(NODE_INTERFACE_INVALID,
        `${where}: "${itf.name}" is not a Linux interface name; use 1 to 15 of A-Z a-z 0-9 _ . - (e.g. multus0)`);
    }
    const previous = seen.get(itf.name);
    if (previous !== undefined) {
      throw new MultinicError(NODE_INTERFACE_INVALID,
        `${where}: "${itf.name}" is also the name of interfaces[${previous}]; give every interface of a node group its own name`);
    }
    seen.set(itf.name, i);
    return { networkCard: 0, deviceIndex: i + 1, name: itf.name };
  });

  const networks: NodeNetworkConfig[] = [];
  const taken = new Map<number, number>(); // interface index -> prefixes taken so far
  for (const network of intent.spec.networks) {
    if (network.ipam.type !== 'eni-prefix' || (network.type !== 'ipvlan' && network.type !== 'host-device' && network.type !== 'macvlan')) continue;
    const i = group.interfaces.findIndex((itf) => itf.name === prefixNetworkInterface(network));
    if (i < 0) continue;
    const itf = group.interfaces[i];
    const prefixOffset = taken.get(i) ?? 0;
    const prefixCount = network.ipam.prefixes;
    if (prefixOffset + prefixCount > itf.ipv4PrefixCount) {
      throw new MultinicError(NODE_PREFIXES_EXHAUSTED,
        `spec.nodeGroups[${gi}].interfaces[${i}].ipv4PrefixCount: ${itf.ipv4PrefixCount} /28 prefix(es) on "${itf.name}", but its eni-prefix networks need ${prefixOffset + prefixCount} up to network "${network.namespace}/${network.name}"; raise ipv4PrefixCount or lower ipam.prefixes`);
    }
    taken.set(i, prefixOffset + prefixCount);
    const subnet = intent.spec.subnets.find((s) => s.name === itf.subnet);
    if (subnet === undefined) {
      throw new MultinicError(NODE_INTERFACE_INVALID,
        `spec.nodeGroups[${gi}].interfaces[${i}].subnet: no subnet named "${itf.subnet}"; known: ${intent.spec.subnets.map((s) => s.name).join(', ') || '(none)'}`);
    }
    const cidr = Ipv4Cidr.parse(subnet.cidr).toString();
    networks.push({
      networkCard: 0,
      deviceIndex: i + 1,
      file: uniqueFile(perNodeCniFileName(network as PrefixNetwork), network as PrefixNetwork, networks),
      subnet: cidr,
      prefixOffset,
      prefixCount,
      // Routed via the ENI: the intent's other secondary subnets only, never the VPC (the node subnets stay on eth0).
      config: perNodeCniTemplate(network as PrefixNetwork, cidr, intent.spec.subnets.map((s) => s.cidr)),
    });
  }
  return { format: NODE_CONFIG_FORMAT, nodeGroup: group.name, mtu: intent.spec.vpc.mtu, interfaces, networks };
}

/**
 * `<namespace>-<name>.conf` names `a-b/c` and `a/b-c` alike: the later of two such networks on one node gets
 * `<namespace>.<name>.conf` ("." is in no DNS label, so that name is free). Multus finds a file by the `name` inside.
 */
function uniqueFile(preferred: string, network: PrefixNetwork, taken: readonly NodeNetworkConfig[]): string {
  return taken.some((n) => n.file === preferred) ? preferred.replace(`${network.namespace}-${network.name}`, `${network.namespace}.${network.name}`) : preferred;
}

/** The node config's text (see the module comment and docs/node-setup.md). */
export function renderNodeConfig(config: NodeConfig): string {
  return [
    '# multinic node config (docs/node-setup.md): written by user data from the intent, read by multinic-eni.sh.',
    `format ${config.format}`,
    `nodeGroup ${config.nodeGroup}`,
    `mtu ${config.mtu}`,
    ...config.interfaces.map((i) => `interface ${i.networkCard} ${i.deviceIndex} ${i.name}`),
    ...config.networks.map((n) => [
      'network', n.networkCard, n.deviceIndex, n.file, n.subnet, n.prefixOffset, n.prefixCount, JSON.stringify(n.config),
    ].join(' ')),
    '',
  ].join('\n');
}
