/**
 * Pinned choices of the EKS flavour, in one place: the stack reads them, the tests assert the templates against them
 * and docs/eks.md quotes them.
 */
import { EKS } from '../../lib/eks/versions';

export const EKS_DEFAULTS = {
  /**
   * AWS's SSM public parameter of the recommended EKS-optimised Amazon Linux 2023 AMI (x86_64, standard) for the
   * cluster's minor. Resolved at deploy time like the kubeadm path's Ubuntu parameter: synth needs no lookup, and a
   * deployment after AWS publishes a new AMI rolls the nodes (one at a time) onto it.
   */
  amiParameter: (minor: number): string => `/aws/service/eks/optimized-ami/1.${minor}/amazon-linux-2023/x86_64/standard/recommended/image_id`,
  /** Root device of the EKS AL2023 AMIs. Root volume size and IMDS hop limit are the kubeadm path's (INFRA_DEFAULTS). */
  rootDeviceName: '/dev/xvda',
  kubernetesMinor: EKS.defaultMinor,
} as const;

/** AWS managed policies an EKS worker node role needs (EKS user guide, "Amazon EKS node IAM role"). */
export const NODE_MANAGED_POLICIES = [
  // Lets the kubelet describe the instance and the cluster; required for any EKS node.
  'AmazonEKSWorkerNodePolicy',
  // Pulls the VPC CNI, kube-proxy and CoreDNS images from EKS's ECR repositories.
  'AmazonEC2ContainerRegistryPullOnly',
  // The VPC CNI (aws-node) runs on host networking with the node's credentials and assigns pod addresses to ENIs.
  'AmazonEKS_CNI_Policy',
] as const;

/** multinic's own functions in an EKS cluster (infra/eks/cluster-function.ts): their Kubernetes groups and times. */
export const EKS_FUNCTIONS = {
  /** Kubernetes group of the Pod replacement's access entry (RBAC: list, get, delete Pods). */
  podReplacementGroup: 'multinic:pod-replacement',
  /** Kubernetes group of the node lifecycle function's access entry (RBAC: Nodes, Pods, evictions). */
  nodeLifecycleGroup: 'multinic:node-lifecycle',
  /** The function's timeout: the Lambda maximum less a minute, so a drain or a wait for Ready can take ~14 min. */
  nodeLifecycleTimeoutSeconds: 840,
  /** Heartbeat of both lifecycle hooks: longer than the function's timeout, so the function always answers first. */
  lifecycleHeartbeatSeconds: 900,
  /** How long a rolling update waits for the new node's Ready signal (sent by the node lifecycle function). */
  readySignalTimeout: 'PT20M',
} as const;
