/**
 * The macvlan plugin: a MAC-VLAN child of `master` per pod, each with its own MAC address.
 *
 * On AWS the VPC drops frames whose source MAC is not the ENI's, so macvlan pods reach only each other on the same
 * node; prefer ipvlan over secondary ENIs there.
 *
 * @see https://www.cni.dev/plugins/current/main/macvlan/
 */
import type { CniIpam } from './ipam/ipam';
import { checkIfName, checkMtu, checkOneOf } from './private/validate';

export const MACVLAN_MODES = ['bridge', 'private', 'vepa', 'passthru'] as const;
export type MacvlanMode = (typeof MACVLAN_MODES)[number];

/** What `macvlan()` fills in when a prop is absent, so every emitted config is explicit. */
export const MACVLAN_DEFAULTS = { mode: 'bridge' } as const satisfies { mode: MacvlanMode };

export interface MacvlanProps {
  /** The node interface the children hang off (must exist in the node's netns), e.g. multus0. */
  readonly master: string;
  /** @default MACVLAN_DEFAULTS.mode (bridge): children on the same master reach each other */
  readonly mode?: MacvlanMode;
  /** @default - the master's MTU */
  readonly mtu?: number;
  readonly ipam: CniIpam;
}

export interface MacvlanPlugin {
  readonly type: 'macvlan';
  readonly master: string;
  readonly mode: MacvlanMode;
  readonly mtu?: number;
  readonly ipam: CniIpam;
}

/** Builds a checked macvlan plugin. */
export function macvlan(props: MacvlanProps): MacvlanPlugin {
  checkIfName('macvlan.master', props.master);
  const mode = props.mode ?? MACVLAN_DEFAULTS.mode;
  checkOneOf('macvlan.mode', mode, MACVLAN_MODES);
  checkMtu('macvlan.mtu', props.mtu);
  return { type: 'macvlan', master: props.master, mode, ...(props.mtu !== undefined ? { mtu: props.mtu } : {}), ipam: props.ipam };
}
