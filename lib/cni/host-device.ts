/**
 * The host-device plugin: moves one existing node interface into the pod (and back on DEL, down and without
 * addresses). Exactly one selector names the interface.
 *
 * @see https://www.cni.dev/plugins/current/main/host-device/
 */
import { MultinicError } from '../errors';
import { CNI_INVALID_CONFIG } from './codes';
import type { CniIpam } from './ipam/ipam';
import { checkIfName } from './private/validate';

/** The ways host-device can select the interface, in the order we emit them. */
export const HOST_DEVICE_SELECTORS = ['device', 'hwaddr', 'kernelpath', 'pciBusID'] as const;
export type HostDeviceSelector = (typeof HOST_DEVICE_SELECTORS)[number];

export interface HostDeviceProps {
  /** Interface name on the node, e.g. multus0. @default - not this selector */
  readonly device?: string;
  /** MAC address of the interface, e.g. 02:00:00:00:00:01. @default - not this selector */
  readonly hwaddr?: string;
  /** Kernel device path, e.g. /sys/devices/pci0000:00/0000:00:05.0/net/ens5. @default - not this selector */
  readonly kernelpath?: string;
  /** PCI address, e.g. 0000:00:05.0. @default - not this selector */
  readonly pciBusID?: string;
  readonly ipam: CniIpam;
}

export interface HostDevicePlugin {
  readonly type: 'host-device';
  readonly device?: string;
  readonly hwaddr?: string;
  readonly kernelpath?: string;
  readonly pciBusID?: string;
  readonly ipam: CniIpam;
}

const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

/** Builds a checked host-device plugin; exactly one of device, hwaddr, kernelpath, pciBusID must be set. */
export function hostDevice(props: HostDeviceProps): HostDevicePlugin {
  const given = HOST_DEVICE_SELECTORS.filter((k) => props[k] !== undefined);
  if (given.length !== 1) {
    throw new MultinicError(CNI_INVALID_CONFIG,
      `host-device: set exactly one of ${HOST_DEVICE_SELECTORS.join(', ')} (got ${given.length === 0 ? 'none' : given.join(', ')})`);
  }
  const key = given[0];
  const value = props[key] ?? '';
  if (key === 'device') checkIfName('host-device.device', value);
  if (key === 'hwaddr' && !MAC.test(value)) {
    throw new MultinicError(CNI_INVALID_CONFIG, `host-device.hwaddr: "${value}" is not a MAC address; write one like 02:00:00:00:00:01`);
  }
  if ((key === 'kernelpath' || key === 'pciBusID') && value === '') {
    throw new MultinicError(CNI_INVALID_CONFIG, `host-device.${key}: must not be empty`);
  }
  switch (key) {
    case 'device': return { type: 'host-device', device: value, ipam: props.ipam };
    case 'hwaddr': return { type: 'host-device', hwaddr: value, ipam: props.ipam };
    case 'kernelpath': return { type: 'host-device', kernelpath: value, ipam: props.ipam };
    case 'pciBusID': return { type: 'host-device', pciBusID: value, ipam: props.ipam };
  }

}
