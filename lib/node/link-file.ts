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
