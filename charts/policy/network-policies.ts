import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { MultiNetworkPolicy, MultiNetworkPolicySpecIngressPortsPort } from '../../imports/k8s.cni.cncf.io';
import type { IntentModel } from '../../lib/model/model';
import { policyDaemonImage } from '../../lib/policy/daemon-image';
import { icmpRuleLines, multiNetworkPolicies, POLICY_FOR_ANNOTATION, policedPlugins } from '../../lib/policy/multi-network-policies';
import { MultiNetworkPolicyDaemon } from './multi-networkpolicy-daemon';

/** Props of {@link NetworkPolicies}. */
export interface NetworkPoliciesProps {
  readonly model: IntentModel;
  /** Image of the daemon. @default - spec.policy.daemonImage, else VERSIONS.multiNetworkPolicy.image */
  readonly image?: string;
}

/**
 * Every secondary network closed by default, inside the cluster: the MultiNetworkPolicy objects of the intent
 * (lib/policy: a deny-all per network and namespace, an allow policy per rule with ports) and the
 * multi-networkpolicy-iptables daemon that enforces them, with the intent's ICMP rules. Nothing when the intent has
 * no network.
 */
export class NetworkPolicies extends Construct {
  /** The daemon; undefined when the intent has no network. */
  public readonly daemon?: MultiNetworkPolicyDaemon;
  /** The policies, in lib/policy's order. */
  public readonly policies: readonly MultiNetworkPolicy[];

  constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id);
    const { model } = props;
    if (model.networks.length > 0) {
      this.daemon = new MultiNetworkPolicyDaemon(this, 'Daemon', {
        networkPlugins: policedPlugins(model), customIngressRules: icmpRuleLines(model), image: props.image ?? policyDaemonImage(model.intent),
      });
    }
    this.policies = multiNetworkPolicies(model).map((p) => new MultiNetworkPolicy(this, `${p.namespace}-${p.name}`, {
      metadata: {
        name: p.name,
        namespace: p.namespace,
        annotations: { [POLICY_FOR_ANNOTATION]: p.network, 'multinic.dev/source': p.source },
      },
      spec: {
        podSelector: Object.keys(p.podSelector).length ? { matchLabels: { ...p.podSelector } } : {},
        policyTypes: ['Ingress'],
        ingress: p.ingress.map((rule) => ({
          from: rule.from.map((peer) => ({
            ...(peer.podSelector ? { podSelector: { matchLabels: { ...peer.podSelector.matchLabels } } } : {}),
            ...(peer.namespaceSelector ? { namespaceSelector: { matchLabels: { ...peer.namespaceSelector.matchLabels } } } : {}),
            ...(peer.ipBlock ? { ipBlock: { cidr: peer.ipBlock.cidr, ...(peer.ipBlock.except ? { except: [...peer.ipBlock.except] } : {}) } } : {}),
          })),
          ports: rule.ports.map((port) => ({
            protocol: port.protocol,
            ...(port.port !== undefined ? { port: MultiNetworkPolicySpecIngressPortsPort.fromNumber(port.port) } : {}),
            ...(port.endPort !== undefined ? { endPort: port.endPort } : {}),
          })),
        })),
      },
    }));
  }

  /** The L1 objects of the policies (escape hatches). */
  public get apiObjects(): ApiObject[] {
    return this.policies.map((p) => ApiObject.of(p));
  }
}
