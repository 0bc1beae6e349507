/**
 * The files user data installs on a node so that multinic alone owns its secondary ENIs (docs/node-setup.md):
 * the node config, the systemd unit and udev rule that run `multinic-eni.sh`, and the drop-ins that keep
 * systemd-networkd (and through it netplan and cloud-init) away from multinic's interfaces.
 *
 * The script itself is not among them: lib/ reads no files. infra/ ships it (its parts inlined, infra/eni-script.ts)
 * and user data installs it at `NODE_SCRIPT_PATH`, then runs `NODE_SETUP_COMMANDS`.
 */
import type { NetworkIntent } from '../intent/types';
import { ENI_PATHS } from './eni-contract';
import { findNodeGroup, NODE_CONFIG_PATH, nodeConfigFor, renderNodeConfig } from './node-config';

export interface NodeFile {
  /** Absolute path on the node. */
  readonly path: string;
  /** Octal mode, e.g. `0644`. */
  readonly mode: string;
  readonly content: string;
}

/** Where user data installs the ENI script (mode 0755). */
export const NODE_SCRIPT_PATH = ENI_PATHS.script;

export const UNIT_NAME = 'multinic-eni@.service';
export const UNIT_PATH = `/etc/systemd/system/${UNIT_NAME}`;
export const UDEV_RULE_PATH = '/etc/udev/rules.d/90-multinic-eni.rules';
export const NETWORKD_UNMANAGED_PATH = '/etc/systemd/network/10-multinic-unmanaged.network';
export const NETWORKD_CONF_PATH = '/etc/systemd/networkd.conf.d/80-multinic.conf';
export const CLOUD_INIT_CFG_PATH = '/etc/cloud/cloud.cfg.d/99-multinic-network.cfg';

/**
 * What user data runs, in order, after writing the files and the script: load the unit and rule, make networkd
 * read its new settings, then configure the ENIs once now and at every boot (before kubelet).
 */
export const NODE_SETUP_COMMANDS: readonly string[] = [
  'systemctl daemon-reload',
  'udevadm control --reload',
  'systemctl restart systemd-networkd',
  'systemctl enable --now multinic-eni@boot.service',
];

/** The files to install on the nodes of `nodeGroupName` (not the script: see `NODE_SCRIPT_PATH`). */
export function nodeFiles(intent: NetworkIntent, nodeGroupName: string): NodeFile[] {
  const config = nodeConfigFor(intent, nodeGroupName);
  const { group } = findNodeGroup(intent, nodeGroupName);
  const files: NodeFile[] = [
    { path: NODE_CONFIG_PATH, mode: '0644', content: renderNodeConfig(config) },
    { path: UNIT_PATH, mode: '0644', content: unitText() },
    { path: UDEV_RULE_PATH, mode: '0644', content: udevRuleText() },
    { path: NETWORKD_CONF_PATH, mode: '0644', content: networkdConfText() },
    { path: CLOUD_INIT_CFG_PATH, mode: '0644', content: cloudInitCfgText() },
  ];
  const names = group.interfaces.map((i) => i.name);
  if (names.length > 0) files.push({ path: NETWORKD_UNMANAGED_PATH, mode: '0644', content: networkdUnmanagedText(names) });
  return files;
}

/**
 * One template unit for every trigger: `@boot` runs at boot before kubelet, `@<nic>` runs when udev sees an EC2
 * NIC come or go. Each run configures every ENI; the script serializes concurrent runs with a lock.
 */
export function unitText(): string {
  return [
    '# multinic: configure the secondary ENIs of this node (docs/node-setup.md).',
    '# %i is "boot" or the NIC udev saw appear or disappear; every run configures all ENIs.',
    '[Unit]',
    'Description=multinic secondary ENI setup (%i)',
    'Wants=network-online.target',
    'After=network-online.target',
    'Before=kubelet.service',
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'Type=oneshot',
    `Environment=MULTINIC_NODE_CONFIG=${NODE_CONFIG_PATH}`,
    `ExecStart=${NODE_SCRIPT_PATH}`,
    'TimeoutStartSec=180',
    'SyslogIdentifier=multinic-eni',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    'DefaultInstance=boot',
    '',
  ].join('\n');
}

/** udev: an EC2 NIC (ENA, ixgbevf, Xen vif) appeared or went away: run the setup (without blocking udev). */
export function udevRuleText(): string {
  return [
    '# multinic: configure secondary ENIs when an EC2 NIC is hot-attached or detached (docs/node-setup.md).',
    'ACTION=="add|remove", SUBSYSTEM=="net", ENV{ID_NET_DRIVER}=="ena|ixgbevf|vif", RUN+="/usr/bin/systemctl --no-block start multinic-eni@%k.service"',
    '',
  ].join('\n');
}

/**
 * systemd-networkd leaves multinic's interfaces alone. netplan (and so cloud-init) configures interfaces only
 * through networkd; this file sorts before netplan's `10-netplan-*.network`, and the first match wins.
 */
export function networkdUnmanagedText(names: readonly string[]): string {
  return [
    '# multinic owns these interfaces (docs/node-setup.md): systemd-networkd, netplan and cloud-init leave them alone.',
    '[Match]',
    `Name=${names.join(' ')}`,
    '',
    '[Link]',
    'Unmanaged=yes',
    '',
  ].join('\n');
}

/** networkd keeps the routes and rules it did not make (multinic's tables and rules) when it restarts or reloads. */
export function networkdConfText(): string {
  return [
    '# multinic: keep the policy routes of secondary ENIs when networkd restarts or reloads (docs/node-setup.md).',
    '[Network]',
    'ManageForeignRoutingPolicyRules=no',
    'ManageForeignRoutes=no',
    '',
  ].join('\n');
}

/**
 * cloud-init configures the primary NIC only and ignores hot-plug events. Written by user data, it takes effect
 * from the next boot of a new instance; on the first boot, the .network file above and the script's rename keep
 * networkd off the ENIs that cloud-init configured before user data ran.
 */
export function cloudInitCfgText(): string {
  return [
    '# multinic owns the secondary ENIs (docs/node-setup.md): cloud-init configures the primary NIC only.',
    'datasource:',
    '  Ec2:',
    '    apply_full_imds_network_config: false',
    'updates:',
    '  network:',
    '    when: [boot-new-instance]',
    '',
  ].join('\n');
}
