import { Chart, type ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { uniqueIds } from '../../lib/model/construct-id';
import type { IntentModel } from '../../lib/model/model';
import { NetworkPolicies } from '../policy/network-policies';
import { NetworkAttachment } from './network-attachment';

/** Namespaces Kubernetes creates itself: never emitted. */
const BUILTIN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

export interface NetworksChartProps extends ChartProps {
  readonly model: IntentModel;
}

/**
 * Every namespace the intent uses, one NetworkAttachmentDefinition per intent network, and the MultiNetworkPolicy
 * objects with their daemon (secondary networks closed by default). In one file, so that every apply order that
 * applies the NADs before the workloads also applies the policies before them.
 */
export class NetworksChart extends Chart {
  /** NADs by `namespace/name`. */
  public readonly attachments: ReadonlyMap<string, NetworkAttachment>;
  /** MultiNetworkPolicy objects and the daemon. */
  public readonly policies: NetworkPolicies;

  constructor(scope: Construct, id: string, props: NetworksChartProps) {
    super(scope, id, props);
    for (const ns of props.model.namespaces) {
      if (!BUILTIN_NAMESPACES.has(ns)) new kplus.Namespace(this, `Namespace-${ns}`, { metadata: { name: ns } });
    }
    const attachments = new Map<string, NetworkAttachment>();
    // `a-b/c` and `a/b-c` would both be `a-b-c`: the later one takes `namespace.name` ("." is not in DNS labels).
    const ids = uniqueIds(props.model.networks, (n) => `${n.network.namespace}-${n.network.name}`, (n) => `${n.network.namespace}.${n.network.name}`);
    props.model.networks.forEach((n, i) => {
      attachments.set(n.key, new NetworkAttachment(this, ids[i], { network: n.network, config: n.nadConfig }));
    });
    this.attachments = attachments;
    this.policies = new NetworkPolicies(this, 'Policies', { model: props.model });
  }
}
