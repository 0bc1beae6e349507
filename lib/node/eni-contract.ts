/**
 * The facts the in-guest ENI script (`infra/node/multinic-eni.sh` and its parts in `infra/node/eni/`) shares with
 * TypeScript: where it reads and writes on the node, the names of the files it writes, its route table range and the
 * node config's format. This file is their one owner: `npm run gen:node` renders them into
 * `infra/node/eni/constants.sh`, which the script sources, and test/node/eni-contract.test.ts fails when the two
 * drift apart. The script's environment variables (`MULTINIC_NODE_CONFIG`, `MULTINIC_CNI_DIR`, ...) override the
 * directories for tests and the local cluster; these are the defaults on a node.
 *
 * lib/ reads no files: this is plain data; the generator is bin/gen-node-constants.ts.
 */

/** Route table of a secondary ENI: `TABLE_BASE + 100 x network card + device index` (as amazon-ec2-net-utils). */
export const ROUTE_TABLE_BASE = 10000;
/** The last table that can be an ENI's (card 15, device 99): every table in (ROUTE_TABLE_BASE, ROUTE_TABLE_MAX] is ours. */
export const ROUTE_TABLE_MAX = ROUTE_TABLE_BASE + 100 * 15 + 99;

/** The node config's first line names its format (docs/node-setup.md, "The node config"). */
export const NODE_CONFIG_FORMAT = 'multinic.dev/node-config/v2';

/** Where the node's files are and what the script's files are called. Every value is a plain path or name. */
export const ENI_PATHS = {
  /** The node config user data writes (lib/node `renderNodeConfig`); `MULTINIC_NODE_CONFIG` overrides it. */
  nodeConfig: '/etc/multinic/node.conf',
  /** Where Multus reads per-node CNI configs (NetworkAttachmentDefinitions without `spec.config`). */
  cniDir: '/etc/cni/multus/net.d',
  /** systemd `.link` and `.network` files that pin an ENI's name and keep systemd-networkd off it. */
  linkDir: '/etc/systemd/network',
  /** The udev rule that pins an ENI's name over netplan's. */
  udevDir: '/etc/udev/rules.d',
  /** The list of files the script wrote (to remove stale ones). */
  stateDir: '/var/lib/multinic',
  /** The lock of concurrent runs and the readiness marker. */
  runDir: '/run/multinic',
  /** Under `stateDir`: one path per line of every file the script manages. */
  manifestName: 'managed-files',
  /** Under `runDir`: exists only while the last run configured every ENI (lib/readiness.ts). */
  readyMarkerName: 'eni-ready',
  /** Under `runDir`: a directory; mkdir is the lock. */
  lockName: 'lock',
  /** `<linkFilePrefix><name>.link` in `linkDir`: sorts before netplan's `10-netplan-*` and `99-default.link`. */
  linkFilePrefix: '10-multinic-',
  /** `<networkFilePrefix><name>.network` in `linkDir`: sorts before nodeadm's and ec2-net-utils' `70-*.network`. */
  networkFilePrefix: '05-multinic-',
  /** `<udevRulePrefix><name>.rules` in `udevDir`: sorts before netplan's `99-netplan-*.rules`. */
  udevRulePrefix: '70-multinic-',
  /** Where the script is installed on a node (user data's `install`, the systemd unit's `ExecStart`). */
  script: '/usr/local/sbin/multinic-eni.sh',
} as const;

/** The readiness marker's path on a node. */
export const ENI_READY_PATH = `${ENI_PATHS.runDir}/${ENI_PATHS.readyMarkerName}`;

/** Every shared constant under the name the script knows it by (`readonly NAME='value'` in constants.sh). */
export function eniScriptConstants(): ReadonlyArray<readonly [name: string, value: string | number, doc: string]> {
  return [
    ['TABLE_BASE', ROUTE_TABLE_BASE, 'route table of an ENI = TABLE_BASE + 100 x network card + device index'],
    ['TABLE_MAX', ROUTE_TABLE_MAX, 'card 15, device 99: every table in (TABLE_BASE, TABLE_MAX] is ours'],
    ['NODE_CONFIG_FORMAT', NODE_CONFIG_FORMAT, 'the first line of the node config: format <this>'],
    ['DEFAULT_NODE_CONFIG', ENI_PATHS.nodeConfig, 'default of MULTINIC_NODE_CONFIG'],
    ['DEFAULT_CNI_DIR', ENI_PATHS.cniDir, 'default of MULTINIC_CNI_DIR'],
    ['DEFAULT_LINK_DIR', ENI_PATHS.linkDir, 'default of MULTINIC_LINK_DIR'],
    ['DEFAULT_UDEV_DIR', ENI_PATHS.udevDir, 'default of MULTINIC_UDEV_DIR'],
    ['DEFAULT_STATE_DIR', ENI_PATHS.stateDir, 'default of MULTINIC_STATE_DIR'],
    ['DEFAULT_RUN_DIR', ENI_PATHS.runDir, 'default of MULTINIC_RUN_DIR'],
    ['MANIFEST_NAME', ENI_PATHS.manifestName, 'in the state directory'],
    ['READY_MARKER_NAME', ENI_PATHS.readyMarkerName, 'in the run directory (lib/readiness.ts)'],
    ['LOCK_NAME', ENI_PATHS.lockName, 'in the run directory'],
    ['LINK_FILE_PREFIX', ENI_PATHS.linkFilePrefix, '<prefix><name>.link in the link directory'],
    ['NETWORK_FILE_PREFIX', ENI_PATHS.networkFilePrefix, '<prefix><name>.network in the link directory'],
    ['UDEV_RULE_PREFIX', ENI_PATHS.udevRulePrefix, '<prefix><name>.rules in the udev directory'],
  ];
}

/** What a constant's value may hold: it goes between single quotes in bash. */
const SHELL_SAFE = /^[A-Za-z0-9_./:-]+$/;

/**
 * The text of `infra/node/eni/constants.sh` (`npm run gen:node`).
 *
 * @param constants @default - `eniScriptConstants()`
 */
export function eniConstantsScript(constants = eniScriptConstants()): string {
  const lines = constants.map(([name, value, doc]) => {
    const text = String(value);
    if (!SHELL_SAFE.test(text)) throw new Error(`internal: ENI constant ${name}="${text}" is not a plain path, name or number`);
    return `readonly ${name}='${text}' # ${doc}`;
  });
  return [
    '# shellcheck shell=bash disable=SC2034',
    '# constants.sh: what multinic-eni.sh shares with TypeScript. GENERATED by `npm run gen:node` from',
    '# lib/node/eni-contract.ts (the one owner); do not edit: test/node/eni-contract.test.ts fails on drift.',
    ...lines,
    '',
  ].join('\n');
}
