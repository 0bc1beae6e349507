/**
 * infra/node/multinic-eni.sh on real interfaces: veth links with the fixture's MACs in a "node" network namespace,
 * the mock IMDSv2 inside it on 127.0.0.1. Needs root, iproute2, curl and awk (CI has them); skipped with the reason
 * otherwise. The node config comes from lib/node (nodeConfigFor + renderNodeConfig), so these tests also prove that
 * the TypeScript renderer and the script agree. The script (with its parts) owns what it writes on the node: the
 * expected files here are written out literally, not rendered by a TypeScript twin.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inlineEniScript } from '../../infra/eni-script';
import { networkIntentSchema } from '../../lib/intent/schema';
import type { NetworkIntent, NetworkIntentInput } from '../../lib/intent/types';
import { nodeConfigFor, renderNodeConfig } from '../../lib/node/node-config';
import { perNodeCniWire, type PrefixNetwork } from '../../lib/node/per-node-cni';
import { baseIntent, specOf } from '../util/intent';
import { CNI, requireTools } from '../util/require-tool';
import {
  EniLab, eniMac, labSupport, must, primaryEni, PRIMARY_MAC, REPO, secondaryEni, sh, type FixtureEni,
} from './eni-lab';

const support = labSupport();
const describeReal = support.describe;
const hostLocal = requireTools([CNI('host-local')], { root: 'network namespaces' });

/** An intent whose workers carry `count` ENIs multus0.. in subnets 10.0.128.0/24..; the first has `prefixes` /28s. */
function intentWith(count: number, prefixes: number): NetworkIntent {
  const input: NetworkIntentInput = baseIntent();
  const spec = specOf(input);
  spec.subnets = Array.from({ length: count }, (_, i) => ({ name: `multus-${i}`, cidr: `10.0.${128 + i}.0/24`, zone: 'a' }));
  spec.nodeGroups[1].interfaces = Array.from({ length: count }, (_, i) => ({
    name: `multus${i}`, subnet: `multus-${i}`, ipv4PrefixCount: i === 0 ? prefixes : 0, sourceDestCheck: true,
  }));
  spec.networks = [{
    name: 'pods-a', namespace: 'default', cniVersion: '1.0.0', type: 'ipvlan', master: 'multus0', mode: 'l2', sbr: false,
    // Without prefixes the network cannot be eni-prefix (nodeConfigFor refuses): host-local, which gets no per-node file.
    ipam: prefixes > 0 ? { type: 'eni-prefix', prefixes } : { type: 'host-local', ranges: [[{ subnet: '192.168.1.0/24' }]] },
  }];
  spec.workloads = [];
  spec.services = [];
  spec.configMaps = [];
  return networkIntentSchema.parse(input);
}

/** A lab with the primary ENI (ens5) and `enis` secondary ones, named ethN+1 by "the kernel". */
async function labWith(enis: readonly FixtureEni[], intent: NetworkIntent): Promise<EniLab> {
  const lab = new EniLab();
  try {
    lab.addNic('ens5', PRIMARY_MAC, 'vp0');
    lab.ip('addr', 'add', '10.0.0.10/24', 'dev', 'ens5');
    lab.ip('link', 'set', 'ens5', 'up');
    lab.ip('route', 'add', 'default', 'via', '10.0.0.1', 'dev', 'ens5');
    enis.forEach((e) => lab.addNic(`eth${e.deviceNumber + 10}`, e.mac, `vp${e.deviceNumber}`));
    lab.writeFixture({ primaryMac: PRIMARY_MAC, interfaces: [primaryEni(), ...enis] });
    lab.writeNodeConfig(renderNodeConfig(nodeConfigFor(intent, 'workers')));
    await lab.startImds();
    return lab;
  } catch (e) {
    lab.cleanup();
    throw e;
  }
}

const labs: EniLab[] = [];
async function newLab(enis: readonly FixtureEni[], intent: NetworkIntent): Promise<EniLab> {
  const lab = await labWith(enis, intent);
  labs.push(lab);
  return lab;
}
afterEach(() => {
  while (labs.length > 0) labs.pop()?.cleanup();
});

describeReal('multinic-eni.sh on veth "ENIs" with a mock IMDSv2', () => {
  test('one ENI: stable name, VPC MTU, addresses, route table, rules, sysctls, .link file and the per-node CNI config', async () => {
    // GIVEN an ENI with two addresses and two delegated /28 prefixes, and a network whose pods use them
    const intent = intentWith(1, 2);
    const eni = secondaryEni(1, { addresses: 2, prefixes: 2 });
    const lab = await newLab([eni], intent);
    const mainBefore = lab.ip('-4', 'route', 'show', 'table', 'main');
    const primaryBefore = lab.ip('-4', '-o', 'addr', 'show', 'dev', 'ens5');

    // WHEN the script runs
    const r = lab.runScript();

    // THEN it succeeds and logs one line for the ENI
    expect(r.stderr).toMatch(/^multinic-eni: multus0 mac=02:00:00:00:01:01 card=0 device=1 table=10001 ipv4=10\.0\.128\.10,10\.0\.128\.11 prefixes=10\.0\.128\.16\/28,10\.0\.128\.32\/28 cni=default-pods-a\.conf changes=\d+$/m);
    expect(r.status).toBe(0);
    // the kernel's eth11 is now multus0, with the VPC MTU, up
    const link = lab.ip('-o', 'link', 'show', 'dev', 'multus0');
    expect(link).toContain('link/ether 02:00:00:00:01:01');
    expect(link).toMatch(/mtu 9001 /);
    expect(link).toMatch(/<[^>]*\bUP\b[^>]*>/);
    expect(sh('ip', ['-n', lab.node, 'link', 'show', 'dev', 'eth11']).status).not.toBe(0);
    // its addresses carry the subnet's prefix length and no prefix route
    const addrs = lab.ip('-4', '-o', 'addr', 'show', 'dev', 'multus0').trim().split('\n');
    expect(addrs.map((l) => /inet (\S+)/.exec(l)?.[1])).toEqual(['10.0.128.10/24', '10.0.128.11/24']);
    addrs.forEach((l) => expect(l).toContain('noprefixroute'));
    // table 10001: the subnet on the link and the default route via the subnet router
    expect(lab.table(10001)).toEqual([
      '10.0.128.0/24 dev multus0 proto static scope link',
      'default via 10.0.128.1 dev multus0 proto static',
    ]);
    // one rule per address and per prefix, priority = table
    expect(lab.rules(10001)).toEqual([
      'from 10.0.128.10 lookup 10001', 'from 10.0.128.11 lookup 10001',
      'from 10.0.128.16/28 lookup 10001', 'from 10.0.128.32/28 lookup 10001',
    ]);
    // rp_filter loose, forwarding on
    const sysctl = (k: string) => must('ip', ['netns', 'exec', lab.node, 'cat', `/proc/sys/net/ipv4/conf/multus0/${k}`]).trim();
    expect([sysctl('rp_filter'), sysctl('forwarding')]).toEqual(['2', '1']);
    // the primary interface and the main table are untouched
    expect(lab.ip('-4', 'route', 'show', 'table', 'main')).toBe(mainBefore);
    expect(lab.ip('-4', '-o', 'addr', 'show', 'dev', 'ens5')).toBe(primaryBefore);
    // the .link file pins the name by the permanent MAC (ipvlan children share the MAC but have no permanent one)
    expect(readFileSync(join(lab.linkDir, '10-multinic-multus0.link'), 'utf8')).toBe([
      '# Written by multinic-eni.sh: the stable name of the ENI at network card 0, device index 1.',
      '[Match]', `PermanentMACAddress=${eni.mac}`, '', '[Link]', 'Name=multus0', '',
    ].join('\n'));
    // and the udev rule wins over netplan's NAME= rule (a final assignment in a rule that sorts first)
    expect(readFileSync(join(lab.linkDir, '70-multinic-multus0.rules'), 'utf8')).toBe([
      "# Written by multinic-eni.sh: the stable name of this ENI wins over later NAME= rules (netplan's).",
      `SUBSYSTEM=="net", ACTION=="add", DRIVERS=="?*", ATTR{address}=="${eni.mac}", NAME:="multus0"`, '',
    ].join('\n'));
    // the CNI file is the template lib/node renders, filled with these prefixes (structural comparison of parsed JSON)
    const written = JSON.parse(readFileSync(join(lab.cniDir, 'default-pods-a.conf'), 'utf8'));
    expect(written).toEqual(perNodeCniWire(intent.spec.networks[0] as PrefixNetwork, '10.0.128.0/24', intent.spec.subnets.map((x) => x.cidr), ['10.0.128.16/28', '10.0.128.32/28']));
    // no route for the VPC through the pod's secondary interface: the node subnets stay on the cluster network
    expect(written.ipam.routes ?? []).toEqual([]);
    expect(written.ipam.ranges).toEqual([[
      { subnet: '10.0.128.0/24', rangeStart: '10.0.128.16', rangeEnd: '10.0.128.31', gateway: '10.0.128.1' },
      { subnet: '10.0.128.0/24', rangeStart: '10.0.128.32', rangeEnd: '10.0.128.47', gateway: '10.0.128.1' },
    ]]);
  });

  hostLocal.test('the per-node CNI config is accepted by the real host-local plugin, which allocates from the first prefix', async () => {
    // GIVEN the script wrote the config of an ENI with one prefix
    const lab = await newLab([secondaryEni(1, { prefixes: 1 })], intentWith(1, 1));
    expect(lab.runScript().status).toBe(0);
    const conf = JSON.parse(readFileSync(join(lab.cniDir, 'default-pods-a.conf'), 'utf8'));
    // WHEN host-local (the IPAM plugin itself) runs ADD on it, with its own dataDir
    const config = { ...conf, ipam: { ...conf.ipam, dataDir: join(lab.dir, 'host-local') } };
    const r = sh('env', ['-i', 'CNI_COMMAND=ADD', 'CNI_CONTAINERID=c1', `CNI_NETNS=/var/run/netns/${lab.node}`, 'CNI_IFNAME=net1',
      'CNI_PATH=/usr/lib/cni', '/usr/lib/cni/host-local'], JSON.stringify(config));
    // THEN the pod gets the prefix's first address and the subnet router as gateway, and no VPC-wide route (the ENI's
    // subnet is on-link; the node subnets stay on eth0, so kubelet probes are answered there)
    expect(r.stderr).toBe('');
    const result = JSON.parse(r.stdout);
    expect(result.ips).toEqual([{ address: '10.0.128.16/24', gateway: '10.0.128.1' }]);
    expect(result.routes ?? []).toEqual([]);
  });

  test('two eni-prefix networks take their own slices of the numerically sorted prefixes', async () => {
    // GIVEN an ENI whose three prefixes IMDS lists out of order (text order would put .112 first), and two networks
    const intent = intentWith(1, 3);
    intent.spec.networks.push({ ...intent.spec.networks[0], name: 'pods-b', ipam: { type: 'eni-prefix', prefixes: 2 } } as typeof intent.spec.networks[0]);
    intent.spec.networks[0] = { ...intent.spec.networks[0], ipam: { type: 'eni-prefix', prefixes: 1 } } as typeof intent.spec.networks[0];
    const prefixes = ['10.0.128.48/28', '10.0.128.112/28', '10.0.128.16/28'];
    const lab = await newLab([{ ...secondaryEni(1), ipv4Prefixes: prefixes }], intent);
    // WHEN the script runs
    expect(lab.runScript().status).toBe(0);
    // THEN pods-a takes .16/28, pods-b .48/28 and .112/28: each file is its network's config with those ranges
    const routed = intent.spec.subnets.map((x) => x.cidr);
    const [a, b] = intent.spec.networks as PrefixNetwork[];
    expect(JSON.parse(readFileSync(join(lab.cniDir, 'default-pods-a.conf'), 'utf8'))).toEqual(perNodeCniWire(a, '10.0.128.0/24', routed, ['10.0.128.16/28']));
    expect(JSON.parse(readFileSync(join(lab.cniDir, 'default-pods-b.conf'), 'utf8')))
      .toEqual(perNodeCniWire(b, '10.0.128.0/24', routed, ['10.0.128.48/28', '10.0.128.112/28']));
    const starts = (f: string) => JSON.parse(readFileSync(join(lab.cniDir, f), 'utf8')).ipam.ranges[0].map((r: { rangeStart: string }) => r.rangeStart);
    expect([starts('default-pods-a.conf'), starts('default-pods-b.conf')]).toEqual([['10.0.128.16'], ['10.0.128.48', '10.0.128.112']]);
  });

  test('an ENI with fewer prefixes than its networks take fails, saying which', async () => {
    const intent = intentWith(1, 2);
    const lab = await newLab([secondaryEni(1, { prefixes: 1 })], intent);
    const r = lab.runScript();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('FAILED: default-pods-a.conf takes prefixes 1 to 2 of this ENI, but IMDS lists 1 (ipv4PrefixCount in the intent)');
  });

  test('a second run changes nothing', async () => {
    // GIVEN a node the script has configured
    const lab = await newLab([secondaryEni(1, { addresses: 2, prefixes: 1 }), secondaryEni(2)], intentWith(2, 1));
    expect(lab.runScript().status).toBe(0);
    const before = lab.kernelState();
    const files = readFileSync(join(lab.cniDir, 'default-pods-a.conf'), 'utf8');
    // WHEN it runs again
    const r = lab.runScript();
    // THEN it reports no change and the kernel state and files are identical
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/multus0 .* changes=0$/m);
    expect(r.stderr).toMatch(/multus1 .* changes=0$/m);
    expect(r.stderr).toContain('done: 2 secondary ENI(s), 0 failed, 0 change(s)');
    expect(lab.kernelState()).toBe(before);
    expect(readFileSync(join(lab.cniDir, 'default-pods-a.conf'), 'utf8')).toBe(files);
  });

  test('--dry-run prints the commands it would run and changes nothing', async () => {
    // GIVEN a fresh node
    const lab = await newLab([secondaryEni(1, { prefixes: 1 })], intentWith(1, 1));
    const before = lab.kernelState();
    // WHEN the script runs with --dry-run
    const r = lab.runScript(['--dry-run']);
    // THEN it prints the commands, in order, and the node is unchanged
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toEqual(expect.arrayContaining([
      'ip link set dev eth11 down',
      'ip link set dev mnt0x1 name multus0',
      'ip link set dev multus0 mtu 9001',
      'echo 2 > /proc/sys/net/ipv4/conf/multus0/rp_filter',
      'ip addr add 10.0.128.10/24 dev multus0 noprefixroute',
      'ip route replace default via 10.0.128.1 dev multus0 proto static table 10001',
      'ip rule add from 10.0.128.10 lookup 10001 pref 10001',
      'ip rule add from 10.0.128.16/28 lookup 10001 pref 10001',
      `write ${join(lab.cniDir, 'default-pods-a.conf')}`,
    ]));
    expect(lines.indexOf('ip link set dev mnt0x1 name multus0')).toBeLessThan(lines.indexOf('ip link set dev multus0 mtu 9001'));
    expect(r.stderr).toContain('(dry run: none made)');
    expect(lab.kernelState()).toBe(before);
    expect(existsSync(join(lab.cniDir, 'default-pods-a.conf'))).toBe(false);
  });

  test('an ENI that is gone takes its rules, its table and its files with it; the others stay', async () => {
    // GIVEN two ENIs configured, the second one carrying the network with prefixes
    const intent = intentWith(2, 0);
    intent.spec.nodeGroups[1].interfaces[1].ipv4PrefixCount = 1;
    intent.spec.networks[0] = { ...intent.spec.networks[0], master: 'multus1', ipam: { type: 'eni-prefix', prefixes: 1 } } as typeof intent.spec.networks[0];
    const two = secondaryEni(2, { prefixes: 1 });
    const lab = await newLab([secondaryEni(1), two], intent);
    expect(lab.runScript().status).toBe(0);
    expect(lab.rules(10002)).toEqual(['from 10.0.129.10 lookup 10002', 'from 10.0.129.16/28 lookup 10002']);
    expect(existsSync(join(lab.cniDir, 'default-pods-a.conf'))).toBe(true);
    const table1 = lab.table(10001);
    // WHEN the second ENI is detached (gone from IMDS and from the node) and the script runs
    lab.writeFixture({ primaryMac: PRIMARY_MAC, interfaces: [primaryEni(), secondaryEni(1)] });
    lab.ip('link', 'del', 'multus1');
    lab.ip('route', 'add', '10.9.9.0/24', 'dev', 'multus0', 'table', '10002'); // a leftover route in the gone table
    const r = lab.runScript();
    // THEN its rules, table, .link file and CNI file are gone, and the first ENI is as it was
    expect(r.status).toBe(0);
    expect(lab.rules(10002)).toEqual([]);
    expect(lab.table(10002)).toEqual([]);
    expect(existsSync(join(lab.linkDir, '10-multinic-multus1.link'))).toBe(false);
    expect(existsSync(join(lab.linkDir, '70-multinic-multus1.rules'))).toBe(false);
    expect(existsSync(join(lab.cniDir, 'default-pods-a.conf'))).toBe(false);
    expect(existsSync(join(lab.linkDir, '10-multinic-multus0.link'))).toBe(true);
    expect(lab.table(10001)).toEqual(table1);
    expect(lab.rules(10001)).toEqual(['from 10.0.128.10 lookup 10001']);
  });

  test('converges after drift and partial failure: a missing NIC fails alone, a later run repairs the rest', async () => {
    // GIVEN two ENIs configured
    const lab = await newLab([secondaryEni(1), secondaryEni(2)], intentWith(2, 0));
    const marker = join(lab.dir, 'run', 'eni-ready');
    expect(lab.runScript().status).toBe(0);
    const good = lab.kernelState();
    // (the readiness marker of lib/readiness.ts says the run configured every ENI)
    expect(readFileSync(marker, 'utf8')).toBe('enis=2\n');
    // AND drift: a rule deleted, a foreign address, the default route of a table gone, the link down
    lab.ip('rule', 'del', 'from', '10.0.128.10', 'lookup', '10001', 'pref', '10001');
    lab.ip('addr', 'add', '10.0.128.99/24', 'dev', 'multus0');
    lab.ip('route', 'del', 'default', 'table', '10002');
    lab.ip('link', 'set', 'multus1', 'down');
    // AND IMDS lists a third ENI whose NIC never appears
    lab.writeFixture({ primaryMac: PRIMARY_MAC, interfaces: [primaryEni(), secondaryEni(1), secondaryEni(2), secondaryEni(3)] });
    // WHEN the script runs
    const r = lab.runScript([], { MULTINIC_NIC_WAIT: '1' });
    // THEN the third ENI fails (exit 1, said why), the drift on the others is repaired
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`mac=${eniMac(3)} FAILED: no network interface with this MAC appeared within 1s`);
    // AND the readiness marker is gone, so the node's startup taint stays
    expect(existsSync(marker)).toBe(false);
    // WHEN IMDS no longer lists it and the script runs again
    lab.writeFixture({ primaryMac: PRIMARY_MAC, interfaces: [primaryEni(), secondaryEni(1), secondaryEni(2)] });
    expect(lab.runScript().status).toBe(0);
    // THEN the node is back to the configured state
    expect(lab.kernelState()).toBe(good);
    expect(existsSync(marker)).toBe(true);
  });

  test('a reply to the secondary ENI\'s address from another subnet leaves through that ENI: fails before, works after', async () => {
    // GIVEN a VPC router namespace (strict rp_filter on its ports: like the VPC, it drops a packet whose source
    // does not belong behind the port it came in on) and a client in another subnet
    const lab = await newLab([secondaryEni(1)], intentWith(1, 0));
    const vpc = (...a: string[]) => must('ip', ['-n', lab.vpc, ...a]);
    vpc('addr', 'add', '10.0.0.1/24', 'dev', 'vp0');
    vpc('addr', 'add', '10.0.128.1/24', 'dev', 'vp1');
    const client = lab.addNamespace('c');
    must('ip', ['link', 'add', 'cl0', 'netns', client, 'type', 'veth', 'peer', 'name', 'vpc', 'netns', lab.vpc]);
    must('ip', ['-n', client, 'addr', 'add', '10.0.200.10/24', 'dev', 'cl0']);
    must('ip', ['-n', client, 'link', 'set', 'cl0', 'up']);
    must('ip', ['-n', client, 'route', 'add', 'default', 'via', '10.0.200.1']);
    vpc('addr', 'add', '10.0.200.1/24', 'dev', 'vpc');
    vpc('link', 'set', 'vpc', 'up');
    must('ip', ['netns', 'exec', lab.vpc, 'sh', '-c',
      'echo 1 > /proc/sys/net/ipv4/ip_forward; for i in all vp0 vp1 vpc; do echo 1 > /proc/sys/net/ipv4/conf/$i/rp_filter; done']);
    // AND the node filters strictly too, as a default AMI may
    must('ip', ['netns', 'exec', lab.node, 'sh', '-c', 'echo 1 > /proc/sys/net/ipv4/conf/all/rp_filter']);
    const ping = () => sh('ip', ['netns', 'exec', client, 'ping', '-n', '-c', '1', '-W', '1', '10.0.128.10'], undefined, 5000).status === 0;
    const txPackets = () => Number(/TX:[^\n]*\n\s*\d+\s+(\d+)/.exec(lab.ip('-s', 'link', 'show', 'dev', 'multus0'))?.[1]);
    // THEN before the script, the ping fails
    expect(ping()).toBe(false);

    // WHEN the script runs
    expect(lab.runScript().status).toBe(0);
    // THEN the ping succeeds, the kernel routes the reply out of multus0, and multus0 sent it
    const tx = txPackets();
    expect(ping()).toBe(true);
    expect(txPackets()).toBeGreaterThan(tx);
    expect(lab.ip('-4', 'route', 'get', '10.0.200.10', 'from', '10.0.128.10')).toMatch(/ dev multus0 .*table 10001/);

    // WHEN the rule is removed, the reply goes out of the primary ENI and the VPC drops it
    lab.ip('rule', 'del', 'from', '10.0.128.10', 'lookup', '10001', 'pref', '10001');
    expect(ping()).toBe(false);
    // AND a rerun restores it
    expect(lab.runScript().status).toBe(0);
    expect(ping()).toBe(true);
  });

  test('IMDS down: non-zero exit within the configured bound, saying why', async () => {
    // GIVEN no metadata service at all
    const lab = await newLab([secondaryEni(1)], intentWith(1, 0));
    lab.stopImds();
    // WHEN the script runs with 3 attempts of at most 1 s, 0.2 s apart (bound: 3 x 1.2 s)
    const r = lab.runScript([], { MULTINIC_IMDS_ATTEMPTS: '3', MULTINIC_IMDS_TIMEOUT: '1', MULTINIC_IMDS_RETRY_DELAY: '0.2' });
    // THEN it exits 3 within the bound and names the endpoint and the reason; nothing changed
    expect(r.status).toBe(3);
    expect(r.ms).toBeLessThan(3600);
    expect(r.stderr).toMatch(/error: IMDS unreachable at http:\/\/127\.0\.0\.1:8080 after 3 attempts \(curl exit 7: .*\)/);
    expect(sh('ip', ['-n', lab.node, 'link', 'show', 'dev', 'eth11']).status).toBe(0);
  });

  test('a hot-attached ENI whose device-number IMDS does not know yet is retried, then configured', async () => {
    // GIVEN IMDS answers 404 to the first two device-number requests of the ENI
    const lab = await newLab([{ ...secondaryEni(1), deviceNumberMissingFor: 2 }], intentWith(1, 0));
    // WHEN the script runs
    const r = lab.runScript();
    // THEN it is configured
    expect(r.status).toBe(0);
    expect(lab.rules(10001)).toEqual(['from 10.0.128.10 lookup 10001']);
  });

  test('a name taken by an interface that is not a secondary ENI fails that ENI, with the reason', async () => {
    // GIVEN something else already called multus0 on the node
    const lab = await newLab([secondaryEni(1)], intentWith(1, 0));
    lab.addNic('multus0', '02:00:00:00:09:09', 'vx');
    // WHEN the script runs
    const r = lab.runScript();
    // THEN the ENI fails, naming the other interface, and is left alone
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('FAILED: the name multus0 is taken by multus0 (MAC 02:00:00:00:09:09), which is not a secondary ENI');
    expect(lab.rules(10001)).toEqual([]);
  });

  test.each([
    ['no mtu line', (t: string) => t.replace(/^mtu .*\n/m, ''), 'no "mtu" line'],
    ['a bad interface name', (t: string) => t.replace(/^interface 0 1 multus0$/m, 'interface 0 1 bad name!'), 'line 5: interface name "bad name!" is not a valid Linux name'],
    ['no format line', (t: string) => t.replace(/^format .*\n/m, ''), 'line 2: the first line must be "format multinic.dev/node-config/v2"'],
    ['an older format', (t: string) => t.replace('/v2', '/v1'), 'line 2: "format multinic.dev/node-config/v1" is not "format multinic.dev/node-config/v2"'],
    ['an unknown line', (t: string) => `${t}route 0 1 x\n`, 'unknown line "route"'],
    ['a network without its config', (t: string) => t.replace(/ \{.*$/m, ''), 'the CNI config must be a JSON object holding "ranges":[]'],
  ])('a broken node config (%s) exits 2 naming the problem', async (_what, mutate, message) => {
    // GIVEN a node config broken by hand
    const lab = await newLab([secondaryEni(1, { prefixes: 1 })], intentWith(1, 1));
    lab.writeNodeConfig(mutate(readFileSync(lab.nodeConfigFile, 'utf8')));
    // WHEN the script runs
    const r = lab.runScript();
    // THEN it exits 2 and says what is wrong
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test.each([1, 7])('%i ENI(s): every one gets its name, table and rules', async (count) => {
    // GIVEN `count` secondary ENIs
    const enis = Array.from({ length: count }, (_, i) => secondaryEni(i + 1, { prefixes: i === 0 ? 1 : 0 }));
    const lab = await newLab(enis, intentWith(count, 1));
    // WHEN the script runs
    const r = lab.runScript();
    // THEN each ENI is multus<i> with table 10001+i and its rule
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`done: ${count} secondary ENI(s), 0 failed`);
    enis.forEach((e, i) => {
      expect(lab.ip('-o', 'link', 'show', 'dev', `multus${i}`)).toContain(e.mac);
      expect(lab.rules(10001 + i)).toContain(`from ${e.localIpv4s?.[0]} lookup ${10001 + i}`);
      expect(lab.table(10001 + i)).toContain(`default via 10.0.${128 + i}.1 dev multus${i} proto static`);
    });
    console.log(`multinic-eni.sh configured ${count} ENI(s) in ${r.ms} ms (first run, including process start)`);
  });
});

/**
 * A stand-in for systemctl that answers is-enabled/is-active from a list of enabled units and records every other
 * call: enough to watch the script hand amazon-ec2-net-utils' per-NIC units over (systemd is not PID 1 here).
 */
function fakeSystemctl(lab: EniLab, enabled: readonly string[]): { path: string; calls: () => string[]; enabled: () => string[] } {
  const units = join(lab.dir, 'units');
  const calls = join(lab.dir, 'systemctl-calls');
  const path = join(lab.dir, 'systemctl');
  writeFileSync(units, enabled.map((u) => `${u}\n`).join(''));
  writeFileSync(calls, '');
  writeFileSync(path, [
    '#!/bin/bash',
    `units=${units}; calls=${calls}`,
    'case "$1" in',
    '  is-enabled | is-active) grep -qxF -- "${@: -1}" "$units" ;;',
    '  disable) echo "$*" >>"$calls"; grep -vxF -- "${@: -1}" "$units" >"$units.new" || true; mv "$units.new" "$units" ;;',
    '  *) echo "$*" >>"$calls" ;;',
    'esac',
    '',
  ].join('\n'));
  chmodSync(path, 0o755);
  const lines = (f: string) => readFileSync(f, 'utf8').split('\n').filter((l) => l !== '');
  return { path, calls: () => lines(calls), enabled: () => lines(units) };
}

describeReal('multinic-eni.sh on Amazon Linux 2023 (EKS nodes): the hand-over from ec2-net-utils and networkd', () => {
  test('writes the per-MAC .network file that keeps systemd-networkd off the ENI under any name', async () => {
    const eni = secondaryEni(1);
    const lab = await newLab([eni], intentWith(1, 0));
    expect(lab.runScript().status).toBe(0);
    expect(readFileSync(join(lab.linkDir, '05-multinic-multus0.network'), 'utf8')).toBe([
      '# Written by multinic-eni.sh: multinic configures multus0; systemd-networkd leaves it alone.',
      '[Match]', `PermanentMACAddress=${eni.mac}`, '', '[Link]', 'Unmanaged=yes', '',
    ].join('\n'));
    // it sorts before nodeadm's 70-eks-<if>.network and ec2-net-utils' 70-<if>.network: the first match wins
    expect(['05-multinic-multus0.network', '70-eks-eth11.network', '70-eth11.network', '80-ec2.network'].sort()[0]).toBe('05-multinic-multus0.network');
  });

  test('stops ec2-net-utils\' units for each secondary ENI under its kernel name, never the primary\'s; a second run finds none', async () => {
    // GIVEN ec2-net-utils has started its units for the primary (ens5) and the secondary ENI the kernel named eth11
    const lab = await newLab([secondaryEni(1)], intentWith(1, 0));
    const sc = fakeSystemctl(lab, ['policy-routes@ens5.service', 'refresh-policy-routes@ens5.timer', 'policy-routes@eth11.service', 'refresh-policy-routes@eth11.timer']);
    // WHEN the script runs
    const r = lab.runScript([], { MULTINIC_SYSTEMCTL: sc.path });
    // THEN both units of eth11 are disabled and stopped (without blocking), the primary's stay, and it says so
    expect(r.status).toBe(0);
    expect(sc.calls()).toEqual(['disable --now --no-block refresh-policy-routes@eth11.timer', 'disable --now --no-block policy-routes@eth11.service']);
    expect(sc.enabled()).toEqual(['policy-routes@ens5.service', 'refresh-policy-routes@ens5.timer']);
    expect(r.stderr).toContain('eth11 mac=02:00:00:00:01:01: stopped policy-routes@eth11.service (amazon-ec2-net-utils); multinic configures this ENI');
    // AND a second run (the ENI is multus0 now, ec2-net-utils has nothing on it) calls nothing and changes nothing
    const again = lab.runScript([], { MULTINIC_SYSTEMCTL: sc.path });
    expect(sc.calls()).toHaveLength(2);
    expect(again.stderr).toContain('0 change(s)');
  });

  test('after a reboot the units ec2-net-utils started for the renamed ENI are stopped too', async () => {
    const lab = await newLab([secondaryEni(1)], intentWith(1, 0));
    expect(lab.runScript().status).toBe(0);
    const sc = fakeSystemctl(lab, ['policy-routes@multus0.service']);
    expect(lab.runScript([], { MULTINIC_SYSTEMCTL: sc.path }).status).toBe(0);
    expect(sc.calls()).toEqual(['disable --now --no-block policy-routes@multus0.service']);
  });

  test('what ec2-net-utils or networkd already put on the ENI (a DHCP address, its rule and table) is replaced by multinic\'s', async () => {
    // GIVEN eth11 as DHCP and ec2-net-utils left it: a lease address with a prefix route, a /32 alias, rule and table
    const lab = await newLab([secondaryEni(1)], intentWith(1, 0));
    lab.ip('link', 'set', 'eth11', 'up');
    lab.ip('addr', 'add', '10.0.128.10/24', 'dev', 'eth11', 'valid_lft', '3600', 'preferred_lft', '3600');
    lab.ip('addr', 'add', '10.0.128.99/32', 'dev', 'eth11');
    lab.ip('route', 'add', 'default', 'via', '10.0.128.1', 'dev', 'eth11', 'table', '10001');
    lab.ip('rule', 'add', 'from', '10.0.128.10', 'lookup', '10001', 'pref', '32765');
    // WHEN the script runs
    expect(lab.runScript().status).toBe(0);
    // THEN multus0 has exactly multinic's address, table and rules
    const addrs = lab.ip('-4', '-o', 'addr', 'show', 'dev', 'multus0').trim().split('\n');
    expect(addrs.map((l) => /inet (\S+)/.exec(l)?.[1])).toEqual(['10.0.128.10/24']);
    expect(addrs[0]).toMatch(/valid_lft forever/);
    expect(lab.table(10001)).toEqual(['10.0.128.0/24 dev multus0 proto static scope link', 'default via 10.0.128.1 dev multus0 proto static']);
    expect(lab.rules(10001)).toEqual(['from 10.0.128.10 lookup 10001']);
    expect(lab.rules(32765)).toEqual([]);
  });

  test('--dry-run prints the systemctl call and makes none', async () => {
    const lab = await newLab([secondaryEni(1)], intentWith(1, 0));
    const sc = fakeSystemctl(lab, ['policy-routes@eth11.service']);
    const r = lab.runScript(['--dry-run'], { MULTINIC_SYSTEMCTL: sc.path });
    expect(r.stdout.split('\n')).toContain(`${sc.path} disable --now --no-block policy-routes@eth11.service`);
    expect(sc.calls()).toEqual([]);
    expect(sc.enabled()).toEqual(['policy-routes@eth11.service']);
  });
});

describeReal('multinic-eni.sh as a node installs it: one file, its parts inlined (infra/eni-script.ts)', () => {
  test('configures the ENI as the entry point with its parts does, byte for byte in the files and the kernel', async () => {
    // GIVEN the inlined script in a directory of its own (no eni/ next to it), and two identical labs
    const dir = mkdtempSync(join(tmpdir(), 'multinic-inlined-'));
    try {
      const single = join(dir, 'multinic-eni.sh');
      writeFileSync(single, inlineEniScript(join(REPO, 'infra', 'node')), { mode: 0o755 });
      const intent = intentWith(1, 2);
      const parts = await newLab([secondaryEni(1, { addresses: 2, prefixes: 2 })], intent);
      const inlined = await newLab([secondaryEni(1, { addresses: 2, prefixes: 2 })], intent);
      // WHEN each runs its script
      const r1 = parts.runScript();
      const r2 = inlined.runScript([], {}, single);
      // THEN both succeed with the same log, the same kernel state and the same files
      expect(r2.status).toBe(0);
      expect(r2.stderr).toBe(r1.stderr);
      const strip = (lab: EniLab, s: string) => s.split(lab.node).join('NODE').split(lab.vpc).join('VPC');
      expect(strip(inlined, inlined.kernelState())).toBe(strip(parts, parts.kernelState()));
      const file = (lab: EniLab, ...p: string[]) => readFileSync(join(lab.dir, ...p), 'utf8');
      expect(file(inlined, 'cni', 'default-pods-a.conf')).toBe(file(parts, 'cni', 'default-pods-a.conf'));
      expect(file(inlined, 'network', '10-multinic-multus0.link')).toBe(file(parts, 'network', '10-multinic-multus0.link'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('shell scripts', () => {
  const sc = requireTools(['shellcheck']);
  const extra = ['-o', 'check-extra-masked-returns,check-set-e-suppressed'];
  sc.test('multinic-eni.sh as a node gets it (every part inlined, so shellcheck sees the whole program) is clean with the extra checks', () => {
    // GIVEN the inlined script WHEN shellcheck runs with the optional checks for masked returns and suppressed set -e
    const dir = mkdtempSync(join(tmpdir(), 'multinic-sc-'));
    try {
      writeFileSync(join(dir, 'multinic-eni.sh'), inlineEniScript(join(REPO, 'infra', 'node')));
      const r = sh('shellcheck', [...extra, join(dir, 'multinic-eni.sh')]);
      // THEN it reports nothing
      expect(r.stdout).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  sc.test.each(['infra/node/multinic-eni.sh', 'bench/eni-setup.sh'])('%s is clean under shellcheck with the extra checks (following sources)', (script) => {
    const r = sh('shellcheck', ['-x', ...extra, join(REPO, script)]);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});
