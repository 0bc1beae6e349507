/**
 * The intent's ICMP rules (lib/policy icmpRuleLines) as multi-networkpolicy-iptables loads them: each line appended
 * to MULTI-INGRESS-COMMON of a pod's network namespace, ahead of the final DROP of a policed interface. Real
 * iptables (nf_tables) in network namespaces this test creates: a ping from a pod address of the network is
 * admitted, one from an address the IPAM excludes is dropped, and without the lines both are (the deny-all).
 *
 * The chain layout is the daemon's (pkg/server/server.go and policyrules.go at cbf2b11): INPUT -i <if> -j
 * MULTI-INGRESS; MULTI-INGRESS -j MULTI-INGRESS-COMMON; the custom lines; RELATED,ESTABLISHED accepted; DROP.
 * Needs root, ip and iptables; skipped with the reason otherwise.
 */
import type { NetworkIntentInput } from '../../lib/intent/types';
import { validateText } from '../../lib/intent/validate';
import { icmpRuleLines } from '../../lib/policy/multi-network-policies';
import { baseIntent, network, yamlOf } from '../util/intent';
import { must, NetnsLab, pings, run } from '../util/netns';
import { gate, missingReason } from '../util/require-tool';

const support = gate(missingReason(['ip', 'iptables-restore', 'ping'], { root: 'network namespaces and iptables' }));
const lab = new NetnsLab();
afterAll(() => {
  const leftovers = lab.cleanup();
  // Network tests clean up after themselves: anything left behind is a failure, not a warning.
  expect(leftovers).toEqual([]);
});

/** The ICMP lines of baseIntent's whereabouts network (10.4.128.0/24 without 10.4.128.0/30) admitting its pods. */
function lines(): string[] {
  const i: NetworkIntentInput = baseIntent();
  network(i, 1).ingress = [{ from: [{ pods: { app: 'ubuntu' } }], icmp: true }];
  const r = validateText(yamlOf(i));
  if (!r.model) throw new Error(r.findings.map((f) => f.message).join('\n'));
  return icmpRuleLines(r.model).filter((l) => !l.startsWith('#'));
}

/** The daemon's filter table for a pod whose policed interfaces are `ifs`, with `custom` in the common chain. */
function daemonTable(ifs: readonly string[], custom: readonly string[]): string {
  return [
    '*filter',
    ':MULTI-INGRESS - [0:0]',
    ':MULTI-INGRESS-COMMON - [0:0]',
    ...ifs.map((i) => `-A INPUT -i ${i} -j MULTI-INGRESS`),
    '-A MULTI-INGRESS -j MULTI-INGRESS-COMMON',
    ...custom.map((l) => `-A MULTI-INGRESS-COMMON ${l}`),
    '-A MULTI-INGRESS-COMMON -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A MULTI-INGRESS -j DROP',
    'COMMIT',
    '',
  ].join('\n');
}

support.describe('ICMP rules in a pod\'s network namespace (real iptables)', () => {
  // GIVEN a "pod" with two interfaces on the network: t1 faces a pod peer (10.4.128.20), t2 a host at an excluded
  // address (10.4.128.2)
  let pod = '';
  let peer = '';
  let excluded = '';
  beforeAll(() => {
    pod = lab.netns('pod');
    peer = lab.netns('peer');
    excluded = lab.netns('excl');
    lab.veth(pod, 't1', peer, 'pa');
    lab.veth(pod, 't2', excluded, 'pb');
    for (const [ns, dev, addr, to] of [[pod, 't1', '10.4.128.10', '10.4.128.20'], [pod, 't2', '10.4.128.11', '10.4.128.2'], [peer, 'pa', '10.4.128.20', '10.4.128.10'], [excluded, 'pb', '10.4.128.2', '10.4.128.11']]) {
      must('ip', ['-n', ns, 'addr', 'add', `${addr}/32`, 'dev', dev]);
      must('ip', ['-n', ns, 'route', 'add', `${to}/32`, 'dev', dev]);
    }
  });

  const load = (custom: readonly string[]) => {
    const r = run('ip', ['netns', 'exec', pod, 'iptables-restore'], daemonTable(['t1', 't2'], custom));
    expect([r.status, r.stderr.trim()]).toEqual([0, '']);
  };

  test('without the lines (a network whose ingress has no icmp) nobody pings the pod', () => {
    load([]);
    expect(pings(peer, '10.4.128.10')).toBe(false);
    expect(pings(excluded, '10.4.128.11')).toBe(false);
  });

  test('with them, a pod address of the network pings; an address the IPAM excludes does not', () => {
    const custom = lines();
    expect(custom.length).toBe(36); // 6 source blocks x 6 destination blocks
    load(custom);
    expect(pings(peer, '10.4.128.10')).toBe(true);
    expect(pings(excluded, '10.4.128.11')).toBe(false);
  });

  test('the pod\'s own pings out are answered (the reply is ESTABLISHED)', () => {
    load([]);
    expect(pings(pod, '10.4.128.20')).toBe(true);
  });
});
