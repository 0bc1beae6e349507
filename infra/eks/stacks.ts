import type { Construct } from 'constructs';
import type { MultinicStacksProps } from '../stacks';
import { NetworkStack } from '../network-stack';
import { pascal } from '../private/plan';
import { EksClusterStack } from './eks-cluster-stack';

export interface EksStacksProps extends Omit<MultinicStacksProps, 'calicoManifestSha256'> {
  /** IAM principal given cluster-admin. @default - context `multinic:eksAdminPrincipalArn` */
  readonly adminPrincipalArn?: string;
}

/**
 * The stacks of a flavour eks intent: the same network stack as the kubeadm flavour (`multinic-<name>-network`) and
 * the EKS cluster stack in place of the kubeadm one (`multinic-<name>-cluster`).
 */
export function addEksStacks(scope: Construct, props: EksStacksProps): { network: NetworkStack; cluster: EksClusterStack } {
  const name = props.intent.metadata.name;
  const id = `Multinic${pascal(name)}`;
  const network = new NetworkStack(scope, `${id}Network`, {
    intent: props.intent,
    model: props.model,
    env: props.env,
    stackName: `multinic-${name}-network`,
    description: `multinic ${name}: VPC, node and secondary subnets, security groups`,
  });
  const cluster = new EksClusterStack(scope, `${id}Cluster`, {
    intent: props.intent,
    network,
    manifestsDir: props.manifestsDir,
    nodeFiles: props.nodeFiles,
    eniScript: props.eniScript,
    adminPrincipalArn: props.adminPrincipalArn,
    env: props.env,
    stackName: `multinic-${name}-cluster`,
    description: `multinic ${name}: Amazon EKS cluster (private endpoint) and node groups with secondary ENIs`,
  });
  return { network, cluster };
}
