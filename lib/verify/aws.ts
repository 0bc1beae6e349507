/**
 * `multinic verify --aws`, the pure half: the intent's node groups against the instances and ENIs EC2 reports.
 * The SDK calls that fill `ObservedInstance` live in `lib/aws/verify-aws.ts`; nothing here talks to AWS.
 *
 * Subnets are matched by CIDR: the intent names a subnet and gives its CIDR, the stack creates exactly that block,
 * and EC2 cannot have two subnets with one CIDR in a VPC. So the check needs no stack outputs and still catches an
 * ENI in a subnet of the right name but the wrong block (a hand-made copy, an older stack).
 */
import type { NetworkIntent, NodeGroup, NodeInterface, Subnet } from '../intent/types';
import { TAGS } from '../model/tags';
import type { VerifyRow, VerifyStatus } from './types';

/** One ENI attached to an instance, as DescribeNetworkInterfaces (and DescribeSubnets for the CIDR) report it. */
export interface ObservedEni {
  readonly id: string;
  readonly deviceIndex: number;
  /** @default 0 */
  readonly networkCardIndex?: number;
  readonly subnetId: string;
  /** CIDR of the ENI's subnet. @default - unknown (the subnet was not described) */
  readonly subnetCidr?: string;
  /** Delegated IPv4 prefixes (`10.0.128.16/28`). */
  readonly ipv4Prefixes: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly sourceDestCheck: boolean;
}

/** One running instance of the cluster and its ENIs. */
export interface ObservedInstance {
  readonly id: string;
  /** Primary private IPv4 address, to tell nodes apart in the table. @default - not shown */
  readonly privateIp?: string;
  /** Value of the node-group tag. @default - untagged */
  readonly group?: string;
  readonly enis: readonly ObservedEni[];
}

const row = (subject: string, group: string, device: string, check: string, expected: string, observed: string, status: VerifyStatus): VerifyRow =>
  ({ subject, group, device, check, expected, observed, status });

const okOr = (same: boolean, otherwise: VerifyStatus = 'drift'): VerifyStatus => (same ? 'ok' : otherwise);

/** `i-0abc (10.0.1.5)`. */
export function instanceLabel(i: ObservedInstance): string {
  return i.privateIp ? `${i.id} (${i.privateIp})` : i.id;
}

/** Checks of one intended interface against the ENI found at its device index. */
function interfaceRows(subject: string, group: string, device: string, itf: NodeInterface, subnet: Subnet | undefined, eni: ObservedEni): VerifyRow[] {
  const rows: VerifyRow[] = [];
  const wantCidr = subnet?.cidr ?? '?';
  const seen = `${eni.subnetId} ${eni.subnetCidr ?? '(CIDR unknown)'}`;
  rows.push(row(subject, group, device, 'subnet', `${itf.subnet} ${wantCidr}`, seen, okOr(eni.subnetCidr !== undefined && eni.subnetCidr === subnet?.cidr)));
  const prefixes = eni.ipv4Prefixes.length;
  rows.push(row(subject, group, device, 'ipv4 prefixes', String(itf.ipv4PrefixCount),
    prefixes === 0 ? '0' : `${prefixes} (${eni.ipv4Prefixes.join(', ')})`, okOr(prefixes === itf.ipv4PrefixCount, prefixes < itf.ipv4PrefixCount ? 'missing' : 'drift')));
  const tag = eni.tags[TAGS.noManage.key];
  rows.push(row(subject, group, device, `tag ${TAGS.noManage.key}`, TAGS.noManage.value, tag ?? '(absent)',
    okOr(tag === TAGS.noManage.value, tag === undefined ? 'missing' : 'drift')));
  rows.push(row(subject, group, device, 'source/dest check', itf.sourceDestCheck ? 'on' : 'off', eni.sourceDestCheck ? 'on' : 'off',
    okOr(eni.sourceDestCheck === itf.sourceDestCheck)));
  return rows;
}

/** The rows of one instance of an intended node group. */
function instanceRows(intent: NetworkIntent, g: NodeGroup, inst: ObservedInstance): VerifyRow[] {
  const subject = instanceLabel(inst);
  const rows: VerifyRow[] = [];
  const onCard0 = inst.enis.filter((e) => (e.networkCardIndex ?? 0) === 0);
  g.interfaces.forEach((itf, i) => {
    const device = `${i + 1} ${itf.name}`;
    const found = onCard0.filter((e) => e.deviceIndex === i + 1);
    if (found.length === 0) {
      rows.push(row(subject, g.name, device, 'ENI', `ENI in ${itf.subnet}`, '(no ENI at this device index)', 'missing'));
      return;
    }
    const subnet = intent.spec.subnets.find((s) => s.name === itf.subnet);
    rows.push(...interfaceRows(subject, g.name, device, itf, subnet, found[0]));
  });
  for (const e of inst.enis) {
    const card = e.networkCardIndex ?? 0;
    if (card === 0 && e.deviceIndex <= g.interfaces.length) continue;
    rows.push(row(subject, g.name, card === 0 ? String(e.deviceIndex) : `${e.deviceIndex} card ${card}`, 'ENI', '(none)',
      `${e.id} in ${e.subnetId} ${e.subnetCidr ?? ''}`.trimEnd(), 'unexpected'));
  }
  return rows;
}

/**
 * Every intended node group against the running instances tagged with the cluster: node count per group, then for
 * each node and each intended interface (device index = position + 1, network card 0) the subnet (by CIDR), the
 * number of delegated /28 prefixes, the `no_manage` tag and the source/destination check. ENIs the intent does not
 * name and instances of groups it does not have are reported as unexpected.
 *
 * @param instances the running instances that carry the cluster tag
 */
export function verifyFleet(intent: NetworkIntent, instances: readonly ObservedInstance[]): VerifyRow[] {
  const rows: VerifyRow[] = [];
  const byGroup = new Map<string, ObservedInstance[]>();
  for (const inst of instances) {
    const key = inst.group ?? '';
    byGroup.set(key, [...(byGroup.get(key) ?? []), inst]);
  }
  for (const g of intent.spec.nodeGroups) {
    const members = [...(byGroup.get(g.name) ?? [])].sort((a, b) => a.id.localeCompare(b.id));
    const n = members.length;
    rows.push(row(`group ${g.name}`, g.name, '-', 'running nodes', String(g.count), String(n), okOr(n === g.count, n < g.count ? 'missing' : 'drift')));
    for (const inst of members) rows.push(...instanceRows(intent, g, inst));
  }
  const known = new Set(intent.spec.nodeGroups.map((g) => g.name));
  for (const [key, members] of byGroup) {
    if (known.has(key)) continue;
    for (const inst of members) {
      rows.push(row(instanceLabel(inst), key || '(untagged)', '-', 'node group', `one of ${[...known].join(', ')}`,
        key ? `tag ${TAGS.nodeGroup}=${key}` : `no ${TAGS.nodeGroup} tag`, 'unexpected'));
    }
  }
  return rows;
}
