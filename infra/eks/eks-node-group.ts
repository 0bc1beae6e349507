import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';
import { rollingSurge } from '../../lib/model/rolling-surge';
import { ROLLING_SUSPENDED_PROCESSES } from '../node-group';
import { NodeGroupBase, type NodeGroupCommonProps } from '../node-group-base';
import { EKS_DEFAULTS, EKS_FUNCTIONS, NODE_MANAGED_POLICIES } from './defaults';

export interface EksNodeGroupProps extends NodeGroupCommonProps {
  readonly cluster: eks.ICluster;
  /** The cluster's minor, for the AMI parameter. */
  readonly kubernetesMinor: number;
}

/**
 * A worker group of an EKS cluster: the role, launch template and Auto Scaling groups of {@link NodeGroupBase} (the
 * intent's secondary ENIs attached at launch, each in its own subnet, with its prefixes and the no_manage tag) on the
 * EKS-optimised AL2023 AMI, plus what EKS needs: the three node policies, an `EC2_LINUX` access entry for the role
 * (not the aws-auth ConfigMap) that every node waits for, the cluster security group on the primary ENI, and the
 * `kubernetes.io/cluster/<name>` tag.
 *
 * Why not an EKS managed node group: a managed node group's launch template must not name a subnet in any network
 * interface (EKS user guide, "Customize managed nodes with launch templates", the table of settings prohibited in a
 * launch template; EKS API LaunchTemplateSpecification: "can't include SubnetId"), so EC2 would put every ENI in the
 * node's own subnet, while the intent's secondary ENIs live in subnets of their own. docs/eks.md ("Why not EKS
 * managed node groups") has the sources and the trade-off.
 */
export class EksNodeGroup extends NodeGroupBase {
  public readonly accessEntry: eks.AccessEntry;

  constructor(scope: Construct, id: string, props: EksNodeGroupProps) {
    const { intent, group, network, cluster } = props;
    super(scope, id, {
      ...props,
      machineImage: ec2.MachineImage.fromSsmParameter(EKS_DEFAULTS.amiParameter(props.kubernetesMinor), { os: ec2.OperatingSystemType.LINUX }),
      rootDeviceName: EKS_DEFAULTS.rootDeviceName,
      // The EKS cluster security group (control plane <-> kubelet, node <-> node) and the intent's cluster group.
      primaryGroups: [cluster.clusterSecurityGroupId, network.clusterSecurityGroup.attrGroupId],
      primaryRole: 'VPC CNI',
      roleDescription: `multinic ${intent.metadata.name}: EKS nodes of group ${group.name}`,
      managedPolicies: NODE_MANAGED_POLICIES.map((name) => ({
        name,
        reason: 'One of the three AWS managed policies every EKS node needs (worker node, ECR pull-only, VPC CNI), as the EKS user guide prescribes; AWS keeps them in step with the kubelet and the VPC CNI.',
      })),
      // What EKS and its controllers look for on a self-managed node.
      instanceTags: [{ Key: `kubernetes.io/cluster/${cluster.clusterName}`, Value: 'owned' }],
      // One more than the count: a rolling update launches the new node before the old one goes.
      surge: rollingSurge(group),
    });

    // Nodes join through an access entry of type EC2_LINUX (EKS maps it to system:nodes); no aws-auth ConfigMap.
    this.accessEntry = new eks.AccessEntry(this, 'AccessEntry', {
      cluster,
      principal: this.role.roleArn,
      accessEntryType: eks.AccessEntryType.EC2_LINUX,
      accessPolicies: [],
    });
    for (const asg of this.autoScalingGroups.values()) {
      // A node can join only once its access entry exists.
      asg.node.addDependency(this.accessEntry);
      // A new launch template version (AMI, ENIs, user data) replaces the nodes one at a time, new node first
      // (MinInstancesInService = count, MaxSize = count + 1), as on kubeadm: each new node's Ready is signalled by the
      // node lifecycle function (infra/eks/node-lifecycle.ts, hook multinic-ready) before an old node is drained
      // (hook multinic-drain) and terminated.
      asg.cfnOptions.updatePolicy = {
        autoScalingRollingUpdate: {
          maxBatchSize: 1,
          minInstancesInService: group.count,
          pauseTime: EKS_FUNCTIONS.readySignalTimeout,
          waitOnResourceSignals: true,
          suspendProcesses: [...ROLLING_SUSPENDED_PROCESSES],
        },
      };
    }
  }
}
