import type { Network } from '../intent/types';
import { finding, type Finding, type Rule } from './types';

/** The layer-2 segment a network's pod interfaces share with others in one pod, for plugins that give each its own MAC. */
function segmentOf(n: Network): string | undefined {
  if (n.type === 'macvlan') return `macvlan on ${n.master}`;
  if (n.type === 'bridge') return `bridge ${n.bridge}`;
  return undefined; // ipvlan children share their master's MAC (frames reach the right one by address); host-device is alone
}

/** Whether the network's tuning sysctls make each interface answer ARP only for its own addresses. */
function strongArp(n: Network): boolean {
  return Object.entries(n.sysctl ?? {}).some(([k, v]) => /^net\.ipv4\.conf\.(IFNAME|all)\.arp_ignore$/.test(k) && Number(v) >= 1);
}

/**
 * Found on the local cluster: a pod with several macvlan interfaces on one master answered ARP for every address on
 * every interface (Linux's default arp_ignore 0), so frames for one interface arrived on another, and the
 * MultiNetworkPolicy of that interface dropped what the right one admitted.
 */
export const policyArpFluxRule: Rule = {
  id: 'multinic:PolicyArpFlux',
  level: 'warning',
  summary: 'A workload attaches several macvlan (or bridge) networks over one layer-2 segment without arp_ignore: traffic for one interface can arrive on another and be judged by that network\'s policy.',
  why: 'Linux answers ARP for any of a pod\'s addresses on every interface by default. With several interfaces on one segment, a peer may learn the MAC of the wrong interface; its packets then arrive there, and multi-networkpolicy-iptables applies that interface\'s rules (it matches the incoming interface): what the right network admits is dropped, intermittently (whichever ARP reply wins). ipvlan children share their master\'s MAC and are not affected.',
  fix: 'Set sysctl: { net.ipv4.conf.IFNAME.arp_ignore: "1", net.ipv4.conf.IFNAME.arp_announce: "2" } on each of these networks (the tuning plugin puts the pod\'s interface name for IFNAME), or attach them over different masters.',
  check(_intent, model) {
    const findings: Finding[] = [];
    for (const w of model.workloads) {
      const bySegment = new Map<string, Network[]>();
      for (const a of w.attachments) {
        const segment = a.network && segmentOf(a.network.network);
        if (!segment || !a.network) continue;
        bySegment.set(segment, [...(bySegment.get(segment) ?? []), a.network.network]);
      }
      for (const [segment, networks] of bySegment) {
        if (networks.length < 2 || networks.every(strongArp)) continue;
        findings.push(finding(this, ['spec', 'workloads', w.index, 'networks'],
          `workload "${w.workload.namespace}/${w.workload.name}" attaches ${networks.map((n) => n.name).join(', ')} over one layer-2 segment (${segment}) and ${networks.filter((n) => !strongArp(n)).map((n) => n.name).join(', ')} lack arp_ignore: packets for one of its interfaces can arrive on another, whose policy then drops what the right one admits`));
      }
    }
    return findings;
  },
};
