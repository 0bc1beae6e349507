import { Aws, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { NetworkIntent, NodeGroup as IntentNodeGroup } from '../lib/intent/types';
import { buildModel, type IntentModel } from '../lib/model/model';
import { INFRA_DEFAULTS, TAGS } from './defaults';
import type { NetworkStack } from './network-stack';
import { placeGroup } from './private/plan';

export interface NodeGroupProps {
  readonly intent: NetworkIntent;
  /** The resolved model of `intent`. @default - built from `intent` */
  readonly model?: IntentModel;
  /** The intent's node group this construct launches. */
  readonly group: IntentNodeGroup;
  readonly network: NetworkStack;
  /** Rendered user data of the group's nodes. */
  readonly userData: ec2.UserData;
  /** Permissions of the group's nodes beyond Session Manager (join data, manifests, bundle). */
  readonly statements: readonly iam.PolicyStatement[];
  /** AMI of the nodes: the stack's `NodeAmiId` parameter, pinned per deployment (docs/deploy.md, "AMI"). */
  readonly imageId: string;
}

/** Name of the termination lifecycle hook of every worker group; the control plane's drain loop completes it. */
export const DRAIN_HOOK_NAME = 'multinic-drain';

/** Auto Scaling processes suspended during a rolling update that waits on signals, as AWS recommends. */
export const ROLLING_SUSPENDED_PROCESSES = ['HealthCheck', 'ReplaceUnhealthy', 'AZRebalance', 'AlarmNotification', 'ScheduledActions'];

/** One entry of `LaunchTemplateData.NetworkInterfaces`, as CloudFormation spells it. */
export interface LaunchTemplateNetworkInterface {
  readonly DeviceIndex: number;
  readonly Groups: string[];
  readonly DeleteOnTermination: boolean;
  readonly Description: string;
  readonly SubnetId?: string;
  readonly Ipv4PrefixCount?: number;
}

/**
 * A node group of the intent: its IAM role, one launch template that attaches every secondary ENI at launch, and its
 * Auto Scaling group (pinned to the zone of the secondary subnets when there are any). Node count is the group's
 * capacity, so the number of CloudFormation resources does not depend on it.
 *
 * aws-cdk-lib has no L2 for launch-template network interfaces: the L1 is overridden (`launchTemplate.node.defaultChild`).
 */
export class NodeGroup extends Construct {
  public readonly role: iam.Role;
  /** The group's own policy (join data, bundle, signals; drain and State Manager on the control plane). */
  public readonly policy: iam.Policy;
  public readonly launchTemplate: ec2.LaunchTemplate;
  /** Auto Scaling groups by zone key (a zone letter, or `all` for a group that spans every zone). */
  public readonly autoScalingGroups: ReadonlyMap<string, autoscaling.CfnAutoScalingGroup>;
  /** The `LaunchTemplateData.NetworkInterfaces` override, primary ENI first. */
  public readonly networkInterfaces: readonly LaunchTemplateNetworkInterface[];

  constructor(scope: Construct, id: string, props: NodeGroupProps) {
    super(scope, id);
    const { intent, group, network } = props;
    const cluster = intent.metadata.name;
    const model = props.model ?? buildModel(intent);
    const placement = placeGroup(model, group);

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `multinic ${cluster}: nodes of group ${group.name}`,
    });
    const policy = new iam.Policy(this, 'Policy', { statements: [...props.statements], roles: [this.role] });
    this.policy = policy;
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
      reason: 'Session Manager (the only way in: no SSH, no open ports) needs these five agent actions, which take no resource ARN; it is the minimal set AWS documents for a custom Session Manager instance profile.',
    });

    const sdcOff = group.interfaces.map((itf, i) => ({ itf, deviceIndex: i + 1 })).filter((x) => !x.itf.sourceDestCheck);
    if (sdcOff.length > 0) {
      policy.addStatements(new iam.PolicyStatement({
        sid: 'SourceDestCheckOff',
        actions: ['ec2:ModifyNetworkInterfaceAttribute'],
        resources: [`arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:network-interface/*`],
        conditions: { StringEquals: { [`aws:ResourceTag/${TAGS.cluster}`]: cluster, [`aws:ResourceTag/${TAGS.nodeGroup}`]: group.name } },
      }));
      Validations.of(policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]',
        reason: 'ENI ids exist only after launch; the permission is limited to ENIs tagged with this cluster and node group (launch-template tags) and to the one action that turns the source/destination check off, for interfaces whose intent sets sourceDestCheck: false.',
      });
    }

    const imageId = props.imageId;
    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      // Pinned: a CloudFormation parameter keeps its value across deployments until changed on purpose, unlike an
      // SSM-parameter AMI, which is resolved again on every deployment and so replaces every node at once.
      machineImage: { getImage: () => ({ imageId, osType: ec2.OperatingSystemType.LINUX, userData: props.userData }) },
      instanceType: new ec2.InstanceType(group.instanceType),
      role: this.role,
      userData: props.userData,
      requireImdsv2: true,
      httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
      httpPutResponseHopLimit: INFRA_DEFAULTS.imdsHopLimit,
      httpEndpoint: true,
      blockDevices: [{
        deviceName: INFRA_DEFAULTS.rootDeviceName,
        volume: ec2.BlockDeviceVolume.ebs(INFRA_DEFAULTS.rootVolumeGiB, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3, deleteOnTermination: true }),
      }],
    });
    const cfn = this.launchTemplate.node.defaultChild as ec2.CfnLaunchTemplate;

    // Security groups go on the interfaces: EC2 rejects instance-level groups next to a NetworkInterfaces list.
    const nics: LaunchTemplateNetworkInterface[] = [
      { DeviceIndex: 0, Groups: [network.clusterSecurityGroup.attrGroupId], DeleteOnTermination: true, Description: `multinic ${cluster}: primary (cluster network)` },
      ...group.interfaces.map((itf, i): LaunchTemplateNetworkInterface => {
        const sub = network.secondarySubnets.get(itf.subnet);
        if (!sub) throw new Error(`internal: subnet ${itf.subnet} not in the network stack`);
        // The security groups of the networks on this interface (closed unless their ingress admits), else the
        // subnet's group, which admits nothing.
        const carried = model.networks.filter((n) => n.master === itf.name).flatMap((n) => {
          const sg = network.networkSecurityGroups.get(n.key);
          return sg ? [sg.attrGroupId] : [];
        });
        return {
          DeviceIndex: i + 1,
          SubnetId: sub.subnet.ref,
          Groups: carried.length ? [...new Set(carried)] : [sub.securityGroup.attrGroupId],
          DeleteOnTermination: true,
          Description: `multinic ${cluster}: ${itf.name} in ${itf.subnet}`,
          ...(itf.ipv4PrefixCount > 0 ? { Ipv4PrefixCount: itf.ipv4PrefixCount } : {}),
        };
      }),
    ];
    this.networkInterfaces = nics;
    cfn.addPropertyOverride('LaunchTemplateData.NetworkInterfaces', nics);
    const tags = (extra: Array<{ Key: string; Value: string }> = []) => [
      { Key: TAGS.cluster, Value: cluster },
      { Key: TAGS.nodeGroup, Value: group.name },
      ...extra,
    ];
    cfn.addPropertyOverride('LaunchTemplateData.TagSpecifications', [
      { ResourceType: 'instance', Tags: tags([{ Key: 'Name', Value: `${cluster}-${group.name}` }]) },
      { ResourceType: 'volume', Tags: tags() },
      // Every ENI of the instance, the primary included (the VPC CNI ignores the tag on a primary ENI).
      { ResourceType: 'network-interface', Tags: tags([{ Key: TAGS.noManage.key, Value: TAGS.noManage.value }]) },
    ]);

    const asgs = new Map<string, autoscaling.CfnAutoScalingGroup>();
    const pinned = group.interfaces.length > 0;
    const buckets = pinned ? placement.zones.map((z) => [z, [z]] as const) : [['all', placement.zones] as const];
    for (const [key, zones] of buckets) {
      const isWorker = group.role === 'worker';
      const asg = new autoscaling.CfnAutoScalingGroup(this, pinned ? `AutoScalingGroup${key.toUpperCase()}` : 'AutoScalingGroup', {
        minSize: String(group.count),
        // One more than the count for workers: a rolling update launches the new node before the old one goes.
        maxSize: String(isWorker ? group.count + 1 : group.count),
        desiredCapacity: String(group.count),
        vpcZoneIdentifier: zones.map((z) => {
          const s = network.nodeSubnets.get(z);
          if (!s) throw new Error(`internal: no node subnet in zone ${z}`);
          return s.ref;
        }),
        launchTemplate: { launchTemplateId: this.launchTemplate.launchTemplateId!, version: this.launchTemplate.latestVersionNumber },
        healthCheckType: 'EC2',
        tags: [{ key: 'Name', value: `${cluster}-${group.name}`, propagateAtLaunch: true }],
      });
      // Every node signals once it is Ready (boot.sh), or FAILURE with its failing step: creation waits for all of them.
      asg.cfnOptions.creationPolicy = {
        resourceSignal: { count: group.count, timeout: INFRA_DEFAULTS.signalTimeout },
        autoScalingCreationPolicy: { minSuccessfulInstancesPercent: 100 },
      };
      if (isWorker) {
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
      Validations.of(asg).acknowledge({
        id: 'AwsSolutions-AS3',
        reason: 'Scaling notifications would need an SNS topic and a subscriber the intent does not name; the group has a fixed size (min = max = count) and instance state is visible in EC2 and CloudTrail.',
      });
      asgs.set(key, asg);
    }
    this.autoScalingGroups = asgs;
  }
}
