/**
 * The ipvlan plugin: pods share `master`'s MAC address and differ by IP, which the AWS VPC accepts when the
 * addresses are assigned to (or delegated as a prefix to) the ENI.
 *
 * @see https://www.cni.dev/plugins/current/main/ipvlan/
 */
import type { CniIpam } from './ipam/ipam';
import { checkIfName, checkMtu, checkOneOf } from './private/validate';

export const IPVLAN_MODES = ['l2', 'l3', 'l3s'] as const;
export type IpvlanMode = (typeof IPVLAN_MODES)[number];

/** What `ipvlan()` fills in when a prop is absent, so every emitted config is explicit. */
export const IPVLAN_DEFAULTS = { mode: 'l2' } as const satisfies { mode: IpvlanMode };

export interface IpvlanProps {
  /** The node interface the children hang off (must exist in the node's netns), e.g. multus0. */
  readonly master: string;
  /** @default IPVLAN_DEFAULTS.mode (l2) */
  readonly mode?: IpvlanMode;
  /** @default - the master's MTU */
  readonly mtu?: number;
  readonly ipam: CniIpam;
}

export interface IpvlanPlugin {
  readonly type: 'ipvlan';
  readonly master: string;
  readonly mode: IpvlanMode;
  readonly mtu?: number;
  readonly ipam: CniIpam;
}

/** Builds a checked ipvlan plugin. */
export function ipvlan(props: IpvlanProps): IpvlanPlugin {
  checkIfName('ipvlan.master', props.master);
  const mode = props.mode ?? IPVLAN_DEFAULTS.mode;
  checkOneOf('ipvlan.mode', mode, IPVLAN_MODES);
  checkMtu('ipvlan.mtu', props.mtu);
  return { type: 'ipvlan', master: props.master, mode, ...(props.mtu !== undefined ? { mtu: props.mtu } : {}), ipam: props.ipam };
}
