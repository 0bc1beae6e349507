/**
 * The host-local IPAM plugin: allocates from ranges and keeps its reservations as files under `dataDir`, per
 * network name and per node. Two networks with different names and overlapping ranges hand out the same addresses.
 *
 * @see https://www.cni.dev/plugins/current/ipam/host-local/
 */
import { MultinicError } from '../../errors';
import { CNI_INVALID_CONFIG } from '../codes';
import type { CniRoute } from '../route';
import { cidrContains, firstHost, formatIp, type IpFamily, type ParsedCidr } from '../../net/ip';
import { checkRoutes, parseCidr, parseIp } from '../private/validate';

export interface HostLocalRange {
  /** Network to allocate from, host bits zero, e.g. 192.168.1.0/24. */
  readonly subnet: string;
  /** First address handed out. @default - the first host of the subnet (the plugin's default) */
  readonly rangeStart?: string;
  /** Last address handed out. @default - the last host of the subnet (the plugin's default) */
  readonly rangeEnd?: string;
  /** Gateway returned to the pod. @default - the first host of the subnet (the plugin's default) */
  readonly gateway?: string;
}

export interface HostLocalIpamProps {
  /** Range sets; each inner list is one pool (one address per set is allocated). */
  readonly ranges: readonly (readonly HostLocalRange[])[];
  /** @default - none */
  readonly routes?: readonly CniRoute[];
  /** Where reservations are kept. @default - /var/lib/cni/networks (the plugin's default) */
  readonly dataDir?: string;
}

export interface HostLocalIpam extends HostLocalIpamProps {
  readonly type: 'host-local';
}

/** Builds a checked host-local IPAM: every address lies inside its subnet and rangeStart <= rangeEnd. */
export function hostLocal(props: HostLocalIpamProps): HostLocalIpam {
  if (props.ranges.length === 0 || props.ranges.some((set) => set.length === 0)) {
    throw new MultinicError(CNI_INVALID_CONFIG, 'host-local.ranges: empty; give at least one range set with at least one range');
  }
  props.ranges.forEach((set, i) => set.forEach((r, j) => checkRange(`host-local.ranges[${i}][${j}]`, r)));
  checkRoutes('host-local.routes', props.routes);
  if (props.dataDir !== undefined && !props.dataDir.startsWith('/')) {
    throw new MultinicError(CNI_INVALID_CONFIG, `host-local.dataDir: "${props.dataDir}" is not an absolute path`);
  }
  return {
    type: 'host-local',
    ranges: props.ranges.map((set) => set.map((r) => ({ ...r }))),
    ...(props.routes !== undefined ? { routes: props.routes.map((r) => ({ ...r })) } : {}),
    ...(props.dataDir !== undefined ? { dataDir: props.dataDir } : {}),
  };
}

function checkRange(where: string, r: HostLocalRange): void {
  const subnet = parseCidr(r.subnet, `${where}.subnet`);
  if (subnet.address !== subnet.network) {
    throw new MultinicError(CNI_INVALID_CONFIG,
      `${where}.subnet: "${r.subnet}" has host bits set; the network address is ${formatIp({ family: subnet.family, value: subnet.network })}/${subnet.prefix}`);
  }
  const start = inside(`${where}.rangeStart`, r.rangeStart, subnet, r.subnet);
  const end = inside(`${where}.rangeEnd`, r.rangeEnd, subnet, r.subnet);
  inside(`${where}.gateway`, r.gateway, subnet, r.subnet);
  if (start !== undefined && end !== undefined && start > end) {
    throw new MultinicError(CNI_INVALID_CONFIG, `${where}: rangeStart ${r.rangeStart} is after rangeEnd ${r.rangeEnd}; swap them`);
  }
}

function inside(where: string, text: string | undefined, subnet: ParsedCidr, subnetText: string): bigint | undefined {
  if (text === undefined) return undefined;
  const ip = parseIp(text, where);
  if (!cidrContains(subnet, ip)) {
    throw new MultinicError(CNI_INVALID_CONFIG, `${where}: ${text} is not inside subnet ${subnetText}; pick an address of the subnet`);
  }
  return ip.value;
}

/**
 * The gateway host-local hands out for `family`: the first range of that family's `gateway`, else the first host
 * of its subnet. Undefined when no range has that family.
 */
export function hostLocalGateway(ipam: HostLocalIpam, family: IpFamily): string | undefined {
  for (const set of ipam.ranges) {
    for (const r of set) {
      const subnet = parseCidr(r.subnet, 'host-local.ranges');
      if (subnet.family === family) return r.gateway ?? formatIp(firstHost(subnet));
    }
  }
  return undefined;
}
