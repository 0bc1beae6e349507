/**
 * The Whereabouts IPAM plugin: cluster-wide allocation from `range`, kept in Kubernetes custom resources.
 *
 * The model uses camelCase; the serializer writes Whereabouts' own snake_case keys (`range_start`, `range_end`,
 * `network_name`).
 *
 * @see https://github.com/k8snetworkplumbingwg/whereabouts#extended-configuration
 */
import { MultinicError } from '../../errors';
import { CNI_INVALID_CONFIG } from '../codes';
import type { CniRoute } from '../route';
import { cidrContains, firstHost, formatIp, type IpFamily, type ParsedCidr } from '../../net/ip';
import { checkRoutes, parseCidr, parseIp } from '../private/validate';

export interface WhereaboutsIpamProps {
  /** Pool CIDR, e.g. 10.2.130.0/24. */
  readonly range: string;
  /** First address handed out (wire key `range_start`). @default - the first host of `range` */
  readonly rangeStart?: string;
  /** Last address handed out (wire key `range_end`). @default - the last host of `range` */
  readonly rangeEnd?: string;
  /** CIDRs never handed out. @default - none */
  readonly exclude?: readonly string[];
  /** Gateway returned to the pod. @default - none in the result; routes use the first host of `range` */
  readonly gateway?: string;
  /** @default - none */
  readonly routes?: readonly CniRoute[];
  /** Separates pools with the same range (wire key `network_name`). @default - none: one pool per range */
  readonly networkName?: string;
}

export interface WhereaboutsIpam extends WhereaboutsIpamProps {
  readonly type: 'whereabouts';
}

/** Builds a checked Whereabouts IPAM: start, end and gateway lie inside `range`, and rangeStart <= rangeEnd. */
export function whereabouts(props: WhereaboutsIpamProps): WhereaboutsIpam {
  const range = parseCidr(props.range, 'whereabouts.range');
  const start = inside('whereabouts.range_start', props.rangeStart, range, props.range);
  const end = inside('whereabouts.range_end', props.rangeEnd, range, props.range);
  inside('whereabouts.gateway', props.gateway, range, props.range);
  if (start !== undefined && end !== undefined && start > end) {
    throw new MultinicError(CNI_INVALID_CONFIG, `whereabouts: range_start ${props.rangeStart} is after range_end ${props.rangeEnd}; swap them`);
  }
  (props.exclude ?? []).forEach((e, i) => {
    if (parseCidr(e, `whereabouts.exclude[${i}]`).family !== range.family) {
      throw new MultinicError(CNI_INVALID_CONFIG, `whereabouts.exclude[${i}]: "${e}" is not of the same IP family as range "${props.range}"`);
    }
  });
  checkRoutes('whereabouts.routes', props.routes);
  if (props.networkName !== undefined && props.networkName === '') {
    throw new MultinicError(CNI_INVALID_CONFIG, 'whereabouts.network_name: must not be empty; leave it out for one pool per range');
  }
  return {
    type: 'whereabouts',
    range: props.range,
    ...(props.rangeStart !== undefined ? { rangeStart: props.rangeStart } : {}),
    ...(props.rangeEnd !== undefined ? { rangeEnd: props.rangeEnd } : {}),
    ...(props.exclude !== undefined ? { exclude: [...props.exclude] } : {}),
    ...(props.gateway !== undefined ? { gateway: props.gateway } : {}),
    ...(props.routes !== undefined ? { routes: props.routes.map((r) => ({ ...r })) } : {}),
    ...(props.networkName !== undefined ? { networkName: props.networkName } : {}),
  };
}

function inside(where: string, text: string | undefined, range: ParsedCidr, rangeText: string): bigint | undefined {
  if (text === undefined) return undefined;
  const ip = parseIp(text, where);
  if (!cidrContains(range, ip)) {
    throw new MultinicError(CNI_INVALID_CONFIG, `${where}: ${text} is not inside range ${rangeText}; pick an address of the range`);
  }
  return ip.value;
}

/** The gateway routes use: `gateway`, else the first host of `range`; undefined for the other family. */
export function whereaboutsGateway(ipam: WhereaboutsIpam, family: IpFamily): string | undefined {
  const range = parseCidr(ipam.range, 'whereabouts.range');
  if (range.family !== family) return undefined;
  return ipam.gateway ?? formatIp(firstHost(range));
}
