/**
 * The cluster network of each flavour: which CNI gives every pod its eth0, the file Multus delegates to, and where
 * pod addresses come from. Read by the charts (Multus daemon config), the plan and the EKS stack, so the three cannot
 * disagree. Pure data, no CDK.
 */
import type { Cluster } from '../intent/types';

export type ClusterFlavour = Cluster['flavour'];

export interface ClusterNetwork {
  /** The primary CNI (`spec.cluster.primaryCni` of a valid intent). */
  readonly cni: 'calico' | 'aws-vpc-cni';
  /** Name of the CNI config in /etc/cni/net.d that Multus delegates eth0 to. */
  readonly conflist: string;
  /**
   * Multus `multusMasterCNI` and `readinessindicatorfile`, when the flavour pins them. Calico on kubeadm keeps
   * upstream's `auto` (the only config file on the node); on EKS the VPC CNI writes `10-aws.conflist` late in node
   * start-up, so Multus is told which file is the cluster network and waits for it (multus-cni #1312).
   */
  readonly multus?: { readonly masterCni: string; readonly readinessIndicatorFile: string };
  /** Where a pod's cluster-network (eth0) address comes from, in words for the plan. */
  readonly podAddresses: string;
  /** What the primary ENI (device index 0) carries, in words for the plan. */
  readonly primaryEni: string;
}

/** `10-aws.conflist`: the VPC CNI's config file (aws/amazon-vpc-cni-k8s, config/multus/README.md). */
export const AWS_CNI_CONFLIST = '10-aws.conflist';

/** `10-calico.conflist`: the config file Calico's manifest install writes. */
export const CALICO_CONFLIST = '10-calico.conflist';

/** The cluster network of `flavour`; `podCidr` is the intent's (used by Calico only). */
export function clusterNetwork(flavour: ClusterFlavour, podCidr: string): ClusterNetwork {
  if (flavour === 'eks') {
    return {
      cni: 'aws-vpc-cni',
      conflist: AWS_CNI_CONFLIST,
      // Inside the Multus daemon pod the host's /etc/cni/net.d is mounted at /host/etc/cni/net.d.
      multus: { masterCni: AWS_CNI_CONFLIST, readinessIndicatorFile: `/host/etc/cni/net.d/${AWS_CNI_CONFLIST}` },
      podAddresses: 'VPC addresses from the node subnet: secondary IPv4s of the primary ENI and of ENIs the VPC CNI attaches itself (spec.cluster.podCidr is unused)',
      primaryEni: 'node address, and the VPC CNI\'s pool of secondary IPv4s for pods on the cluster network',
    };
  }
  return {
    cni: 'calico',
    conflist: CALICO_CONFLIST,
    podAddresses: `${podCidr} (Calico IP-in-IP overlay; the VPC never sees pod addresses)`,
    primaryEni: 'node address; Calico encapsulates pod traffic between nodes',
  };
}
