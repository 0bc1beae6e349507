import { PRIVATE_ECR_HOST } from '../policy/daemon-image';
import { finding, type Rule } from './types';

export const policyDaemonRegistryRule: Rule = {
  id: 'multinic:PolicyDaemonRegistry',
  level: 'error',
  summary: 'spec.policy.daemonImage is in a private Amazon ECR repository, which the kubelet of a kubeadm node cannot pull from.',
  why: 'Since Kubernetes 1.27 the kubelet has no built-in ECR credentials; it needs the ecr-credential-provider plugin and ECR permissions in the node role, which multinic\'s kubeadm nodes do not have (EKS nodes do: the node role carries AmazonEC2ContainerRegistryPullOnly and AL2023 configures the provider). The daemon pods would stay in ImagePullBackOff and the in-cluster rules would not be enforced.',
  fix: 'Publish the image to a registry the nodes can pull from without credentials (an ECR Public repository, public.ecr.aws/<alias>/multi-networkpolicy-iptables), or use spec.cluster.flavour: eks.',
  flavours: ['kubeadm'],
  check(intent) {
    const image = intent.spec.policy?.daemonImage;
    if (image === undefined || !PRIVATE_ECR_HOST.test(image)) return [];
    return [finding(this, ['spec', 'policy', 'daemonImage'], `${image} is in a private ECR repository; the kubelet of a kubeadm node has no ECR credentials to pull it`)];
  },
};
