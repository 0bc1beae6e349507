import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { vpcRuleset } from '../../cluster/actions/networks';
import { boxTopology } from '../../cluster/topology';
import { linkSummary } from '../../cluster/up';
import { loadIntentFile } from '../../lib/intent/load';
import type { NetworkIntent } from '../../lib/intent/types';

const load = (f: string): NetworkIntent => loadIntentFile(f).intent!;
const DEFAULT = path.join(__dirname, '..', '..', 'network-intent.yaml');
const GROUPS = path.join(__dirname, '..', 'fixtures', 'cluster', 'groups.yaml');

describe('boxTopology', () => {
  test('one node per node of the intent, workers capped per group, ENIs with the facts their metadata server reports', () => {
    const topo = boxTopology(load(GROUPS), { macvlan: true, ipvlan: false }, 1);
    expect(topo.nodes.map((n) => n.name)).toEqual(['control-plane-1', 'front-1', 'back-1']);
    expect(topo.capped).toEqual([{ group: 'back', count: 2, running: 1 }]);
    const back = topo.nodes[2];
    expect(back.enis.map((e) => [e.name, e.kernelName, e.subnetCidr, e.ips, e.prefixes])).toEqual([
      ['back0', 'ens6', '10.0.129.0/24', ['10.0.129.10'], ['10.0.129.128/28']],
      ['stor0', 'ens7', '10.0.130.0/24', ['10.0.130.10'], []],
    ]);
    // every node registers with the startup taint; the control plane also with kubeadm's
    expect(topo.nodes[0].taints).toEqual(['multinic.dev/networks-not-ready=true:NoSchedule', 'node-role.kubernetes.io/control-plane:NoSchedule']);
    expect(back.labels).toEqual(['multinic.dev/node-group=back', 'multinic.dev/interface-back0=true', 'multinic.dev/interface-stor0=true', 'tier=back']);
    // MACs are unique and locally administered
    const macs = topo.nodes.flatMap((n) => [n.mac, ...n.enis.map((e) => e.mac)]);
    expect(new Set(macs).size).toBe(macs.length);
    for (const m of macs) expect(m).toMatch(/^02:/);
  });

  test('the default intent (AWS, ipvlan) on a kernel without ipvlan: the networks that cannot attach are named, the VPC rule is on', () => {
    const topo = boxTopology(load(DEFAULT), { macvlan: true, ipvlan: false });
    expect(topo.vpcRule).toBe(true);
    expect(topo.networks.filter((n) => !n.support.ok).map((n) => n.key)).toEqual([
      'default/ipvlan-conf', 'dcjeon/whereabouts-eth1-conf', 'redhet-demo/ipvlan-whereabouts-net-attach-def', 'redhet-demo/routable-net',
    ]);
    const lines = linkSummary(topo);
    expect(lines[0]).toBe('network default/ipvlan-conf: ipvlan over multus0 - cannot attach: this kernel cannot create ipvlan links ("ip link add ... type ipvlan" fails); a kernel with the ipvlan module (most distributions ship it) runs it');
    expect(lines.at(-1)).toBe('platform aws: the VPC rule (unknown MACs and addresses dropped on the subnet bridges) is on');
  });

  test('the VPC rule is a valid bridge-family nftables ruleset (nft -c)', () => {
    const ruleset = vpcRuleset(boxTopology(load(DEFAULT), {}));
    expect(ruleset).toContain('"p1e1" . 02:6d:6e:01:01:01');
    expect(ruleset).toContain('"p1e1" . 10.0.128.128/28');
    const nft = spawnSync('unshare', ['-n', 'nft', '-c', '-f', '-'], { input: ruleset, encoding: 'utf8' });
    expect(nft.stderr).toBe('');
    expect(nft.status).toBe(0);
  });
});
