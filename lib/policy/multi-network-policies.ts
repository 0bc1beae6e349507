/**
 * The MultiNetworkPolicy objects and daemon settings a model needs, as plain data (the chart renders them). Per
 * network, in every namespace that has pods attached to it: one policy that selects every pod and admits nothing
 * (closed by default), and one policy per rule with ports that admits its peers on its ports. MultiNetworkPolicy
 * ports cannot express ICMP, so a rule's `icmp` becomes a line of the daemon's custom ingress rules that accepts
 * ICMP from the peers' addresses to the network's pod addresses (`icmpRuleLines`).
 *
 * Selectors always carry both podSelector and namespaceSelector: multi-networkpolicy-iptables matches a
 * podSelector alone against pods of every namespace, unlike Kubernetes NetworkPolicy.
 */
import type { IntentModel, ResolvedNetwork } from '../model/model';
import { cidrsOf } from '../net/cidr-set';
import { Ipv4Cidr } from '../net/ipv4';
import { podAddresses } from './addresses';
import { peerNamespace, peerWorkloads, protectedNamespaces } from './peers';

/** Annotation naming the networks (`namespace/name`, comma separated) a MultiNetworkPolicy applies to. */
export const POLICY_FOR_ANNOTATION = 'k8s.v1.cni.cncf.io/policy-for';
/** The label every namespace carries with its own name (Kubernetes 1.22+): a namespaceSelector on one namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface PolicyPeerObject {
  readonly podSelector?: { readonly matchLabels: Readonly<Record<string, string>> };
  readonly namespaceSelector?: { readonly matchLabels: Readonly<Record<string, string>> };
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

export interface PolicyPortObject {
  readonly protocol: 'TCP' | 'UDP';
  readonly port?: number;
  readonly endPort?: number;
}

/** One MultiNetworkPolicy (k8s.cni.cncf.io/v1beta1), ingress only. */
export interface MultiNetworkPolicyObject {
  readonly name: string;
  readonly namespace: string;
  /** `namespace/name` of the network (the policy-for annotation). */
  readonly network: string;
  readonly podSelector: Readonly<Record<string, string>>;
  /** Empty: admits nothing (the default deny). */
  readonly ingress: ReadonlyArray<{ readonly from: readonly PolicyPeerObject[]; readonly ports: readonly PolicyPortObject[] }>;
  /** Where in the intent it comes from. */
  readonly source: string;
}

/** `multinic-<network namespace>-<network name>[-<rule>]`: unique per network and rule, at most 141 characters. */
export function policyName(n: ResolvedNetwork, rule?: number): string {
  return `multinic-${n.network.namespace}-${n.network.name}${rule === undefined ? '' : `-${rule}`}`;
}

function peerObject(n: ResolvedNetwork, peer: ResolvedNetwork['network']['ingress'][number]['from'][number]): PolicyPeerObject {
  if (peer.pods !== undefined) {
    return { podSelector: { matchLabels: { ...peer.pods } }, namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peerNamespace(peer, n) } } };
  }
  return { ipBlock: { cidr: peer.cidr as string, ...(peer.except?.length ? { except: [...peer.except] } : {}) } };
}

/** Every MultiNetworkPolicy of the model, by network (intent order), then namespace, then rule. */
export function multiNetworkPolicies(model: IntentModel): MultiNetworkPolicyObject[] {
  return model.networks.flatMap((n) => protectedNamespaces(model, n).flatMap((namespace): MultiNetworkPolicyObject[] => [
    { name: policyName(n), namespace, network: n.key, podSelector: {}, ingress: [], source: `spec.networks[${n.index}]` },
    ...n.network.ingress.flatMap((rule, i): MultiNetworkPolicyObject[] => (rule.ports.length === 0 ? [] : [{
      name: policyName(n, i), namespace, network: n.key, podSelector: { ...(rule.pods ?? {}) },
      ingress: [{
        from: rule.from.map((p) => peerObject(n, p)),
        ports: rule.ports.map((p) => ({ protocol: p.protocol, ...(p.port !== undefined ? { port: p.port } : {}), ...(p.endPort !== undefined && p.port !== undefined ? { endPort: p.endPort } : {}) })),
      }],
      source: `spec.networks[${n.index}].ingress[${i}]`,
    }])),
  ]));
}

/**
 * The daemon's custom IPv4 ingress rules (`--custom-v4-ingress-rule-file`): per network, ICMP from the sources of
 * every rule with `icmp: true` to the network's pod addresses. A pod peer's source is the network's pod
 * addresses (label precision is not available to a custom rule); a pod peer that selects no workload adds none.
 */
export function icmpRuleLines(model: IntentModel): string[] {
  const lines: string[] = [];
  for (const n of model.networks) {
    const own = podAddresses(model, n);
    if (!own) continue;
    const sources = new Map<string, Ipv4Cidr>();
    for (const rule of n.network.ingress.filter((r) => r.icmp)) {
      for (const peer of rule.from) {
        let blocks: Ipv4Cidr[] = [];
        if (peer.pods !== undefined) blocks = peerWorkloads(model, n, peer).length ? own : [];
        else {
          const c = Ipv4Cidr.tryParse(peer.cidr ?? '');
          const except = (peer.except ?? []).map((e) => Ipv4Cidr.tryParse(e)).filter((e): e is Ipv4Cidr => typeof e !== 'string');
          if (typeof c !== 'string') blocks = cidrsOf([c.range], except.map((e) => e.range));
        }
        for (const b of blocks) sources.set(b.toString(), b);
      }
    }
    if (sources.size === 0) continue;
    lines.push(`# ${n.key}`);
    for (const src of sources.keys()) for (const dst of own) lines.push(`-s ${src} -d ${dst} -p icmp -j ACCEPT`);
  }
  return lines;
}

/** CNI plugin types of the model's networks, sorted: the daemon's `--network-plugins` (its default is macvlan only). */
export function policedPlugins(model: IntentModel): string[] {
  return [...new Set(model.networks.map((n) => n.network.type))].sort();
}
