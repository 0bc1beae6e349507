/**
 * `multinic verify --aws`, the SDK half: the running instances of a cluster (DescribeInstances by the cluster tag),
 * their ENIs (DescribeNetworkInterfaces by `attachment.instance-id`) and the CIDRs of the ENIs' subnets
 * (DescribeSubnets), all through the SDK paginators with the EC2 client injected, so the CLI and the tests
 * (aws-sdk-client-mock) run the same code. The comparison with the intent is `lib/verify/aws.ts`.
 *
 * Read-only: needs ec2:DescribeInstances, ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets.
 */
import {
  EC2Client,
  paginateDescribeInstances,
  paginateDescribeNetworkInterfaces,
  paginateDescribeSubnets,
  type NetworkInterface,
  type Tag,
} from '@aws-sdk/client-ec2';
import { TAGS } from '../model/tags';
import type { ObservedEni, ObservedInstance } from '../verify/aws';
import { explainAwsError } from './live';

/** Progress after each page: the operation, 1-based page number and items fetched so far. */
export type OnVerifyPage = (operation: string, page: number, total: number) => void;

export interface ObserveFleetOptions {
  readonly onPage?: OnVerifyPage;
  /** MaxResults of each page. @default 1000 (the EC2 maximum for these calls) */
  readonly pageSize?: number;
  /** Values per filter (EC2 accepts at most 200). @default 200 */
  readonly filterChunk?: number;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function tagMap(tags: readonly Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

/** Reads every page of `iterate`, turning SDK failures a person can fix into MultinicError (explainAwsError). */
async function eachPage<P>(operation: string, iterate: () => AsyncIterable<P>, count: (p: P) => number, onPage: OnVerifyPage | undefined, start = { page: 0, total: 0 }): Promise<{ page: number; total: number }> {
  let { page, total } = start;
  try {
    for await (const p of iterate()) {
      page++;
      total += count(p);
      onPage?.(operation, page, total);
    }
  } catch (e) {
    throw explainAwsError(e, operation);
  }
  return { page, total };
}

/** Maps one DescribeNetworkInterfaces record to the shape the comparison reads (undefined when not attached). */
export function observedEni(n: NetworkInterface): { instanceId: string; eni: ObservedEni } | undefined {
  const a = n.Attachment;
  if (!a?.InstanceId || a.DeviceIndex === undefined) return undefined;
  return {
    instanceId: a.InstanceId,
    eni: {
      id: n.NetworkInterfaceId ?? '?',
      deviceIndex: a.DeviceIndex,
      networkCardIndex: a.NetworkCardIndex ?? 0,
      subnetId: n.SubnetId ?? '?',
      ipv4Prefixes: (n.Ipv4Prefixes ?? []).flatMap((p) => (p.Ipv4Prefix ? [p.Ipv4Prefix] : [])),
      tags: tagMap(n.TagSet),
      sourceDestCheck: n.SourceDestCheck ?? true,
    },
  };
}

/**
 * The running instances tagged `multinic.dev/cluster=<cluster>`, each with its attached ENIs (device index,
 * network card, subnet and its CIDR, delegated prefixes, tags, source/destination check), sorted by instance id
 * and device index.
 */
export async function observeFleet(client: EC2Client, cluster: string, opts: ObserveFleetOptions = {}): Promise<ObservedInstance[]> {
  const pageSize = opts.pageSize ?? 1000;
  const chunk = opts.filterChunk ?? 200;
  const instances = new Map<string, { id: string; privateIp?: string; group?: string; enis: ObservedEni[] }>();

  await eachPage('DescribeInstances', () => paginateDescribeInstances({ client, pageSize }, {
    Filters: [
      { Name: `tag:${TAGS.cluster}`, Values: [cluster] },
      { Name: 'instance-state-name', Values: ['running'] },
    ],
  }), (p) => {
    let n = 0;
    for (const r of p.Reservations ?? []) {
      for (const i of r.Instances ?? []) {
        if (!i.InstanceId) continue;
        n++;
        instances.set(i.InstanceId, { id: i.InstanceId, privateIp: i.PrivateIpAddress, group: tagMap(i.Tags)[TAGS.nodeGroup], enis: [] });
      }
    }
    return n;
  }, opts.onPage);

  const subnetIds = new Set<string>();
  let progress = { page: 0, total: 0 };
  for (const ids of chunks([...instances.keys()], chunk)) {
    progress = await eachPage('DescribeNetworkInterfaces', () => paginateDescribeNetworkInterfaces({ client, pageSize }, {
      Filters: [{ Name: 'attachment.instance-id', Values: ids }],
    }), (p) => {
      for (const n of p.NetworkInterfaces ?? []) {
        const o = observedEni(n);
        const inst = o && instances.get(o.instanceId);
        if (!o || !inst) continue;
        inst.enis.push(o.eni);
        subnetIds.add(o.eni.subnetId);
      }
      return p.NetworkInterfaces?.length ?? 0;
    }, opts.onPage, progress);
  }

  const cidrs = new Map<string, string>();
  progress = { page: 0, total: 0 };
  for (const ids of chunks([...subnetIds].sort(), chunk)) {
    progress = await eachPage('DescribeSubnets', () => paginateDescribeSubnets({ client, pageSize }, {
      Filters: [{ Name: 'subnet-id', Values: ids }],
    }), (p) => {
      for (const s of p.Subnets ?? []) if (s.SubnetId && s.CidrBlock) cidrs.set(s.SubnetId, s.CidrBlock);
      return p.Subnets?.length ?? 0;
    }, opts.onPage, progress);
  }

  return [...instances.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((i) => ({
      ...i,
      enis: i.enis
        .map((e) => ({ ...e, subnetCidr: cidrs.get(e.subnetId) }))
        .sort((a, b) => (a.networkCardIndex ?? 0) - (b.networkCardIndex ?? 0) || a.deviceIndex - b.deviceIndex),
    }));
}
