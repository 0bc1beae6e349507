/**
 * The box's networks: the "VPC" namespace holding the management bridge (nodes' primary interfaces, the control
 * plane, the registry) and one bridge per subnet of the intent; for AWS intents the VPC rule in nftables on the
 * subnet bridges (test-harness.md, "A VPC model in the VM"); the control plane's namespace on the management bridge.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MGMT, RUN_NETNS_MARKER } from '../box';
import { runNetnsMounted } from '../provider/host';
import { must, run } from '../provider/exec';
import { listNetns } from '../provider/discover';
import type { BoxTopology } from '../topology';
import type { Action, UpContext } from './context';

/**
 * The VPC rule as a bridge-family nftables ruleset: a frame entering from an ENI port must carry that ENI's MAC and
 * one of its addresses (primary or inside a delegated prefix); it leaves only through the port whose ENI owns the
 * destination. Frames from the management bridge are not subject to it.
 */
export function vpcRuleset(topo: BoxTopology): string {
  const enis = topo.nodes.flatMap((n) => n.enis);
  if (enis.length === 0) return '';
  const ports = enis.map((e) => `"${e.port}"`).join(', ');
  const macs = enis.map((e) => `"${e.port}" . ${e.mac}`).join(', ');
  const ips = enis.flatMap((e) => [...e.ips, ...e.prefixes].map((a) => `"${e.port}" . ${a}`)).join(', ');
  return `table bridge multinic_vpc {
  set eni_ports { type ifname; elements = { ${ports} } }
  set eni_mac { type ifname . ether_addr; elements = { ${macs} } }
  set eni_ip { type ifname . ipv4_addr; flags interval; elements = { ${ips} } }
  counter unknown_mac {}
  counter unknown_ip {}
  counter not_owner {}
  chain prerouting {
    type filter hook prerouting priority 0; policy accept;
    iifname != @eni_ports accept
    ether type ip6 drop
    iifname . ether saddr != @eni_mac counter name unknown_mac drop
    ether type arp iifname . arp saddr ip != @eni_ip counter name unknown_ip drop
    ether type ip iifname . ip saddr != @eni_ip counter name unknown_ip drop
  }
  chain forward {
    type filter hook forward priority 0; policy accept;
    oifname != @eni_ports accept
    ether type ip oifname . ip daddr != @eni_ip counter name not_owner drop
  }
}
`;
}

export const networksAction: Action = {
  title: 'Creating the VPC and management networks',
  async execute(ctx: UpContext) {
    const { names, topo } = ctx;
    const fresh = !listNetns(names.vpcNs).includes(names.vpcNs);
    if (fresh) {
      // `ip netns add` bind-mounts /run/netns the first time: remembered, so that the last down undoes it.
      if (!runNetnsMounted()) {
        fs.mkdirSync(names.root, { recursive: true });
        fs.writeFileSync(path.join(names.root, RUN_NETNS_MARKER), 'the box made the /run/netns bind mount; the last down removes it\n');
      }
      must('ip', ['netns', 'add', names.vpcNs]);
      must('ip', ['netns', 'add', names.cpNs]);
      const vpc = [
        'link set lo up',
        'link add br-mgmt type bridge',
        `addr add ${MGMT.gateway}/${MGMT.prefix} dev br-mgmt`,
        'link set br-mgmt up',
        `link add pcp type veth peer name eth0 netns ${names.cpNs}`,
        'link set pcp master br-mgmt up',
      ];
      must('ip', ['-n', names.vpcNs, '-batch', '-'], { input: vpc.join('\n') + '\n' });
      must('ip', ['-n', names.cpNs, '-batch', '-'], {
        input: ['link set lo up', `addr add ${MGMT.controlPlane}/${MGMT.prefix} dev eth0`, 'link set eth0 up', `route add default via ${MGMT.gateway}`].join('\n') + '\n',
      });
    }
    // The subnets' bridges, also those a changed intent adds to a running box.
    const bridges = new Set(run('ip', ['-n', names.vpcNs, '-o', 'link', 'show', 'type', 'bridge']).stdout.split('\n').map((l) => l.split(': ')[1]?.split('@')[0]).filter(Boolean));
    const added = topo.subnets.filter((s) => !bridges.has(s.bridge));
    if (added.length > 0) {
      must('ip', ['-n', names.vpcNs, '-batch', '-'], { input: added.flatMap((s) => [`link add ${s.bridge} mtu ${topo.mtu} type bridge`, `link set ${s.bridge} up`]).join('\n') + '\n' });
    }
    // The VPC rule, replaced as a whole in one nft transaction (a changed intent brings other ENIs).
    let rule = 'off';
    const ruleset = vpcRuleset(topo);
    if (topo.vpcRule && ruleset !== '') {
      const r = run('ip', ['netns', 'exec', names.vpcNs, 'nft', '-f', '-'], { input: `table bridge multinic_vpc {}\ndelete table bridge multinic_vpc\n${ruleset}` });
      if (r.status !== 0) throw new Error(`the VPC rule (nftables, family bridge) did not load: ${r.stderr.trim()}`);
      rule = 'on';
    }
    ctx.facts.vpcRule = rule === 'on';
    return `${fresh ? '' : 'already there; '}${topo.subnets.length} subnet bridge(s)${!fresh && added.length > 0 ? ` (${added.length} new)` : ''}, VPC rule ${rule}`;
  },
};
