/**
 * The static IPAM plugin: fixed addresses, routes and DNS.
 *
 * @see https://www.cni.dev/plugins/current/ipam/static/
 */
import { MultinicError } from '../../errors';
import { CNI_INVALID_CONFIG } from '../codes';
import type { CniRoute } from '../route';
import { cidrContains, type IpFamily } from '../../net/ip';
import { checkRoutes, parseCidr, parseIp } from '../private/validate';

export interface StaticAddress {
  /** Address with its prefix length, e.g. 10.1.0.5/24. */
  readonly address: string;
  /** @default - no gateway for this address */
  readonly gateway?: string;
}

export interface StaticDns {
  /** @default - none */
  readonly nameservers?: readonly string[];
  /** @default - none */
  readonly domain?: string;
  /** @default - none */
  readonly search?: readonly string[];
  /** @default - none */
  readonly options?: readonly string[];
}

export interface StaticIpamProps {
  readonly addresses: readonly StaticAddress[];
  /** Routes; one without `gw` gets the gateway of the first address of its family. @default - none */
  readonly routes?: readonly CniRoute[];
  /** Returned in the result (host-device drops it). @default - none */
  readonly dns?: StaticDns;
}

export interface StaticIpam extends StaticIpamProps {
  readonly type: 'static';
}

/** Builds a checked static IPAM: every address parses and its gateway lies inside its network. */
export function staticIpam(props: StaticIpamProps): StaticIpam {
  props.addresses.forEach((a, i) => {
    const where = `static.addresses[${i}]`;
    const cidr = parseCidr(a.address, `${where}.address`);
    if (a.gateway !== undefined && !cidrContains(cidr, parseIp(a.gateway, `${where}.gateway`))) {
      throw new MultinicError(CNI_INVALID_CONFIG, `${where}.gateway: ${a.gateway} is not inside ${a.address}; pick an address of that network`);
    }
  });
  checkRoutes('static.routes', props.routes);
  (props.dns?.nameservers ?? []).forEach((ns, i) => parseIp(ns, `static.dns.nameservers[${i}]`));
  return {
    type: 'static',
    addresses: props.addresses.map((a) => ({ ...a })),
    ...(props.routes !== undefined ? { routes: props.routes.map((r) => ({ ...r })) } : {}),
    ...(props.dns !== undefined ? { dns: { ...props.dns } } : {}),
  };
}

/** The gateway of the first address of `family` that has one; undefined when none has. */
export function staticGateway(ipam: StaticIpam, family: IpFamily): string | undefined {
  return ipam.addresses.find((a) => a.gateway !== undefined && parseCidr(a.address, 'static.addresses').family === family)?.gateway;
}
