import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { NetworkAttachmentDefinition } from '../../imports/k8s.cni.cncf.io';
import type { Network } from '../../lib/intent/types';
import { hasPerNodeConfig, nadConfigJson } from '../../lib/model/network-cni';

export interface NetworkAttachmentProps {
  /** The intent network this NetworkAttachmentDefinition renders. */
  readonly network: Network;
  /**
   * Its `spec.config`, as the model rendered it (`ResolvedNetwork.nadConfig`).
   * @default - rendered from `network` by lib/cni; none for a per-node (eni-prefix) network
   */
  readonly config?: string;
}

/**
 * One NetworkAttachmentDefinition, its `spec.config` built by the typed CNI builders (`lib/cni`). Workloads and
 * Services refer to it by object (`reference`), never by a retyped name.
 *
 * A network with `eni-prefix` IPAM gets a NAD without `spec.config`: its config differs per node (each node's ENI
 * has its own /28 prefixes), so Multus (v4.2.1+) reads the file in `/etc/cni/multus/net.d/` whose `name` is the
 * NAD's name, which the node's ENI script writes (docs/aws-routing.md).
 */
export class NetworkAttachment extends Construct {
  /** The L1 object. */
  public readonly resource: NetworkAttachmentDefinition;
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: NetworkAttachmentProps) {
    super(scope, id);
    this.name = props.network.name;
    this.namespace = props.network.namespace;
    this.resource = new NetworkAttachmentDefinition(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      ...(hasPerNodeConfig(props.network) ? {} : { spec: { config: props.config ?? nadConfigJson(props.network) } }),
    });
  }

  /** `namespace/name`, the form Multus resolves without ambiguity. */
  public get key(): string {
    return `${this.namespace}/${this.name}`;
  }

  /** The L1 ApiObject (for escape hatches). */
  public get apiObject(): ApiObject {
    return ApiObject.of(this.resource);
  }
}
