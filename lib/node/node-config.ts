/**
 * The node config: what user data writes to `/etc/multinic/node.json` for `infra/node/multinic-eni.sh` to read.
 *
 * It holds the interface name of every secondary ENI by (network card, device index), the VPC MTU, and for every
 * network whose pod addresses come from an ENI's delegated prefixes, the per-node CNI config with empty `ranges`.
 *
 * The script reads it with awk (it may use only bash, curl, iproute2, coreutils and awk), so the layout is part
 * of the contract, documented in docs/node-setup.md and produced only by `renderNodeConfig`:
 *
 * ```
 * {
 *   "schema": "multinic.dev/node-config/v1",
 *   "nodeGroup": "workers",
 *   "mtu": 9001,
 *   "interfaces": [
 *     {"networkCard":0,"deviceIndex":1,"name":"multus0"}
 *   ],
 *   "networks": [
 *     {"networkCard":0,"deviceIndex":1,"file":"default-net.conf","subnet":"10.0.128.0/24","prefixOffset":0,"prefixCount":1,"config":{...,"ranges":[],...}}
 *   ]
 * }
 * ```
 * Top-level keys sit on their own lines with two spaces of indent; every interface and every network is one
 * compact JSON object on its own line, and `config` is the last key of a network line.
 */
import type { JsonObject, JsonValue } from '../cni';
import { MultinicError } from '../errors';
import type { NetworkIntent, NodeGroup } from '../intent/types';
import { Ipv4Cidr } from '../net/ipv4';
import {
  perNodeCniFileName, perNodeCniTemplate, prefixNetworkInterface, prefixRanges, type PrefixNetwork,
} from './per-node-cni';

export const NODE_CONFIG_SCHEMA = 'multinic.dev/node-config/v1';
/** Where user data writes the node config; the script's default (`MULTINIC_NODE_CONFIG`). */
export const NODE_CONFIG_PATH = '/etc/multinic/node.json';
/** Route table of a secondary ENI: 10000 + 100 x network card + device index (as amazon-ec2-net-utils). */
export const ROUTE_TABLE_BASE = 10000;

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
  readonly schema: typeof NODE_CONFIG_SCHEMA;
  readonly nodeGroup: string;
  /** MTU of the VPC, given to every secondary ENI. */
  readonly mtu: number;
  readonly interfaces: readonly NodeInterfaceConfig[];
  readonly networks: readonly NodeNetworkConfig[];
}

/** The route table of the ENI at (networkCard, deviceIndex). */
export function routeTableFor(networkCard: number, deviceIndex: number): number {
  return ROUTE_TABLE_BASE + 100 * networkCard + deviceIndex;
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
  return { schema: NODE_CONFIG_SCHEMA, nodeGroup: group.name, mtu: intent.spec.vpc.mtu, interfaces, networks };
}

/**
 * `<namespace>-<name>.conf` names `a-b/c` and `a/b-c` alike: the later of two such networks on one node gets
 * `<namespace>.<name>.conf` ("." is in no DNS label, so that name is free). Multus finds a file by the `name` inside.
 */
function uniqueFile(preferred: string, network: PrefixNetwork, taken: readonly NodeNetworkConfig[]): string {
  return taken.some((n) => n.file === preferred) ? preferred.replace(`${network.namespace}-${network.name}`, `${network.namespace}.${network.name}`) : preferred;
}

/** The node.json text in the line layout the script reads (see the module comment and docs/node-setup.md). */
export function renderNodeConfig(config: NodeConfig): string {
  const list = (key: string, items: readonly object[]): string => (items.length === 0
    ? `  "${key}": []`
    : [`  "${key}": [`, items.map((o) => `    ${JSON.stringify(o)}`).join(',\n'), '  ]'].join('\n'));
  return [
    '{',
    `  "schema": ${JSON.stringify(config.schema)},`,
    `  "nodeGroup": ${JSON.stringify(config.nodeGroup)},`,
    `  "mtu": ${config.mtu},`,
    `${list('interfaces', config.interfaces.map((i) => ({ networkCard: i.networkCard, deviceIndex: i.deviceIndex, name: i.name })))},`,
    list('networks', config.networks.map((n) => ({
      networkCard: n.networkCard, deviceIndex: n.deviceIndex, file: n.file, subnet: n.subnet,
      prefixOffset: n.prefixOffset, prefixCount: n.prefixCount, config: n.config,
    }))),
    '}',
    '',
  ].join('\n');
}

/** Delegated prefixes sorted numerically by network address (IMDS lists them in no promised order). */
export function sortPrefixes(prefixes: readonly string[]): string[] {
  return [...prefixes].map((p) => Ipv4Cidr.parse(p)).sort((a, b) => (a.network.value < b.network.value ? -1 : a.network.value > b.network.value ? 1 : 0))
    .map((c) => c.toString());
}

/** What IMDS says about one secondary ENI of a node, as far as the per-node CNI files need it. */
export interface EniPrefixFacts {
  readonly networkCard: number;
  readonly deviceIndex: number;
  /** `subnet-ipv4-cidr-block`. */
  readonly subnet: string;
  /** `ipv4-prefix`, in the order IMDS lists them. */
  readonly prefixes: readonly string[];
}

/**
 * The per-node CNI files (name -> wire object) that `infra/node/multinic-eni.sh` writes for these IMDS facts:
 * each network's template with one host-local range per prefix of its slice. The script is the implementation on
 * the node; this is the same rule in TypeScript, for tests and the self-test (test/node proves they agree).
 *
 * @throws MultinicError NODE_PREFIXES_EXHAUSTED when an ENI has fewer prefixes than its networks take.
 */
export function perNodeFiles(config: NodeConfig, enis: readonly EniPrefixFacts[]): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  for (const n of config.networks) {
    const eni = enis.find((e) => e.networkCard === n.networkCard && e.deviceIndex === n.deviceIndex);
    if (eni === undefined) continue;
    const slice = sortPrefixes(eni.prefixes).slice(n.prefixOffset, n.prefixOffset + n.prefixCount);
    if (slice.length < n.prefixCount) {
      throw new MultinicError(NODE_PREFIXES_EXHAUSTED,
        `${n.file}: takes prefixes ${n.prefixOffset + 1} to ${n.prefixOffset + n.prefixCount} of the ENI at device index ${n.deviceIndex}, but IMDS lists ${eni.prefixes.length}`);
    }
    out.set(n.file, withRanges(n.config, prefixRanges(slice, eni.subnet)));
  }
  return out;
}

function withRanges(wire: JsonObject, ranges: JsonValue): JsonObject {
  if (Array.isArray(wire.plugins)) {
    const [first, ...rest] = wire.plugins as JsonObject[];
    return { ...wire, plugins: [withRanges(first, ranges), ...rest] };
  }
  const ipam = wire.ipam as JsonObject;
  return { ...wire, ipam: Object.fromEntries(Object.entries(ipam).map(([k, v]) => [k, k === 'ranges' ? ranges : v])) };
}
