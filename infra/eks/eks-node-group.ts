import { Aws, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { NetworkIntent, NodeGroup as IntentNodeGroup } from '../../lib/intent/types';
import { buildModel, type IntentModel } from '../../lib/model/model';
import { TAGS } from '../defaults';
import type { NetworkStack } from '../network-stack';
import type { LaunchTemplateNetworkInterface } from '../node-group';
import { placeGroup } from '../private/plan';
import { EKS_DEFAULTS, NODE_MANAGED_POLICIES } from './defaults';

export interface EksNodeGroupProps {
  readonly intent: NetworkIntent;
  /** The resolved model of `intent` (`loadValidIntent`). @default - built from `intent` */
  readonly model?: IntentModel;
  readonly group: IntentNodeGroup;
  readonly network: NetworkStack;
  readonly cluster: eks.ICluster;
  /** The cluster's minor, for the AMI parameter. */
  readonly kubernetesMinor: number;
  readonly userData: ec2.UserData;
  /** Permissions beyond the EKS node policies and Session Manager (the bootstrap bundle, the source/dest check). */
  readonly statements: readonly iam.PolicyStatement[];
}

/**
 * A worker group of an EKS cluster: its node role (registered with an `EC2_LINUX` access entry, not the aws-auth
 * ConfigMap), a launch template on the EKS-optimised AL2023 AMI that attaches the intent's secondary ENIs at launch
 * (each in its own subnet, with its prefixes and the no_manage tag), and its Auto Scaling group.
 *
 * Why not an EKS managed node group: the EKS API refuses a managed node group whose launch template names a
 * `SubnetId` (CreateNodegroup, LaunchTemplateSpecification), and without one EC2 puts every interface in the node's
 * own subnet; the intent's secondary ENIs live in other subnets. docs/eks.md ("Node groups") has the trade-off.
 */
export class EksNodeGroup extends Construct {
  public readonly role: iam.Role;
  public readonly launchTemplate: ec2.LaunchTemplate;
  public readonly autoScalingGroups: ReadonlyMap<string, autoscaling.CfnAutoScalingGroup>;
  public readonly accessEntry: eks.AccessEntry;
  public readonly networkInterfaces: readonly LaunchTemplateNetworkInterface[];

  constructor(scope: Construct, id: string, props: EksNodeGroupProps) {
    super(scope, id);
    const { intent, group, network, cluster } = props;
    const name = intent.metadata.name;
    const placement = placeGroup(props.model ?? buildModel(intent), group);

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `multinic ${name}: EKS nodes of group ${group.name}`,
      managedPolicies: NODE_MANAGED_POLICIES.map((p) => iam.ManagedPolicy.fromAwsManagedPolicyName(p)),
    });
    for (const p of NODE_MANAGED_POLICIES) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${p}]`,
        reason: 'One of the three AWS managed policies every EKS node needs (worker node, ECR pull-only, VPC CNI), as the EKS user guide prescribes; AWS keeps them in step with the kubelet and the VPC CNI.',
      });
    }
    const policy = new iam.Policy(this, 'Policy', { statements: [...props.statements], roles: [this.role] });
    const session = new iam.Policy(this, 'SessionManagerPolicy', {
      roles: [this.role],
      statements: [new iam.PolicyStatement({
        sid: 'SessionManager',
        actions: ['ssm:UpdateInstanceInformation', 'ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
        resources: ['*'],
      })],
    });
    Validations.of(session).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Session Manager (the only way onto a node: no SSH key, no open port) needs these five agent actions, which take no resource ARN.',
    });
    if (group.interfaces.some((i) => !i.sourceDestCheck)) {
      policy.addStatements(new iam.PolicyStatement({
        sid: 'SourceDestCheckOff',
        actions: ['ec2:ModifyNetworkInterfaceAttribute'],
        resources: [`arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:network-interface/*`],
        conditions: { StringEquals: { [`aws:ResourceTag/${TAGS.cluster}`]: name, [`aws:ResourceTag/${TAGS.nodeGroup}`]: group.name } },
      }));
      Validations.of(policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]',
        reason: 'ENI ids exist only after launch; limited to ENIs tagged with this cluster and node group and to the one action that turns the source/destination check off.',
      });
    }

    // Nodes join through an access entry of type EC2_LINUX (EKS maps it to system:nodes); no aws-auth ConfigMap.
    this.accessEntry = new eks.AccessEntry(this, 'AccessEntry', {
      cluster,
      principal: this.role.roleArn,
      accessEntryType: eks.AccessEntryType.EC2_LINUX,
      accessPolicies: [],
    });

    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      machineImage: ec2.MachineImage.fromSsmParameter(EKS_DEFAULTS.amiParameter(props.kubernetesMinor), { os: ec2.OperatingSystemType.LINUX }),
      instanceType: new ec2.InstanceType(group.instanceType),
      role: this.role,
      userData: props.userData,
      requireImdsv2: true,
      httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
      httpPutResponseHopLimit: EKS_DEFAULTS.imdsHopLimit,
      httpEndpoint: true,
      blockDevices: [{
        deviceName: EKS_DEFAULTS.rootDeviceName,
        volume: ec2.BlockDeviceVolume.ebs(EKS_DEFAULTS.rootVolumeGiB, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3, deleteOnTermination: true }),
      }],
    });
    const cfn = this.launchTemplate.node.defaultChild as ec2.CfnLaunchTemplate;
    // Primary ENI: the EKS cluster security group (control plane <-> kubelet, node <-> node) and the intent's
    // cluster group. Security groups go on the interfaces: EC2 refuses instance-level groups next to a list.
    const nics: LaunchTemplateNetworkInterface[] = [
      { DeviceIndex: 0, Groups: [cluster.clusterSecurityGroupId, network.clusterSecurityGroup.attrGroupId], DeleteOnTermination: true, Description: `multinic ${name}: primary (VPC CNI)` },
      ...group.interfaces.map((itf, i): LaunchTemplateNetworkInterface => {
        const sub = network.secondarySubnets.get(itf.subnet);
        if (!sub) throw new Error(`internal: subnet ${itf.subnet} not in the network stack`);
        return {
          DeviceIndex: i + 1,
          SubnetId: sub.subnet.ref,
          Groups: [sub.securityGroup.attrGroupId],
          DeleteOnTermination: true,
          Description: `multinic ${name}: ${itf.name} in ${itf.subnet}`,
          ...(itf.ipv4PrefixCount > 0 ? { Ipv4PrefixCount: itf.ipv4PrefixCount } : {}),
        };
      }),
    ];
    this.networkInterfaces = nics;
    cfn.addPropertyOverride('LaunchTemplateData.NetworkInterfaces', nics);
    const tags = (extra: Array<{ Key: string; Value: string }> = []) => [
      { Key: TAGS.cluster, Value: name },
      { Key: TAGS.nodeGroup, Value: group.name },
      ...extra,
    ];
    cfn.addPropertyOverride('LaunchTemplateData.TagSpecifications', [
      // kubernetes.io/cluster/<name>=owned: what EKS and its controllers look for on a self-managed node.
      { ResourceType: 'instance', Tags: tags([{ Key: 'Name', Value: `${name}-${group.name}` }, { Key: `kubernetes.io/cluster/${cluster.clusterName}`, Value: 'owned' }]) },
      { ResourceType: 'volume', Tags: tags() },
      // Every ENI of the instance: the VPC CNI leaves no_manage ENIs alone and ignores the tag on the primary.
      { ResourceType: 'network-interface', Tags: tags([{ Key: TAGS.noManage.key, Value: TAGS.noManage.value }]) },
    ]);

    const asgs = new Map<string, autoscaling.CfnAutoScalingGroup>();
    const pinned = group.interfaces.length > 0;
    const buckets = pinned ? placement.zones.map((z) => [z, [z]] as const) : [['all', placement.zones] as const];
    for (const [key, zones] of buckets) {
      const asg = new autoscaling.CfnAutoScalingGroup(this, pinned ? `AutoScalingGroup${key.toUpperCase()}` : 'AutoScalingGroup', {
        minSize: String(group.count),
        maxSize: String(group.count),
        desiredCapacity: String(group.count),
        vpcZoneIdentifier: zones.map((z) => {
          const s = network.nodeSubnets.get(z);
          if (!s) throw new Error(`internal: no node subnet in zone ${z}`);
          return s.ref;
        }),
        launchTemplate: { launchTemplateId: this.launchTemplate.launchTemplateId!, version: this.launchTemplate.latestVersionNumber },
        healthCheckType: 'EC2',
        tags: [{ key: 'Name', value: `${name}-${group.name}`, propagateAtLaunch: true }],
      });
      // A node can join only once its access entry exists.
      asg.node.addDependency(this.accessEntry);
      // A new launch template version (AMI, ENIs, user data) replaces the nodes one at a time.
      asg.cfnOptions.updatePolicy = {
        autoScalingRollingUpdate: { maxBatchSize: 1, minInstancesInService: Math.max(group.count - 1, 0), pauseTime: 'PT0S' },
      };
      Validations.of(asg).acknowledge({
        id: 'AwsSolutions-AS3',
        reason: 'Scaling notifications would need an SNS topic and a subscriber the intent does not name; the group has a fixed size (min = max = count).',
      });
      asgs.set(key, asg);
    }
    this.autoScalingGroups = asgs;
  }
}
