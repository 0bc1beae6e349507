/**
 * lib/node/node-files.ts: the files user data installs, and proof with the real `netplan generate` that the
 * files keeping networkd, netplan and cloud-init away from multinic's interfaces win over what netplan generates.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { networkIntentSchema } from '../../lib/intent/schema';
import { ENI_PATHS } from '../../lib/node/eni-contract';
import {
  CLOUD_INIT_CFG_PATH, NETWORKD_CONF_PATH, NETWORKD_UNMANAGED_PATH, NODE_SCRIPT_PATH, NODE_SETUP_COMMANDS, nodeFiles, UDEV_RULE_PATH, UNIT_PATH,
} from '../../lib/node/node-files';
import { NODE_CONFIG_PATH, nodeConfigFor, renderNodeConfig } from '../../lib/node/node-config';
import { baseIntent, specOf } from '../util/intent';
import { requireTools } from '../util/require-tool';

function intent(names: string[] = ['multus0', 'multus1']) {
  const input = baseIntent();
  specOf(input).nodeGroups[1].interfaces = names.map((name) => ({ name, subnet: 'multus-a', ipv4PrefixCount: 0, sourceDestCheck: true }));
  return networkIntentSchema.parse(input);
}

/** INI-style text to a list of [section, key, value]. */
function ini(text: string): Array<[string, string, string]> {
  let section = '';
  const out: Array<[string, string, string]> = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const s = /^\[(\w+)\]$/.exec(line);
    if (s) { section = s[1]; continue; }
    const i = line.indexOf('=');
    out.push([section, line.slice(0, i), line.slice(i + 1)]);
  }
  return out;
}

describe('nodeFiles', () => {
  test('returns the node config, unit, udev rule and the drop-ins, each with a mode, and never the script', () => {
    // GIVEN an intent whose workers have two interfaces WHEN their files are listed
    const files = nodeFiles(intent(), 'workers');
    // THEN these paths, all 0644, and the node config is renderNodeConfig's text
    expect(files.map((f) => f.path).sort()).toEqual([NODE_CONFIG_PATH, UNIT_PATH, UDEV_RULE_PATH, NETWORKD_CONF_PATH, CLOUD_INIT_CFG_PATH, NETWORKD_UNMANAGED_PATH].sort());
    files.forEach((f) => expect(f.mode).toBe('0644'));
    expect(files.find((f) => f.path === NODE_CONFIG_PATH)?.content).toBe(renderNodeConfig(nodeConfigFor(intent(), 'workers')));
    expect(files.some((f) => f.path === NODE_SCRIPT_PATH)).toBe(false);
    expect(NODE_SCRIPT_PATH).toBe('/usr/local/sbin/multinic-eni.sh');
  });

  test('a group without secondary interfaces gets no unmanaged .network file (an empty Name= would match nothing useful)', () => {
    // GIVEN the control-plane group WHEN its files are listed THEN the unmanaged file is absent
    expect(nodeFiles(intent(), 'control-plane').map((f) => f.path)).not.toContain(NETWORKD_UNMANAGED_PATH);
  });

  test('the unit runs the script once per trigger, at boot before kubelet, after the network is online', () => {
    // GIVEN the unit text
    const unit = ini(nodeFiles(intent(), 'workers').find((f) => f.path === UNIT_PATH)?.content ?? '');
    // THEN it is a oneshot template, ordered before kubelet, enabled as @boot
    expect(unit).toEqual(expect.arrayContaining([
      ['Unit', 'After', 'network-online.target'], ['Unit', 'Wants', 'network-online.target'], ['Unit', 'Before', 'kubelet.service'],
      ['Service', 'Type', 'oneshot'], ['Service', 'ExecStart', NODE_SCRIPT_PATH], ['Service', 'Environment', `MULTINIC_NODE_CONFIG=${NODE_CONFIG_PATH}`],
      ['Install', 'WantedBy', 'multi-user.target'], ['Install', 'DefaultInstance', 'boot'],
    ]));
    expect(NODE_SETUP_COMMANDS.at(-1)).toBe('systemctl enable --now multinic-eni@boot.service');
  });

  test('the udev rule starts an instance for every EC2 NIC that comes or goes, without blocking udev', () => {
    const rule = nodeFiles(intent(), 'workers').find((f) => f.path === UDEV_RULE_PATH)?.content ?? '';
    const lines = rule.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(lines).toEqual(['ACTION=="add|remove", SUBSYSTEM=="net", ENV{ID_NET_DRIVER}=="ena|ixgbevf|vif", RUN+="/usr/bin/systemctl --no-block start multinic-eni@%k.service"']);
  });

  test('networkd keeps foreign rules and routes, and leaves exactly the intent\'s interfaces unmanaged', () => {
    const files = nodeFiles(intent(['multus0', 'pods1']), 'workers');
    expect(ini(files.find((f) => f.path === NETWORKD_CONF_PATH)?.content ?? '')).toEqual([
      ['Network', 'ManageForeignRoutingPolicyRules', 'no'], ['Network', 'ManageForeignRoutes', 'no'],
    ]);
    expect(ini(files.find((f) => f.path === NETWORKD_UNMANAGED_PATH)?.content ?? '')).toEqual([
      ['Match', 'Name', 'multus0 pods1'], ['Link', 'Unmanaged', 'yes'],
    ]);
  });

  test('the cloud-init drop-in limits cloud-init to the primary NIC and to new-instance boots', () => {
    const cfg = parse(nodeFiles(intent(), 'workers').find((f) => f.path === CLOUD_INIT_CFG_PATH)?.content ?? '');
    expect(cfg).toEqual({ datasource: { Ec2: { apply_full_imds_network_config: false } }, updates: { network: { when: ['boot-new-instance'] } } });
  });
});

requireTools(['netplan']).describe('with netplan generate (cloud-init style multi-NIC config)', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('our .network, .link and udev name rule sort before everything netplan generates for the ENI, whose .network needs the old name', () => {
    // GIVEN the netplan file cloud-init writes at first boot for a primary and a secondary ENI (DHCP, table 101)
    root = mkdtempSync(join(tmpdir(), 'multinic-netplan-'));
    mkdirSync(join(root, 'etc', 'netplan'), { recursive: true });
    const yamlFile = join(root, 'etc', 'netplan', '50-cloud-init.yaml');
    writeFileSync(yamlFile, [
      'network:', '  version: 2', '  ethernets:',
      '    ens5:', '      match: {macaddress: "02:00:00:00:00:01"}', '      set-name: ens5', '      dhcp4: true', '      dhcp4-overrides: {route-metric: 100}',
      '    ens6:', '      match: {macaddress: "02:00:00:00:01:01"}', '      set-name: ens6', '      dhcp4: true', '      dhcp4-overrides: {route-metric: 200}',
      '      routes:', '        - {to: 0.0.0.0/0, via: 10.0.128.1, table: 101}', '        - {to: 10.0.128.0/24, table: 101}',
      '      routing-policy:', '        - {from: 10.0.128.10, table: 101}', '',
    ].join('\n'));
    chmodSync(yamlFile, 0o600);
    // WHEN netplan generates its networkd and udev files
    const r = spawnSync('netplan', ['generate', '--root-dir', root], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const networkDir = join(root, 'run', 'systemd', 'network');
    const udevDir = join(root, 'run', 'udev', 'rules.d');
    const generated = readdirSync(networkDir);
    // THEN its files for the ENI exist, match the ENI's MAC, and its .network also needs the name ens6
    expect(generated).toEqual(expect.arrayContaining(['10-netplan-ens6.network', '10-netplan-ens6.link']));
    expect(ini(readFileSync(join(networkDir, '10-netplan-ens6.network'), 'utf8'))).toEqual(expect.arrayContaining([
      ['Match', 'PermanentMACAddress', '02:00:00:00:01:01'], ['Match', 'Name', 'ens6'],
    ]));
    const udev = readdirSync(udevDir);
    const nameRule = udev.find((f) => readFileSync(join(udevDir, f), 'utf8').includes('NAME="ens6"'));
    expect(nameRule).toBe('99-netplan-ens6.rules');
    // AND our files sort first (systemd and udev read /etc and /run together, in file name order)
    const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);
    const ours = { network: base(NETWORKD_UNMANAGED_PATH), link: `${ENI_PATHS.linkFilePrefix}multus0.link`, rule: `${ENI_PATHS.udevRulePrefix}multus0.rules` };
    for (const f of generated.filter((g) => g.endsWith('.network'))) expect([ours.network, f].sort()[0]).toBe(ours.network);
    for (const f of generated.filter((g) => g.endsWith('.link'))) expect([ours.link, f].sort()[0]).toBe(ours.link);
    for (const f of udev) expect([ours.rule, f].sort()[0]).toBe(ours.rule);
  });
});
