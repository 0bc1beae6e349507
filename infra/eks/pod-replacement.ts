import { CustomResource, Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { POD_SPEC_ANNOTATION } from '../../lib/pod-spec';
import { ClusterFunction } from './cluster-function';
import { EKS_FUNCTIONS } from './defaults';

/** The `multinic.dev/pod-spec` values (NAMESPACE/NAME/HASH) of the bare Pods among `objects`, in order. */
export function wantedPodSpecs(objects: ReadonlyArray<Record<string, unknown>>): string[] {
  return objects.flatMap((o) => {
    if (o.kind !== 'Pod') return [];
    const v = (o.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations?.[POD_SPEC_ANNOTATION];
    return typeof v === 'string' ? [v] : [];
  });
}

export interface PodReplacementProps {
  readonly cluster: eks.Cluster;
  readonly subnets: readonly ec2.ISubnet[];
}

/**
 * Replaces changed bare Pods on EKS, as apply-manifests.sh does on kubeadm (lib/pod-spec.ts): a function
 * (infra/eks/lambda/pod-replacement.js) behind one custom resource per manifest file that holds Pods, whose `Wanted`
 * property is the file's pod-spec values. A change of any Pod changes the property, so CloudFormation sends an
 * Update before that file's `KubernetesManifest` runs (infra/eks/manifests.ts orders them): the function deletes each
 * running Pod whose value differs, waits until it is gone, and the kubectl handler's apply creates it again.
 *
 * Why a function of ours and not the kubectl handler: aws-eks-v2's handler (custom-resource-handlers/dist/aws-eks-v2/
 * kubectl-handler) runs only `kubectl apply|create|delete -f` of a given manifest, `kubectl patch` of a named object
 * and `kubectl get -o jsonpath`, and Helm; nothing there deletes an object conditionally, and deleting the Pods
 * through a replaced manifest resource would happen only in the stack's cleanup, after the apply.
 */
export class PodReplacement extends Construct {
  public readonly clusterFunction: ClusterFunction;

  constructor(scope: Construct, id: string, props: PodReplacementProps) {
    super(scope, id);
    this.clusterFunction = new ClusterFunction(this, 'Handler', {
      cluster: props.cluster,
      subnets: props.subnets,
      handler: 'pod-replacement.handler',
      description: 'multinic: deletes changed bare Pods before the manifests are applied (multinic.dev/pod-spec)',
      // Deleting waits up to 120 s for the Pods to be gone; the rest is margin for the answer.
      timeout: Duration.minutes(3),
      kubernetesGroup: EKS_FUNCTIONS.podReplacementGroup,
    });
  }

  /** The custom resource for one manifest file's Pods (its pod-spec values). */
  public forPods(id: string, wanted: readonly string[]): CustomResource {
    const r = new CustomResource(this, id, {
      serviceToken: this.clusterFunction.function.functionArn,
      resourceType: 'Custom::MultinicPodReplacement',
      properties: { Wanted: [...wanted] },
    });
    r.node.addDependency(this.clusterFunction.accessEntry);
    return r;
  }
}
