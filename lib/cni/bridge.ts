/**
 * The bridge plugin: a Linux bridge on the node and a veth pair per pod.
 *
 * @see https://www.cni.dev/plugins/current/main/bridge/
 */
import { MultinicError } from '../errors';
import { CNI_INVALID_CONFIG } from './codes';
import type { CniIpam } from './ipam/ipam';
import { checkIfName, checkMtu } from './private/validate';

/** What `bridge()` fills in when a prop is absent. */
export const BRIDGE_DEFAULTS = { bridge: 'cni0' } as const;

export interface BridgeProps {
  /** Bridge name on the node; created when missing. @default BRIDGE_DEFAULTS.bridge (cni0) */
  readonly bridge?: string;
  /** Give the bridge the gateway address and make it the pods' default gateway. @default - false (plugin default) */
  readonly isGateway?: boolean;
  /** Masquerade traffic leaving the pod network. @default - false (plugin default) */
  readonly ipMasq?: boolean;
  /** Let a pod reach itself through the bridge (hairpin). @default - false (plugin default) */
  readonly hairpinMode?: boolean;
  /** @default - the kernel's default (1500) */
  readonly mtu?: number;
  /** VLAN tag of the pod's bridge port (1 to 4094). @default - untagged */
  readonly vlan?: number;
  readonly ipam: CniIpam;
}

export interface BridgePlugin {
  readonly type: 'bridge';
  readonly bridge: string;
  readonly isGateway?: boolean;
  readonly ipMasq?: boolean;
  readonly hairpinMode?: boolean;
  readonly mtu?: number;
  readonly vlan?: number;
  readonly ipam: CniIpam;
}

/** Builds a checked bridge plugin. */
export function bridge(props: BridgeProps): BridgePlugin {
  const name = props.bridge ?? BRIDGE_DEFAULTS.bridge;
  checkIfName('bridge.bridge', name);
  checkMtu('bridge.mtu', props.mtu);
  if (props.vlan !== undefined && !(Number.isInteger(props.vlan) && props.vlan >= 0 && props.vlan <= 4094)) {
    throw new MultinicError(CNI_INVALID_CONFIG, `bridge.vlan: ${props.vlan} is not a VLAN id; use a whole number from 0 (untagged) to 4094`);
  }
  return {
    type: 'bridge',
    bridge: name,
    ...(props.isGateway !== undefined ? { isGateway: props.isGateway } : {}),
    ...(props.ipMasq !== undefined ? { ipMasq: props.ipMasq } : {}),
    ...(props.hairpinMode !== undefined ? { hairpinMode: props.hairpinMode } : {}),
    ...(props.mtu !== undefined ? { mtu: props.mtu } : {}),
    ...(props.vlan !== undefined ? { vlan: props.vlan } : {}),
    ipam: props.ipam,
  };
}
