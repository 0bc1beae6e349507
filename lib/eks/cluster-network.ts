/**
 * The cluster network of each flavour: which CNI gives every pod its eth0, the file Multus delegates to, and where
 * pod addresses come from. Read by the charts (Multus daemon config), the plan and the EKS stack, so the three cannot
 * disagree. Pure data, no CDK.
 */
import type { Cluster } from '../intent/types';
import { VERSIONS } from '../versions';

export type ClusterFlavour = Cluster['flavour'];

export interface ClusterNetwork {
  /** The primary CNI (`spec.cluster.primaryCni` of a valid intent). */
  readonly cni: 'calico' | 'aws-vpc-cni';
  /** CNI network `name` inside that file: Multus finds the cluster network by it (`clusterNetwork`). */
  readonly name: string;
  /** Name of the CNI config in /etc/cni/net.d that Multus delegates eth0 to (and waits for: readinessindicatorfile). */
  readonly conflist: string;
  /** Where a pod's cluster-network (eth0) address comes from, in words for the plan. */
  readonly podAddresses: string;
  /** What the primary ENI (device index 0) carries, in words for the plan. */
  readonly primaryEni: string;
}

/**
 * The VPC CNI's config: `10-aws.conflist`, network `aws-cni` (aws/amazon-vpc-cni-k8s misc/10-aws.conflist; the AWS
 * Multus manifests pin `multusMasterCNI: 10-aws.conflist`). aws-node writes it once ipamd is ready on the node.
 */
export const AWS_CNI = { name: 'aws-cni', conflist: '10-aws.conflist' } as const;

/** The cluster network of `flavour`; `podCidr` is the intent's (used by Calico only). */
export function clusterNetwork(flavour: ClusterFlavour, podCidr: string): ClusterNetwork {
  if (flavour === 'eks') {
    return {
      cni: 'aws-vpc-cni',
      name: AWS_CNI.name,
      conflist: AWS_CNI.conflist,
      podAddresses: 'VPC addresses from the node subnet: secondary IPv4s of the primary ENI and of ENIs the VPC CNI attaches itself (spec.cluster.podCidr is unused)',
      primaryEni: 'node address, and the VPC CNI\'s pool of secondary IPv4s for pods on the cluster network',
    };
  }
  return {
    cni: 'calico',
    name: VERSIONS.calico.cniNetworkName,
    conflist: VERSIONS.calico.cniConfigFile,
    podAddresses: `${podCidr} (Calico IP-in-IP overlay; the VPC never sees pod addresses)`,
    primaryEni: 'node address; Calico encapsulates pod traffic between nodes',
  };
}
