/**
 * The security group of a network: one ingress rule per (protocol, port range, source block) that the network's
 * `ingress` admits, and nothing else. A security group sees addresses, not labels: a pod peer becomes the
 * addresses of the network's pods (exact IPAM ranges), a CIDR peer its blocks minus `except`. The VPC enforces it
 * on the ENIs that carry the network, i.e. for traffic between nodes; label precision is the cluster's job
 * (MultiNetworkPolicy).
 */
import type { IntentModel, ResolvedNetwork } from '../model/model';
import { cidrsOf } from '../net/cidr-set';
import { Ipv4Cidr } from '../net/ipv4';
import { podAddresses } from './addresses';
import { peerWorkloads, targetWorkloads } from './peers';

export interface SecurityGroupRule {
  /** CloudFormation `IpProtocol`. */
  readonly protocol: 'tcp' | 'udp' | 'icmp';
  /** First port; -1 for ICMP (every type). */
  readonly fromPort: number;
  /** Last port; -1 for ICMP (every code). */
  readonly toPort: number;
  readonly cidr: string;
  /** Where in the intent the rule comes from. */
  readonly description: string;
}

/** Security groups allow 60 inbound rules each by default (a quota that can be raised). */
export const SECURITY_GROUP_RULE_QUOTA = 60;

/** Source blocks of every peer of `rule` that admits someone (a pod peer that selects no workload admits no one). */
function sources(model: IntentModel, n: ResolvedNetwork, ruleIndex: number): Ipv4Cidr[] {
  const rule = n.network.ingress[ruleIndex];
  const own = podAddresses(model, n) ?? [];
  return rule.from.flatMap((peer) => {
    if (peer.pods !== undefined) return peerWorkloads(model, n, peer).length ? own : [];
    const c = Ipv4Cidr.tryParse(peer.cidr ?? '');
    if (typeof c === 'string') return [];
    const except = (peer.except ?? []).map((e) => Ipv4Cidr.tryParse(e)).filter((e): e is Ipv4Cidr => typeof e !== 'string');
    return cidrsOf([c.range], except.map((e) => e.range));
  });
}

/** Every ingress rule of `n`'s security group, deduplicated, in intent order. */
export function securityGroupRules(model: IntentModel, n: ResolvedNetwork): SecurityGroupRule[] {
  const out = new Map<string, SecurityGroupRule>();
  n.network.ingress.forEach((rule, i) => {
    if (targetWorkloads(model, n, rule).length === 0 && rule.pods !== undefined) return;
    const description = `spec.networks[${n.index}].ingress[${i}] (${n.key})`;
    const kinds = [
      ...rule.ports.map((p) => ({
        protocol: p.protocol === 'UDP' ? 'udp' as const : 'tcp' as const,
        fromPort: p.port ?? 0,
        toPort: p.port === undefined ? 65535 : p.endPort ?? p.port,
      })),
      ...(rule.icmp ? [{ protocol: 'icmp' as const, fromPort: -1, toPort: -1 }] : []),
    ];
    for (const src of sources(model, n, i)) {
      for (const k of kinds) {
        const key = `${k.protocol} ${k.fromPort} ${k.toPort} ${src}`;
        if (!out.has(key)) out.set(key, { ...k, cidr: src.toString(), description });
      }
    }
  });
  return [...out.values()];
}
