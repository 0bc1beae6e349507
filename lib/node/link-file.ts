/**
 * The systemd `.link` file that keeps an ENI's name across reboots. `infra/node/multinic-eni.sh` writes it at run
 * time (the MAC is known only then) to `/etc/systemd/network/10-multinic-<name>.link`; this renders the same text
 * so docs and tests have one definition (a test compares the script's file with this).
 *
 * `PermanentMACAddress=` matches the ENI's burnt-in address only: ipvlan children share the ENI's MAC but have no
 * permanent address, so they can never be renamed by mistake. `10-` sorts before netplan's `10-netplan-*` and
 * `99-default.link`; the first matching file wins.
 *
 * @see https://www.freedesktop.org/software/systemd/man/latest/systemd.link.html
 */
export const LINK_DIR = '/etc/systemd/network';

export interface LinkFileProps {
  readonly mac: string;
  readonly name: string;
  /** @default 0 */
  readonly networkCard?: number;
  readonly deviceIndex: number;
}

export function linkFilePath(name: string): string {
  return `${LINK_DIR}/10-multinic-${name}.link`;
}

export function linkFileText(props: LinkFileProps): string {
  return [
    `# Written by multinic-eni.sh: the stable name of the ENI at network card ${props.networkCard ?? 0}, device index ${props.deviceIndex}.`,
    '[Match]',
    `PermanentMACAddress=${props.mac.toLowerCase()}`,
    '',
    '[Link]',
    `Name=${props.name}`,
    '',
  ].join('\n');
}

/** Where the script writes the udev rule that pins the name (see `udevNameRuleText`). */
export const UDEV_RULES_DIR = '/etc/udev/rules.d';

export function udevNameRulePath(name: string): string {
  return `${UDEV_RULES_DIR}/70-multinic-${name}.rules`;
}

/**
 * The udev rule the script writes next to the `.link` file. netplan turns cloud-init's first-boot `set-name` into a
 * udev rule `NAME="ens6"` matched by MAC (`99-netplan-<if>.rules`), which runs after, and so overrides, the name a
 * `.link` file gives. A final assignment (`NAME:=`) in a rule that sorts first wins over it. `DRIVERS=="?*"` keeps
 * ipvlan children (no parent device) out.
 */
export function udevNameRuleText(mac: string, name: string): string {
  return [
    "# Written by multinic-eni.sh: the stable name of this ENI wins over later NAME= rules (netplan's).",
    `SUBSYSTEM=="net", ACTION=="add", DRIVERS=="?*", ATTR{address}=="${mac.toLowerCase()}", NAME:="${name}"`,
    '',
  ].join('\n');
}

/** Where the script writes the `.network` file that keeps systemd-networkd off the ENI (see `unmanagedNetworkText`). */
export function unmanagedNetworkPath(name: string): string {
  return `${LINK_DIR}/05-multinic-${name}.network`;
}

/**
 * The `.network` file the script writes next to the `.link` file: systemd-networkd leaves the ENI alone whatever it
 * is called. It sorts before nodeadm's `70-eks-<if>.network` (EKS AL2023 AMI), amazon-ec2-net-utils' `70-<if>.network`
 * and netplan's files; the first matching `.network` file wins. `PermanentMACAddress=` keeps ipvlan children out.
 */
export function unmanagedNetworkText(mac: string, name: string): string {
  return [
    `# Written by multinic-eni.sh: multinic configures ${name}; systemd-networkd leaves it alone.`,
    '[Match]',
    `PermanentMACAddress=${mac.toLowerCase()}`,
    '',
    '[Link]',
    'Unmanaged=yes',
    '',
  ].join('\n');
}
