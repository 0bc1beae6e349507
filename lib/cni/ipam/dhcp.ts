/**
 * The dhcp IPAM plugin: asks the node's CNI dhcp daemon (`/usr/lib/cni/dhcp daemon`) to lease an address on the
 * pod interface. It takes routes and gateway from the DHCP server, so it carries no routes of its own.
 *
 * @see https://www.cni.dev/plugins/current/ipam/dhcp/
 */
import { MultinicError } from '../../errors';
import { CNI_INVALID_CONFIG } from '../codes';

export interface DhcpIpamProps {
  /** Socket of the dhcp daemon. @default - /run/cni/dhcp.sock (the plugin's default) */
  readonly daemonSocketPath?: string;
}

export interface DhcpIpam extends DhcpIpamProps {
  readonly type: 'dhcp';
}

/** Builds a checked dhcp IPAM. */
export function dhcp(props: DhcpIpamProps = {}): DhcpIpam {
  if (props.daemonSocketPath !== undefined && !props.daemonSocketPath.startsWith('/')) {
    throw new MultinicError(CNI_INVALID_CONFIG, `dhcp.daemonSocketPath: "${props.daemonSocketPath}" is not an absolute path`);
  }
  return { type: 'dhcp', ...(props.daemonSocketPath !== undefined ? { daemonSocketPath: props.daemonSocketPath } : {}) };
}
