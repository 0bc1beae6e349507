/**
 * The live path: DescribeInstanceTypes / DescribeInstanceTypeOfferings through the SDK paginators, with the
 * EC2 client injected so the CLI and the tests (aws-sdk-client-mock) run the same code.
 *
 * Throttled pages are retried here, restarting the paginator at the last good NextToken: the SDK's own retry
 * middleware also runs in production, this makes the behaviour explicit and testable.
 */
import {
  EC2Client,
  paginateDescribeInstanceTypeOfferings,
  paginateDescribeInstanceTypes,
  type DescribeInstanceTypesCommandInput,
  type Filter,
  type InstanceTypeInfo as Ec2InstanceTypeInfo,
} from '@aws-sdk/client-ec2';
import { MultinicError } from '../errors';
import type { Architecture, EnaSupport, InstanceTypeInfo } from './instance-type-info';
import { sortCatalogue } from './snapshot-source';
import type { TypeFilter } from './instance-types';

/** Progress after each page: 1-based page number and items fetched so far. */
export type OnPage = (page: number, total: number) => void;

export interface LiveOptions {
  readonly onPage?: OnPage;
  /** Waits between retries. @default - setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Attempts per page before giving up on throttling. @default 5 */
  readonly maxAttempts?: number;
  /** Page size sent as MaxResults. @default 100 */
  readonly pageSize?: number;
}

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled']);
const DENIED = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException', 'AuthFailure']);
const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function errName(e: unknown): string {
  return (e as { name?: string; Code?: string })?.name ?? (e as { Code?: string })?.Code ?? '';
}

/** True for the errors EC2 returns when requests are rate-limited. */
export function isThrottling(e: unknown): boolean {
  return THROTTLING.has(errName(e));
}

/**
 * Turns SDK failures a person can fix into MultinicError with a stable code; anything else is returned as is.
 * Codes: AWS_NO_CREDENTIALS, AWS_NO_REGION, AWS_ACCESS_DENIED, AWS_THROTTLED.
 */
export function explainAwsError(e: unknown, operation: string): unknown {
  const name = errName(e);
  const msg = (e as Error)?.message ?? String(e);
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(msg)) {
    return new MultinicError('AWS_NO_CREDENTIALS', `${operation}: no AWS credentials found. Set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run where an instance role is available.`);
  }
  if (/region is missing/i.test(msg)) {
    return new MultinicError('AWS_NO_REGION', `${operation}: no AWS region. Pass --region (e.g. --region us-east-1) or set AWS_REGION.`);
  }
  if (DENIED.has(name)) {
    return new MultinicError('AWS_ACCESS_DENIED', `${operation} was denied (${name}: ${msg}). Grant the caller ec2:${operation} (read-only) or use another profile.`);
  }
  if (isThrottling(e)) {
    return new MultinicError('AWS_THROTTLED', `${operation} was still throttled after retries (${name}). Wait a minute and run it again.`);
  }
  return e;
}

/**
 * Runs a paginator from `startingToken`, retrying throttled pages with exponential backoff from the last good
 * token. `collect` receives each page; returns when the last page is read.
 */
async function pages<P extends { NextToken?: string }>(
  operation: string,
  open: (startingToken: string | undefined) => AsyncIterable<P>,
  collect: (page: P) => number,
  opts: LiveOptions,
): Promise<void> {
  const sleep = opts.sleep ?? realSleep;
  const maxAttempts = opts.maxAttempts ?? 5;
  let token: string | undefined;
  let page = 0;
  let total = 0;
  let attempt = 0;
  for (;;) {
    try {
      for await (const p of open(token)) {
        page++;
        total += collect(p);
        attempt = 0;
        token = p.NextToken;
        opts.onPage?.(page, total);
      }
      return;
    } catch (e) {
      attempt++;
      if (!isThrottling(e) || attempt >= maxAttempts) throw explainAwsError(e, operation);
      await sleep(200 * 2 ** (attempt - 1));
    }
  }
}

/** EC2 filters for what the API can filter on; the rest (minimum ENIs) is applied to the records afterwards. */
export function ec2Filters(f: TypeFilter): Filter[] {
  const filters: Filter[] = [];
  if (f.ena === 'required') filters.push({ Name: 'network-info.ena-support', Values: ['required'] });
  if (f.ena === 'supported') filters.push({ Name: 'network-info.ena-support', Values: ['required', 'supported'] });
  if (f.efa) filters.push({ Name: 'network-info.efa-supported', Values: ['true'] });
  if (f.arch) filters.push({ Name: 'processor-info.supported-architecture', Values: [f.arch] });
  return filters;
}

const ARCHES = new Set<string>(['arm64', 'arm64_mac', 'i386', 'x86_64', 'x86_64_mac']);

/** Maps one DescribeInstanceTypes record to the catalogue shape (the same shape the snapshot has). */
export function fromDescribeInstanceTypes(t: Ec2InstanceTypeInfo): InstanceTypeInfo {
  const n = t.NetworkInfo ?? {};
  const name = t.InstanceType ?? '';
  const hypervisor = t.Hypervisor === 'nitro' || t.Hypervisor === 'xen' ? t.Hypervisor : 'unknown';
  const bareMetal = t.BareMetal === true;
  const def = n.DefaultNetworkCardIndex ?? 0;
  const enisPerCard: number[] = [];
  for (const c of n.NetworkCards ?? []) enisPerCard[c.NetworkCardIndex ?? 0] = c.MaximumNetworkInterfaces ?? 0;
  const perCard = Array.from(enisPerCard, (v) => v ?? 0);
  const max = n.MaximumNetworkInterfaces ?? perCard.reduce((a, b) => a + b, 0);
  const ena: EnaSupport = n.EnaSupport === 'required' || n.EnaSupport === 'supported' ? n.EnaSupport : 'unsupported';
  return {
    name,
    hypervisor,
    bareMetal,
    nitro: hypervisor === 'nitro' || bareMetal,
    defaultNetworkCardIndex: def,
    enisPerCard: perCard.length > 0 ? perCard : [max],
    maxEnisDefaultCard: perCard[def] ?? max,
    maxEnis: max,
    ipv4PerEni: n.Ipv4AddressesPerInterface ?? 0,
    ena,
    efa: n.EfaSupported === true,
    architectures: [...new Set((t.ProcessorInfo?.SupportedArchitectures ?? []).filter((a) => ARCHES.has(a)))].sort() as Architecture[],
    networkPerformance: n.NetworkPerformance ?? null,
  };
}

/** Every instance type the region offers that matches `filters`, sorted by name. */
export async function describeInstanceTypes(client: EC2Client, filters: Filter[], opts: LiveOptions = {}): Promise<InstanceTypeInfo[]> {
  const out: InstanceTypeInfo[] = [];
  const input: DescribeInstanceTypesCommandInput = filters.length > 0 ? { Filters: filters } : {};
  await pages('DescribeInstanceTypes',
    (startingToken) => paginateDescribeInstanceTypes({ client, pageSize: opts.pageSize ?? 100, startingToken }, input),
    (p) => { for (const t of p.InstanceTypes ?? []) out.push(fromDescribeInstanceTypes(t)); return p.InstanceTypes?.length ?? 0; },
    opts);
  return sortCatalogue(out);
}

/** Names of the instance types offered in availability zone `zone` (e.g. us-east-1a). */
export async function offeringsInZone(client: EC2Client, zone: string, opts: LiveOptions = {}): Promise<Set<string>> {
  const names = new Set<string>();
  await pages('DescribeInstanceTypeOfferings',
    (startingToken) => paginateDescribeInstanceTypeOfferings({ client, pageSize: opts.pageSize ?? 1000, startingToken },
      { LocationType: 'availability-zone', Filters: [{ Name: 'location', Values: [zone] }] }),
    (p) => { for (const o of p.InstanceTypeOfferings ?? []) if (o.InstanceType) names.add(o.InstanceType); return p.InstanceTypeOfferings?.length ?? 0; },
    opts);
  return names;
}
