import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { NetworkIntent } from '../lib/intent/types';
import { buildModel, type IntentModel } from '../lib/model/model';
import { ClusterStack, type NodeFilesFn } from './cluster-stack';
import { addEksStacks } from './eks/stacks';
import { NetworkStack } from './network-stack';
import { pascal } from './private/plan';

export interface MultinicStacksProps {
  readonly intent: NetworkIntent;
  /** The resolved model of `intent` (`loadValidIntent`). @default - built from `intent` */
  readonly model?: IntentModel;
  /** Directory of `*.k8s.yaml` manifests the control plane applies. */
  readonly manifestsDir: string;
  /** @default - `nodeFiles` of lib/node */
  readonly nodeFiles?: NodeFilesFn;
  /** @default - `infra/node/multinic-eni.sh` */
  readonly eniScript?: string;
  /** Environment of both stacks. @default - environment-agnostic (account and region from the CLI at deploy) */
  readonly env?: StackProps['env'];
}

/** Both stacks of a cluster, named after the intent: `multinic-<name>-network` and `multinic-<name>-cluster`. */
export function addMultinicStacks(scope: Construct, props: MultinicStacksProps): { network: NetworkStack; cluster: ClusterStack } {
  const name = props.intent.metadata.name;
  const id = `Multinic${pascal(name)}`;
  const model = props.model ?? buildModel(props.intent);
  const network = new NetworkStack(scope, `${id}Network`, {
    intent: props.intent,
    model,
    env: props.env,
    stackName: `multinic-${name}-network`,
    description: `multinic ${name}: VPC, node and secondary subnets, security groups`,
  });
  const cluster = new ClusterStack(scope, `${id}Cluster`, {
    intent: props.intent,
    model,
    network,
    manifestsDir: props.manifestsDir,
    nodeFiles: props.nodeFiles,
    eniScript: props.eniScript,
    env: props.env,
    stackName: `multinic-${name}-cluster`,
    description: `multinic ${name}: kubeadm control plane and node groups with secondary ENIs`,
  });
  return { network, cluster };
}

/** The stacks of `props.intent`'s flavour: `addMultinicStacks` (kubeadm) or `addEksStacks` (eks, infra/eks). */
export function addStacksForIntent(scope: Construct, props: MultinicStacksProps): void {
  if (props.intent.spec.cluster.flavour === 'eks') addEksStacks(scope, props);
  else addMultinicStacks(scope, props);
}
