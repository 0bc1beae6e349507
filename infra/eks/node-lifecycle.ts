import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DRAIN_HOOK_NAME } from '../node-group';
import { ClusterFunction } from './cluster-function';
import { EKS_FUNCTIONS } from './defaults';

/** Name of the launch lifecycle hook of every EKS worker group; the node lifecycle function completes it at Ready. */
export const READY_HOOK_NAME = 'multinic-ready';

/** EventBridge detail types of Auto Scaling lifecycle actions (Auto Scaling user guide, "EventBridge events"). */
export const LIFECYCLE_DETAIL_TYPES = ['EC2 Instance-launch Lifecycle Action', 'EC2 Instance-terminate Lifecycle Action'] as const;

export interface NodeLifecycleProps {
  readonly cluster: eks.Cluster;
  readonly subnets: readonly ec2.ISubnet[];
  /** The workers' Auto Scaling groups: each gets both hooks. */
  readonly autoScalingGroups: readonly autoscaling.CfnAutoScalingGroup[];
}

/**
 * What kubeadm's control plane does for a node that comes or goes (a Ready signal, infra/bootstrap/drain.sh), for
 * EKS, where no instance of ours runs the control plane: two lifecycle hooks on every worker Auto Scaling group
 * (`multinic-ready` at launch, `multinic-drain` at termination, the kubeadm hook's name), one EventBridge rule for
 * their actions, and one function (infra/eks/lambda/node-lifecycle.js) that waits for a new node's Ready and
 * signals it to CloudFormation, or drains a leaving node with the Eviction API and deletes its Node, then completes
 * the action. Its IAM role may complete lifecycle actions of these groups and signal this stack only; in the
 * cluster it is the `multinic:node-lifecycle` group (infra/eks/function-rbac.ts).
 *
 * Each hook carries `{stack, resource}` of its group as notification metadata, which the event passes on, so the
 * function knows which CloudFormation resource to signal without describing anything.
 */
export class NodeLifecycle extends Construct {
  public readonly clusterFunction: ClusterFunction;
  public readonly rule: events.Rule;
  public readonly hooks: readonly autoscaling.CfnLifecycleHook[];

  constructor(scope: Construct, id: string, props: NodeLifecycleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.clusterFunction = new ClusterFunction(this, 'Handler', {
      cluster: props.cluster,
      subnets: props.subnets,
      handler: 'node-lifecycle.handler',
      description: 'multinic: waits for a new EKS node to be Ready, drains a leaving one (PodDisruptionBudgets honoured)',
      timeout: Duration.seconds(EKS_FUNCTIONS.nodeLifecycleTimeoutSeconds),
      kubernetesGroup: EKS_FUNCTIONS.nodeLifecycleGroup,
    });
    const fn = this.clusterFunction.function;
    const groupArn = (asg: autoscaling.CfnAutoScalingGroup) => `arn:${Aws.PARTITION}:autoscaling:${Aws.REGION}:${Aws.ACCOUNT_ID}:autoScalingGroup:*:autoScalingGroupName/${asg.ref}`;
    const policy = new iam.Policy(this, 'Policy', {
      roles: [fn.role!],
      statements: [
        new iam.PolicyStatement({ sid: 'CompleteLifecycleActions', actions: ['autoscaling:CompleteLifecycleAction'], resources: props.autoScalingGroups.map(groupArn) }),
        new iam.PolicyStatement({ sid: 'SignalReady', actions: ['cloudformation:SignalResource'], resources: [`arn:${Aws.PARTITION}:cloudformation:${Aws.REGION}:${Aws.ACCOUNT_ID}:stack/${Aws.STACK_NAME}/*`] }),
      ],
    });
    for (const asg of props.autoScalingGroups) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/<${stack.getLogicalId(asg)}>]`,
        reason: 'An Auto Scaling group ARN holds a generated UUID before its name; the name is one of this stack\'s worker groups, and the one action completes its lifecycle hooks.',
      });
    }
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudformation:<AWS::Region>:<AWS::AccountId>:stack/<AWS::StackName>/*]',
      reason: 'A stack ARN ends in its generated id; the statement names this stack only, and SignalResource is the Ready signal of a new node during a rolling update.',
    });

    this.rule = new events.Rule(this, 'Rule', {
      description: 'multinic: lifecycle actions of the worker groups (ready and drain hooks)',
      eventPattern: {
        source: ['aws.autoscaling'],
        detailType: [...LIFECYCLE_DETAIL_TYPES],
        detail: { AutoScalingGroupName: props.autoScalingGroups.map((a) => a.ref), LifecycleHookName: [READY_HOOK_NAME, DRAIN_HOOK_NAME] },
      },
      // A failed run is retried by Lambda twice; the hook's heartbeat then decides (launch: ABANDON, terminate: CONTINUE).
      targets: [new targets.LambdaFunction(fn, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });

    const hooks: autoscaling.CfnLifecycleHook[] = [];
    for (const asg of props.autoScalingGroups) {
      const suffix = asg.node.id.replace(/^AutoScalingGroup/, '');
      const scope = asg.node.scope as Construct;
      const metadata = stack.toJsonString({ stack: Aws.STACK_NAME, resource: asg.logicalId });
      for (const [hookId, name, transition, defaultResult] of [
        [`ReadyHook${suffix}`, READY_HOOK_NAME, 'autoscaling:EC2_INSTANCE_LAUNCHING', 'ABANDON'],
        [`DrainHook${suffix}`, DRAIN_HOOK_NAME, 'autoscaling:EC2_INSTANCE_TERMINATING', 'CONTINUE'],
      ] as const) {
        const hook = new autoscaling.CfnLifecycleHook(scope, hookId, {
          autoScalingGroupName: asg.ref,
          lifecycleHookName: name,
          lifecycleTransition: transition,
          heartbeatTimeout: EKS_FUNCTIONS.lifecycleHeartbeatSeconds,
          defaultResult,
          notificationMetadata: metadata,
        });
        // No action before the function, its rule and its cluster access exist.
        hook.node.addDependency(this.rule, this.clusterFunction);
        hooks.push(hook);
      }
    }
    this.hooks = hooks;
  }
}
