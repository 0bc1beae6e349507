/**
 * How many pods the Amazon VPC CNI can address on an EKS node whose secondary ENIs belong to Multus.
 *
 * The VPC CNI leaves ENIs tagged `node.k8s.amazonaws.com/no_manage=true` alone, but the kubelet's default max-pods
 * (nodeadm's table, `misc/eni-max-pods.txt`) counts every ENI the type can attach; the VPC CNI README warns that a
 * no_manage ENI makes that number wrong. multinic computes it from the ENIs the VPC CNI can still use and sets it
 * in the node's kubelet config, so the scheduler never places a pod the VPC CNI cannot address.
 */
import type { InstanceTypeInfo } from '../aws/instance-type-info';

/**
 * Pods on host networking that run on every EKS node multinic builds and take a max-pods slot but no VPC address:
 * aws-node and kube-proxy (the `+ 2` of the VPC CNI formula), then kube-multus-ds, and the Whereabouts DaemonSet when
 * a network uses Whereabouts.
 */
export const VPC_CNI_HOST_NETWORK_PODS = 2;

export interface VpcCniCapacity {
  /** ENIs on the default network card the VPC CNI may use: the primary plus what the intent leaves free. */
  readonly enis: number;
  /** Pod addresses: `enis × (IPv4 per ENI − 1)` (each ENI's own primary IPv4 is not for pods). */
  readonly podAddresses: number;
  /** Subnet addresses one node can take from the node subnet when every such ENI is full. */
  readonly nodeSubnetAddresses: number;
  /** The kubelet's `maxPods`: pod addresses plus the host-network DaemonSet pods. */
  readonly maxPods: number;
}

/**
 * VPC CNI capacity of a node of `type` with `secondaryEnis` Multus ENIs; `extraHostNetworkPods` are multinic's own
 * host-network DaemonSets (Multus, and Whereabouts when used). Undefined when no ENI is left for the VPC CNI.
 */
export function vpcCniCapacity(type: InstanceTypeInfo, secondaryEnis: number, extraHostNetworkPods: number): VpcCniCapacity | undefined {
  const enis = type.maxEnisDefaultCard - secondaryEnis;
  if (enis < 1) return undefined;
  const podAddresses = enis * (type.ipv4PerEni - 1);
  return { enis, podAddresses, nodeSubnetAddresses: enis * type.ipv4PerEni, maxPods: podAddresses + VPC_CNI_HOST_NETWORK_PODS + extraHostNetworkPods };
}
