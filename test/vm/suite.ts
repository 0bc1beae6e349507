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

export const NODE_ENIS: readonly NodeEni[] = [
  { node: 'a', mac: '02:00:00:00:0a:01', address: '10.0.128.10', subnet: '10.0.128.0/24', prefixes: ['10.0.128.48/28', '10.0.128.16/28'] },
  { node: 'b', mac: '02:00:00:00:0b:01', address: '10.0.128.11', subnet: '10.0.128.0/24', prefixes: ['10.0.128.80/28', '10.0.128.64/28'] },
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

  write('pods.txt', [
    line('ipvlan', 'a', 'pa1', a, 'ipvlan'), line('ipvlan', 'a', 'pa2', a, 'ipvlan'), line('ipvlan', 'b', 'pb1', b, 'ipvlan'),
    line('outside', 'a', 'po1', outside, 'ipvlan'), line('outside', 'b', 'pb2', b, 'ipvlan'),
    line('macvlan', 'a', 'ma1', macA, 'macvlan'), line('macvlan', 'b', 'mb1', macB, 'macvlan'),
    line('macvlan-no-mac-rule', 'a', 'ma2', macA, 'macvlan'), line('macvlan-no-mac-rule', 'b', 'mb2', macB, 'macvlan'),
    '',
  ].join('\n'));
  write('pings.txt', [
    line('ipvlan', 'ipvlan-a-to-b', 'pa1', 'pod:pb1'), line('ipvlan', 'ipvlan-b-to-a', 'pb1', 'pod:pa1'),
    line('ipvlan', 'ipvlan-same-node', 'pa1', 'pod:pa2'),
    line('outside', 'outside-prefix-a-to-b', 'po1', 'pod:pb2'),
    line('macvlan', 'macvlan-a-to-b', 'ma1', 'pod:mb1'),
    line('macvlan-no-mac-rule', 'macvlan-a-to-b-without-mac-rule', 'ma2', 'pod:mb2'),
    '',
  ].join('\n'));

  // Every ipvlan NAD of the intent: the cluster-wide config, or node a's per-node one. Whereabouts has no binary in
  // Debian: it runs as host-local over the same range (the plugin, not the IPAM, is what the kernel must support).
  const nads: string[] = [];
  const nadLines: string[] = [];
  for (const n of intent.spec.networks) {
    if (n.type !== 'ipvlan') continue;
    const path = hasPerNodeConfig(n) ? a : conf(`nad-${n.name}.conf`, JSON.parse(nadConfigJson(runnable(n))));
    nads.push(n.name);
    nadLines.push(line(n.name, path, 'ipvlan'));
  }
  write('nads.txt', `${nadLines.join('\n')}\n`);
  return { perNode, network, nads };
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
