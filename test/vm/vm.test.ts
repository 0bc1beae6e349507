/**
 * The VPC model in a VM (test/vm/vm.sh): Debian's cloud kernel (it has ipvlan; this machine's kernel does not)
 * booted once under QEMU/TCG, two "nodes" whose veth "ENIs" plug into a "vpc" bridge that enforces the VPC's rule
 * with nftables (test/vm/vpc-model.ts), and the configs multinic renders run by Debian's real ipvlan, macvlan and
 * host-local plugins. One boot runs every case; the guest prints one RESULT line per case and this test asserts each.
 *
 * Skipped, with the reason, only when the machine cannot run it (not root, qemu or busybox missing); CI installs both.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { networkIntentSchema } from '../../lib/intent/schema';
import { NODE_ENIS, UNDELEGATED_PREFIX, writeSuite, type SuitePlan } from './suite';
import { Ipv4Cidr, Ipv4Address } from '../../lib/net/ipv4';
import { gate, requireTools } from '../util/require-tool';

const REPO = join(__dirname, '..', '..');
const VM_SH = join(REPO, 'test', 'vm', 'vm.sh');
const BOUND_MS = 240_000;
const SKIPPED = 77;

interface Run { readonly status: number | null; readonly stdout: string; readonly stderr: string; readonly plan?: SuitePlan }

/** Boots the VM once for the whole file. */
function runVm(): Run {
  const intent = networkIntentSchema.parse(parseYaml(readFileSync(join(REPO, 'network-intent.yaml'), 'utf8')));
  const dir = mkdtempSync(join(tmpdir(), 'multinic-vm-suite-'));
  try {
    const plan = writeSuite(dir, intent, readFileSync(join(REPO, 'test', 'vm', 'guest', 'suite.sh'), 'utf8'));
    const r = spawnSync(VM_SH, [dir], {
      encoding: 'utf8', timeout: BOUND_MS, killSignal: 'SIGKILL', env: { ...process.env, MULTINIC_VM_TIMEOUT: String(BOUND_MS / 1000 - 20) },
    });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? r.error?.message ?? '', plan };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `RESULT <case> k=v ... [before: k=v ... after: k=v ...]` lines by case. */
interface CaseResult { readonly fields: Record<string, string>; readonly before: Record<string, number>; readonly after: Record<string, number> }
function results(stdout: string): Map<string, CaseResult> {
  const out = new Map<string, CaseResult>();
  for (const l of stdout.split('\n')) {
    const m = /^RESULT (\S+) ?(.*)$/.exec(l.trim());
    if (!m) continue;
    const [main, before = '', after = ''] = m[2].split(/ (?:before|after): /);
    const kv = (s: string) => Object.fromEntries(s.split(' ').filter((w) => w.includes('=')).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
    const nums = (s: string) => Object.fromEntries(Object.entries(kv(s)).map(([k, v]) => [k, /^\d+$/.test(v) ? Number(v) : NaN]));
    out.set(m[1], { fields: kv(main), before: nums(before), after: nums(after) });
  }
  return out;
}

const uid = process.getuid?.() ?? -1;
const run: Run = uid === 0 ? runVm() : { status: SKIPPED, stdout: '', stderr: 'not root' };
const skipReason = run.status !== SKIPPED ? undefined
  : uid !== 0 ? 'needs root (for the guest image\'s device nodes and apt-get download)'
  : `the VM cannot run here: ${/SKIP: (.*)/.exec(run.stderr)?.[1] ?? run.stderr.trim()}`;
const describeVm = gate(skipReason).describe;
const got = results(run.stdout);
if (process.env.MULTINIC_VM_VERBOSE) console.log(run.stdout.split('\n').filter((l) => l.startsWith('RESULT')).join('\n'));

/** The result of `name`, failing with the guest's console when it is missing. */
function result(name: string): CaseResult {
  const r = got.get(name);
  if (r === undefined) throw new Error(`no RESULT ${name} from the guest (vm.sh exit ${run.status}); stderr:\n${run.stderr}\nconsole:\n${run.stdout.slice(-4000)}`);
  return r;
}
const delta = (r: CaseResult, counter: string) => (r.after[counter] ?? NaN) - (r.before[counter] ?? NaN);
const inPrefix = (address: string, prefix: string) => Ipv4Cidr.parse(prefix).contains(Ipv4Address.parse(address));

describeVm('the VPC model in a VM, with the configs multinic renders and the real plugins', () => {
  test('the guest booted, ran the suite and loaded the VPC model', () => {
    expect(run.status).toBe(0);
    expect(result('vpc-model').fields).toEqual({ loaded: '1' });
  });

  test('ipvlan pods take their node\'s own (lowest, numerically) delegated prefix', () => {
    // THEN pods on node a have addresses in a's first prefix, the pod on b in b's
    expect(result('add:pa1').fields).toEqual({ ok: '1', address: '10.0.128.16' });
    expect(inPrefix(result('add:pa2').fields.address, '10.0.128.16/28')).toBe(true);
    expect(result('add:pb1').fields).toEqual({ ok: '1', address: '10.0.128.64' });
  });

  test.each([['ipvlan-a-to-b'], ['ipvlan-b-to-a']])('%s: the ping crosses the VPC and the VPC drops nothing', (name) => {
    const r = result(name);
    expect(r.fields.ping).toBe('1');
    expect([delta(r, 'src_mac'), delta(r, 'src_ip'), delta(r, 'dst_ip')]).toEqual([0, 0, 0]);
  });

  test('ipvlan-same-node: the ping gets through; no frame is dropped for its source', () => {
    const r = result('ipvlan-same-node');
    expect(r.fields.ping).toBe('1');
    // The ARP broadcast also reaches the VPC, which delivers it to no other ENI (dst_ip may count that copy).
    expect([delta(r, 'src_mac'), delta(r, 'src_ip')]).toEqual([0, 0]);
  });

  test(`the seed's failure: an ipvlan pod whose address is outside its node's prefixes (${UNDELEGATED_PREFIX}) is dropped by the VPC`, () => {
    expect(inPrefix(result('add:po1').fields.address, UNDELEGATED_PREFIX)).toBe(true);
    const r = result('outside-prefix-a-to-b');
    expect(r.fields.ping).toBe('0');
    expect(delta(r, 'src_ip')).toBeGreaterThan(0);
  });

  test('the seed\'s failure: macvlan pods on two nodes are dropped for their made-up source MAC', () => {
    expect(result('add:ma1').fields.ok).toBe('1');
    const r = result('macvlan-a-to-b');
    expect(r.fields.ping).toBe('0');
    expect(delta(r, 'src_mac')).toBeGreaterThan(0);
  });

  test('control: without the source-MAC rule the same macvlan pair gets through, so that rule is what drops it', () => {
    const r = result('macvlan-a-to-b-without-mac-rule');
    expect(r.fields.ping).toBe('1');
    expect(delta(r, 'src_mac')).toBe(0);
  });

  test('every ipvlan NetworkAttachmentDefinition of the default intent: ADD, CHECK and DEL succeed, no child link left', () => {
    expect(run.plan?.nads).toEqual(['ipvlan-conf', 'whereabouts-eth1-conf', 'ipvlan-whereabouts-net-attach-def', 'routable-net']);
    for (const name of run.plan?.nads ?? []) {
      const r = result(`nad:${name}`);
      expect([name, r.fields.add, r.fields.check, r.fields.del, r.fields.children_left, r.fields.error]).toEqual([name, '0', '0', '0', '0', '']);
    }
  });

  test('the per-node configs come from the node config multinic renders for each ENI\'s IMDS facts: one /28 per network, in intent order', () => {
    const files = run.plan?.perNode;
    const names = ['default-ipvlan-conf.conf', 'dcjeon-whereabouts-eth1-conf.conf', 'redhet-demo-ipvlan-whereabouts-net-attach-def.conf', 'redhet-demo-routable-net.conf'];
    expect([...(files?.get('a')?.keys() ?? [])]).toEqual(names);
    const ranges = (node: 'a' | 'b', file: string) => (files?.get(node)?.get(file) as { ipam: { ranges: unknown } }).ipam.ranges;
    const range = (subnet: string, start: string, end: string) => [[{ subnet, rangeStart: start, rangeEnd: end, gateway: '10.0.128.1' }]];
    // Node a's prefixes sorted: .16, .32, .48, .96; node b's: .64, .80, .128, .144
    expect(names.map((f) => ranges('a', f))).toEqual([
      range(NODE_ENIS[0].subnet, '10.0.128.16', '10.0.128.31'), range(NODE_ENIS[0].subnet, '10.0.128.32', '10.0.128.47'),
      range(NODE_ENIS[0].subnet, '10.0.128.48', '10.0.128.63'), range(NODE_ENIS[0].subnet, '10.0.128.96', '10.0.128.111'),
    ]);
    expect(names.map((f) => ranges('b', f))).toEqual([
      range(NODE_ENIS[1].subnet, '10.0.128.64', '10.0.128.79'), range(NODE_ENIS[1].subnet, '10.0.128.80', '10.0.128.95'),
      range(NODE_ENIS[1].subnet, '10.0.128.128', '10.0.128.143'), range(NODE_ENIS[1].subnet, '10.0.128.144', '10.0.128.159'),
    ]);
  });

  test('every network of the default intent: a pod on node a pings a pod on node b over the VPC, nothing dropped', () => {
    expect(run.plan?.crossNode.map((c) => c.name)).toEqual(['ipvlan-conf', 'whereabouts-eth1-conf', 'ipvlan-whereabouts-net-attach-def', 'routable-net']);
    const sliceA = ['10.0.128.16/28', '10.0.128.32/28', '10.0.128.48/28', '10.0.128.96/28'];
    const sliceB = ['10.0.128.64/28', '10.0.128.80/28', '10.0.128.128/28', '10.0.128.144/28'];
    run.plan?.crossNode.forEach((c, i) => {
      // Each pod's address is in its own node's slice for that network
      expect([c.name, inPrefix(result(`add:${c.podA}`).fields.address, sliceA[i]), inPrefix(result(`add:${c.podB}`).fields.address, sliceB[i])]).toEqual([c.name, true, true]);
      const r = result(`cross:${c.name}`);
      expect([c.name, r.fields.ping, delta(r, 'src_mac'), delta(r, 'src_ip'), delta(r, 'dst_ip')]).toEqual([c.name, '1', 0, 0, 0]);
    });
  });
});

describe('test/vm/vm.sh', () => {
  test('refuses a directory without suite.sh, with usage', () => {
    const r = spawnSync(VM_SH, [tmpdir()], { encoding: 'utf8', timeout: 10_000 });
    expect([r.status, r.stderr.trim()]).toEqual([1, 'multinic-vm: error: usage: vm.sh SUITE_DIR (a directory holding suite.sh)']);
  });
});

describe('the VM test\'s scripts', () => {
  requireTools(['shellcheck']).test.each([
    ['test/vm/vm.sh', ['-o', 'check-extra-masked-returns,check-set-e-suppressed']],
    ['bench/vm.sh', ['-o', 'check-extra-masked-returns,check-set-e-suppressed']],
    ['test/vm/guest/init', ['-s', 'sh']],
    ['test/vm/guest/suite.sh', ['-s', 'sh']],
  ])('%s is shellcheck-clean', (file, args) => {
    const r = spawnSync('shellcheck', [...args, join(REPO, file)], { encoding: 'utf8', timeout: 30_000 });
    expect([r.status, r.stdout]).toEqual([0, '']);
  });
});
