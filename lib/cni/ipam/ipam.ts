/** The union of every IPAM the builders emit: what a main plugin's `ipam` holds. */
import type { DhcpIpam } from './dhcp';
import type { HostLocalIpam } from './host-local';
import type { StaticIpam } from './static';
import type { WhereaboutsIpam } from './whereabouts';

/** Every IPAM plugin we emit. */
export type CniIpam = HostLocalIpam | StaticIpam | WhereaboutsIpam | DhcpIpam;
export type CniIpamType = CniIpam['type'];
