import { Chart, type ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import type { IntentModel } from '../../lib/model/model';
import { NetworkAttachment } from './network-attachment';

/** Namespaces Kubernetes creates itself: never emitted. */
const BUILTIN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

export interface NetworksChartProps extends ChartProps {
  readonly model: IntentModel;
}

/** Every namespace the intent uses, and one NetworkAttachmentDefinition per intent network. */
export class NetworksChart extends Chart {
  /** NADs by `namespace/name`. */
  public readonly attachments: ReadonlyMap<string, NetworkAttachment>;

  constructor(scope: Construct, id: string, props: NetworksChartProps) {
    super(scope, id, props);
    for (const ns of props.model.namespaces) {
      if (!BUILTIN_NAMESPACES.has(ns)) new kplus.Namespace(this, `Namespace-${ns}`, { metadata: { name: ns } });
    }
    const attachments = new Map<string, NetworkAttachment>();
    for (const n of props.model.networks) {
      attachments.set(n.key, new NetworkAttachment(this, `${n.network.namespace}-${n.network.name}`, { network: n.network }));
    }
    this.attachments = attachments;
  }
}
