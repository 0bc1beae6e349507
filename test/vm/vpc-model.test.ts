/**
 * test/vm/vpc-model.ts: the ruleset says what the VPC does, and the real nft accepts it (checked on the host in a
 * fresh network namespace, without the VM).
 */
import { spawnSync } from 'node:child_process';
import { VPC_COUNTERS, vpcRuleset } from './vpc-model';
import { requireTools } from '../util/require-tool';

const PORTS = [
  { port: 'pa', mac: '02:00:00:00:0a:01', addresses: ['10.0.128.10'], prefixes: ['10.0.128.16/28'] },
  { port: 'pb', mac: '02:00:00:00:0b:01', addresses: ['10.0.128.11'], prefixes: ['10.0.128.64/28', '10.0.128.80/28'] },
];

describe('vpcRuleset', () => {
  test('every ENI\'s MAC, and its addresses and prefixes, are keyed by its port', () => {
    const text = vpcRuleset(PORTS);
    expect(text).toContain('elements = { "pa" . 02:00:00:00:0a:01, "pb" . 02:00:00:00:0b:01 }');
    expect(text).toContain('elements = { "pa" . 10.0.128.10, "pa" . 10.0.128.16/28, "pb" . 10.0.128.11, "pb" . 10.0.128.64/28, "pb" . 10.0.128.80/28 }');
  });

  test('drops by source MAC in its own chain (the VM test flushes it for the control case), then by source and destination address', () => {
    const lines = vpcRuleset(PORTS).split('\n').map((l) => l.trim());
    expect(lines).toContain('iifname . ether saddr != @eni_mac counter name src_mac_unknown drop');
    expect(lines.indexOf('jump source_mac')).toBeLessThan(lines.indexOf('ether type ip iifname . ip saddr != @eni_ipv4 counter name src_ip_unassigned drop'));
    expect(lines).toContain('ether type arp oifname . arp daddr ip != @eni_ipv4 counter name dst_ip_unassigned drop');
    for (const c of VPC_COUNTERS) expect(lines).toContain(`counter ${c} {}`);
  });

  requireTools(['nft', 'unshare'], { root: 'a network namespace' }).test('the real nft accepts it', () => {
    const r = spawnSync('unshare', ['-n', 'nft', '-c', '-f', '-'], { input: vpcRuleset(PORTS), encoding: 'utf8', timeout: 10_000 });
    expect([r.status, r.stderr]).toEqual([0, '']);
  });
});
