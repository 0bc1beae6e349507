/**
 * The nodeadm `NodeConfig` of an EKS node (the `application/node.eks.aws` part of its user data): how it finds the
 * cluster, and the kubelet settings multinic needs. Rendered as YAML; values may be CDK tokens (cluster endpoint,
 * CA), which CloudFormation fills in.
 *
 * @see https://awslabs.github.io/amazon-eks-ami/nodeadm/doc/api/
 */
import { stringify } from 'yaml';
import { NETWORKS_NOT_READY_TAINT } from '../../lib/readiness';

export const NODE_CONFIG_API_VERSION = 'node.eks.aws/v1alpha1';
export const NODE_CONFIG_CONTENT_TYPE = 'application/node.eks.aws';

export interface EksNodeConfigProps {
  readonly clusterName: string;
  readonly apiServerEndpoint: string;
  /** Base64 CA bundle of the cluster. */
  readonly certificateAuthority: string;
  /** The service CIDR (nodeadm derives the cluster DNS address from it). */
  readonly serviceCidr: string;
  /** The kubelet's maxPods: what the VPC CNI can address with the ENIs the Multus ENIs leave free. */
  readonly maxPods: number;
  /** `key=value` node labels. */
  readonly labels: readonly string[];
}

/** The NodeConfig as an object (what the YAML part holds). */
export function eksNodeConfig(props: EksNodeConfigProps): Record<string, unknown> {
  return {
    apiVersion: NODE_CONFIG_API_VERSION,
    kind: 'NodeConfig',
    spec: {
      cluster: {
        name: props.clusterName,
        apiServerEndpoint: props.apiServerEndpoint,
        certificateAuthority: props.certificateAuthority,
        cidr: props.serviceCidr,
      },
      kubelet: {
        config: {
          maxPods: props.maxPods,
          // lib/readiness.ts: no pod lands here before the ENIs and Multus are ready on the node.
          registerWithTaints: [{ ...NETWORKS_NOT_READY_TAINT }],
        },
        flags: [`--node-labels=${props.labels.join(',')}`],
      },
    },
  };
}

/** The NodeConfig as YAML. */
export function renderEksNodeConfig(props: EksNodeConfigProps): string {
  return stringify(eksNodeConfig(props), { lineWidth: 0 });
}
