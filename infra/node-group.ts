import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { rollingSurge } from '../lib/model/rolling-surge';
import { INFRA_DEFAULTS } from './defaults';
import { NodeGroupBase, type NodeGroupCommonProps } from './node-group-base';

export type { LaunchTemplateNetworkInterface } from './node-group-base';

export interface NodeGroupProps extends NodeGroupCommonProps {
  /** AMI of the nodes: the stack's `NodeAmiId` parameter, pinned per deployment (docs/deploy.md, "AMI"). */
  readonly imageId: string;
}

/** Name of the termination lifecycle hook of every worker group; the control plane's drain loop completes it. */
export const DRAIN_HOOK_NAME = 'multinic-drain';

/** Auto Scaling processes suspended during a rolling update that waits on signals, as AWS recommends. */
export const ROLLING_SUSPENDED_PROCESSES = ['HealthCheck', 'ReplaceUnhealthy', 'AZRebalance', 'AlarmNotification', 'ScheduledActions'];

/**
 * A node group of a kubeadm cluster: the role, launch template (secondary ENIs attached at launch) and Auto Scaling
 * groups of {@link NodeGroupBase} on the pinned Ubuntu AMI, plus what kubeadm needs: every node signals Ready (or
 * its failing step) to CloudFormation, and workers roll one at a time, new node first, drained through a lifecycle
 * hook. Node count is the group's capacity, so the number of CloudFormation resources does not depend on it.
 */
export class NodeGroup extends NodeGroupBase {
  constructor(scope: Construct, id: string, props: NodeGroupProps) {
    const { intent, group, network } = props;
    const imageId = props.imageId;
    const isWorker = group.role === 'worker';
    super(scope, id, {
      ...props,
      // Pinned: a CloudFormation parameter keeps its value across deployments until changed on purpose, unlike an
      // SSM-parameter AMI, which is resolved again on every deployment and so replaces every node at once.
      machineImage: { getImage: () => ({ imageId, osType: ec2.OperatingSystemType.LINUX, userData: props.userData }) },
      rootDeviceName: INFRA_DEFAULTS.rootDeviceName,
      primaryGroups: [network.clusterSecurityGroup.attrGroupId],
      primaryRole: 'cluster network',
      roleDescription: `multinic ${intent.metadata.name}: nodes of group ${group.name}`,
      // One more than the count for workers: a rolling update launches the new node before the old one goes.
      surge: rollingSurge(group),
    });
    const pinned = group.interfaces.length > 0;
    for (const [key, asg] of this.autoScalingGroups) {
      // Every node signals once it is Ready (boot.sh), or FAILURE with its failing step: creation waits for all of them.
      asg.cfnOptions.creationPolicy = {
        resourceSignal: { count: group.count, timeout: INFRA_DEFAULTS.signalTimeout },
        autoScalingCreationPolicy: { minSuccessfulInstancesPercent: 100 },
      };
      if (!isWorker) continue;
      // A changed launch template replaces the workers one at a time, new node first (MinInstancesInService = count,
      // MaxSize = count + 1): each new node must signal Ready before an old one is drained (lifecycle hook, drained
      // by the control plane's drain loop) and terminated. The control plane is never rolled (docs/deploy.md).
      asg.cfnOptions.updatePolicy = {
        autoScalingRollingUpdate: {
          maxBatchSize: 1,
          minInstancesInService: group.count,
          pauseTime: INFRA_DEFAULTS.signalTimeout,
          waitOnResourceSignals: true,
          suspendProcesses: [...ROLLING_SUSPENDED_PROCESSES],
        },
      };
      new autoscaling.CfnLifecycleHook(this, pinned ? `DrainHook${key.toUpperCase()}` : 'DrainHook', {
        autoScalingGroupName: asg.ref,
        lifecycleHookName: DRAIN_HOOK_NAME,
        lifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        heartbeatTimeout: INFRA_DEFAULTS.drainHeartbeatSeconds,
        defaultResult: 'CONTINUE',
      });
    }
  }
}
