/**
 * VPC CNI capacity of each worker group of an eks intent, from the instance-type catalogue: what the plan shows, what
 * multinic:EksPodCapacity checks and the max-pods the EKS stack writes into each node's kubelet config.
 */
import { Catalogue } from '../aws/instance-types';
import type { NetworkIntent, NodeGroup } from '../intent/types';
import { vpcCniCapacity, type VpcCniCapacity } from './vpc-cni';

/** Host-network DaemonSets multinic itself runs on every node: Multus, and Whereabouts when a network uses it. */
export function multinicHostNetworkPods(intent: NetworkIntent): number {
  return 1 + (intent.spec.networks.some((n) => n.ipam.type === 'whereabouts') ? 1 : 0);
}

/** The VPC CNI capacity of a node of `group`; undefined for an unknown type or one with no ENI left for pods. */
export function groupCapacity(intent: NetworkIntent, group: NodeGroup, catalogue: Catalogue = Catalogue.snapshot()): VpcCniCapacity | undefined {
  const type = catalogue.get(group.instanceType);
  return type ? vpcCniCapacity(type, group.interfaces.length, multinicHostNetworkPods(intent)) : undefined;
}

/** Replicas of CoreDNS the EKS add-on runs on the cluster network. */
export const EKS_COREDNS_REPLICAS = 2;
