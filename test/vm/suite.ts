/**
 * The data of the VM test's suite (test/vm/guest/suite.sh): two nodes' ENIs from mock IMDS facts, the VPC model, the
 * per-node CNI configs multinic-eni.sh writes for them (each network's lib/node template with its slice of the sorted
 * prefixes: test/node proves the script's files equal perNodeCniWire's for the same slices), the seed's failures, and every ipvlan
 * NetworkAttachmentDefinition config of the default intent.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonObject } from '../../lib/cni';
import { hasPerNodeConfig, nadConfigJson } from '../../lib/model/network-cni';
import type { Network, NetworkIntent, WhereaboutsIpam } from '../../lib/intent/types';
import { Ipv4Address, Ipv4Cidr } from '../../lib/net/ipv4';
import { nodeConfigFor, type NodeConfig } from '../../lib/node/node-config';
import { perNodeCniFileName, perNodeCniWire, type PrefixNetwork } from '../../lib/node/per-node-cni';
import { vpcRuleset } from './vpc-model';

/** A node's secondary ENI as IMDS describes it (prefixes in IMDS order: deliberately not sorted). */
export interface NodeEni {
  readonly node: 'a' | 'b';
  readonly mac: string;
  readonly address: string;
  readonly subnet: string;
  readonly prefixes: readonly string[];
}

/** Four /28s per node (the default intent's ipv4PrefixCount: one per network), out of numeric order. */
export const NODE_ENIS: readonly NodeEni[] = [
  { node: 'a', mac: '02:00:00:00:0a:01', address: '10.0.128.10', subnet: '10.0.128.0/24', prefixes: ['10.0.128.48/28', '10.0.128.16/28', '10.0.128.96/28', '10.0.128.32/28'] },
  { node: 'b', mac: '02:00:00:00:0b:01', address: '10.0.128.11', subnet: '10.0.128.0/24', prefixes: ['10.0.128.80/28', '10.0.128.64/28', '10.0.128.144/28', '10.0.128.128/28'] },
];
/** A /28 in the subnet that is delegated to no node: the seed's "address outside the prefix". */
export const UNDELEGATED_PREFIX = '10.0.128.192/28';

export interface SuitePlan {
  /** Per node: file name -> the per-node CNI config multinic renders. */
  readonly perNode: ReadonlyMap<'a' | 'b', ReadonlyMap<string, JsonObject>>;
  /** The eni-prefix network the connectivity cases use. */
  readonly network: PrefixNetwork;
  /** Names of the NADs that get ADD / CHECK / DEL. */
  readonly nads: readonly string[];
  /**
   * Every eni-prefix ipvlan network, in intent order, with its cross-node case: pod `xa<i>` on node a pings pod
   * `xb<i>` on node b, each with its node's per-node config of that network (`cross:<name>`).
   */
  readonly crossNode: readonly { readonly name: string; readonly file: string; readonly podA: string; readonly podB: string }[];
}

function line(...fields: string[]): string {
  return fields.join(' ');
}

/**
 * Writes the suite directory for `intent` (the default intent) into `dir`: suite.sh and its data.
 *
 * @param suiteScript the text of test/vm/guest/suite.sh
 */
export function writeSuite(dir: string, intent: NetworkIntent, suiteScript: string): SuitePlan {
  mkdirSync(join(dir, 'conf'), { recursive: true });
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  write('suite.sh', suiteScript);
  write('env', [`NODES="${NODE_ENIS.map((e) => e.node).join(' ')}"`, ...NODE_ENIS.flatMap((e) => [`${e.node}_MAC=${e.mac}`, `${e.node}_IP=${e.address}`]), ''].join('\n'));
  write('vpc.nft', vpcRuleset(NODE_ENIS.map((e) => ({ port: `p${e.node}`, mac: e.mac, addresses: [e.address], prefixes: e.prefixes }))));

  const config = nodeConfigFor(intent, 'workers');
  const perNode = new Map(NODE_ENIS.map((e) => [e.node, perNodeFilesOf(intent, config, e)] as const));
  const network = intent.spec.networks.find((n) => hasPerNodeConfig(n) && n.type === 'ipvlan') as PrefixNetwork | undefined;
  if (network === undefined) throw new Error('the intent has no ipvlan network with eni-prefix IPAM');
  const file = config.networks.find((n) => n.file.startsWith(`${network.namespace}-${network.name}.`))?.file;
  if (file === undefined) throw new Error(`no per-node file for ${network.name}`);
  const conf = (name: string, wire: JsonObject) => { write(`conf/${name}`, `${JSON.stringify(wire)}\n`); return `/suite/conf/${name}`; };
  for (const [node, files] of perNode) for (const [f, wire] of files) conf(`${node}-${f}`, wire);
  const a = `/suite/conf/a-${file}`;
  const b = `/suite/conf/b-${file}`;
  const vpc = intent.spec.vpc.cidr;
  const outside = conf('outside-prefix.conf', perNodeCniWire(network, NODE_ENIS[0].subnet, vpc, [UNDELEGATED_PREFIX]));
  const asMacvlan = { ...network, type: 'macvlan', mode: 'bridge' } as PrefixNetwork;
  const macA = conf('macvlan-a.conf', perNodeCniWire(asMacvlan, NODE_ENIS[0].subnet, vpc, [sortPrefixes(NODE_ENIS[0].prefixes)[0]]));
  const macB = conf('macvlan-b.conf', perNodeCniWire(asMacvlan, NODE_ENIS[1].subnet, vpc, [sortPrefixes(NODE_ENIS[1].prefixes)[0]]));

  const perNodeIpvlan = intent.spec.networks.filter((n) => n.type === 'ipvlan' && hasPerNodeConfig(n));
  const crossNode = perNodeIpvlan.map((n, i) => {
    const f = config.networks.find((c) => c.file === `${n.namespace}-${n.name}.conf`)?.file;
    if (f === undefined) throw new Error(`no per-node file for ${n.name}`);
    return { name: n.name, file: f, podA: `xa${i}`, podB: `xb${i}` };
  });

  write('pods.txt', [
    line('ipvlan', 'a', 'pa1', a, 'ipvlan'), line('ipvlan', 'a', 'pa2', a, 'ipvlan'), line('ipvlan', 'b', 'pb1', b, 'ipvlan'),
    ...crossNode.flatMap((c) => [line('every-network', 'a', c.podA, `/suite/conf/a-${c.file}`, 'ipvlan'), line('every-network', 'b', c.podB, `/suite/conf/b-${c.file}`, 'ipvlan')]),
    line('outside', 'a', 'po1', outside, 'ipvlan'), line('outside', 'b', 'pb2', b, 'ipvlan'),
    line('macvlan', 'a', 'ma1', macA, 'macvlan'), line('macvlan', 'b', 'mb1', macB, 'macvlan'),
    line('macvlan-no-mac-rule', 'a', 'ma2', macA, 'macvlan'), line('macvlan-no-mac-rule', 'b', 'mb2', macB, 'macvlan'),
    '',
  ].join('\n'));
  write('pings.txt', [
    line('ipvlan', 'ipvlan-a-to-b', 'pa1', 'pod:pb1'), line('ipvlan', 'ipvlan-b-to-a', 'pb1', 'pod:pa1'),
    line('ipvlan', 'ipvlan-same-node', 'pa1', 'pod:pa2'),
    ...crossNode.map((c) => line('every-network', `cross:${c.name}`, c.podA, `pod:${c.podB}`)),
    line('outside', 'outside-prefix-a-to-b', 'po1', 'pod:pb2'),
    line('macvlan', 'macvlan-a-to-b', 'ma1', 'pod:mb1'),
    line('macvlan-no-mac-rule', 'macvlan-a-to-b-without-mac-rule', 'ma2', 'pod:mb2'),
    '',
  ].join('\n'));

  // Every ipvlan NAD of the intent: the cluster-wide config, or node a's per-node one of that network. Whereabouts
  // has no binary in Debian: it runs as host-local over the same range (the plugin, not the IPAM, is what the kernel
  // must support).
  const nads: string[] = [];
  const nadLines: string[] = [];
  for (const n of intent.spec.networks) {
    if (n.type !== 'ipvlan') continue;
    const own = crossNode.find((c) => c.name === n.name);
    const path = own ? `/suite/conf/a-${own.file}` : conf(`nad-${n.name}.conf`, JSON.parse(nadConfigJson(runnable(n))));
    nads.push(n.name);
    nadLines.push(line(n.name, path, 'ipvlan'));
  }
  write('nads.txt', `${nadLines.join('\n')}\n`);
  return { perNode, network, nads, crossNode };
}

/** Delegated prefixes in numeric order (IMDS lists them in no promised order; the script sorts them the same way). */
function sortPrefixes(prefixes: readonly string[]): string[] {
  return prefixes.map((p) => Ipv4Cidr.parse(p)).sort((a, b) => a.network.compare(b.network)).map((c) => c.toString());
}

/** The files multinic-eni.sh writes for the ENI `e` (device index 1): each network's slice of the sorted prefixes. */
function perNodeFilesOf(intent: NetworkIntent, config: NodeConfig, e: NodeEni): Map<string, JsonObject> {
  const sorted = sortPrefixes(e.prefixes);
  const routed = intent.spec.subnets.map((s) => s.cidr);
  return new Map(config.networks.filter((n) => n.deviceIndex === 1).map((n) => {
    const network = intent.spec.networks.find((x) => hasPerNodeConfig(x) && perNodeCniFileName(x as PrefixNetwork) === n.file) as PrefixNetwork;
    return [n.file, perNodeCniWire(network, e.subnet, routed, sorted.slice(n.prefixOffset, n.prefixOffset + n.prefixCount))] as const;
  }));
}

/** Whereabouts -> host-local over the same range, starting after the excluded blocks. */
function runnable(n: Network): Network {
  if (n.ipam.type !== 'whereabouts') return n;
  const w: WhereaboutsIpam = n.ipam;
  const range = Ipv4Cidr.parse(w.range);
  let start = w.range_start !== undefined ? Ipv4Address.parse(w.range_start) : range.network.plus(1);
  for (const e of (w.exclude ?? []).map((x) => Ipv4Cidr.parse(x))) {
    if (e.contains(start)) start = e.last.plus(1);
  }
  return {
    ...n,
    ipam: {
      type: 'host-local',
      ranges: [[{ subnet: range.toString(), rangeStart: start.toString(), ...(w.range_end !== undefined ? { rangeEnd: w.range_end } : {}), ...(w.gateway !== undefined ? { gateway: w.gateway } : {}) }]],
      ...(w.routes !== undefined ? { routes: w.routes } : {}),
    },
  };
}
