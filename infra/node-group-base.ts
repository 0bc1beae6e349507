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

/** One entry of `LaunchTemplateData.NetworkInterfaces`, as CloudFormation spells it. */
export interface LaunchTemplateNetworkInterface {
  readonly DeviceIndex: number;
  readonly Groups: string[];
  readonly DeleteOnTermination: boolean;
  readonly Description: string;
  readonly SubnetId?: string;
  readonly Ipv4PrefixCount?: number;
}

/** An AWS managed policy a node role carries, with the reason cdk-nag's AwsSolutions-IAM4 is acknowledged. */
export interface NodeManagedPolicy {
  readonly name: string;
  readonly reason: string;
}

/** A tag as a launch template's `TagSpecifications` spell it. */
export interface NodeTag {
  readonly Key: string;
  readonly Value: string;
}

/** What every node group construct is given, whatever the flavour. */
export interface NodeGroupCommonProps {
  readonly intent: NetworkIntent;
  /** The resolved model of `intent`. @default - built from `intent` */
  readonly model?: IntentModel;
  /** The intent's node group this construct launches. */
  readonly group: IntentNodeGroup;
  readonly network: NetworkStack;
  /** Rendered user data of the group's nodes. */
  readonly userData: ec2.UserData;
  /**
   * Permissions of the group's nodes beyond Session Manager and the source/destination check (both added here): join
   * data, manifests, the bootstrap bundle.
   */
  readonly statements: readonly iam.PolicyStatement[];
}

export interface NodeGroupBaseProps extends NodeGroupCommonProps {
  /** AMI of the nodes. */
  readonly machineImage: ec2.IMachineImage;
  /** Root device name of that AMI. */
  readonly rootDeviceName: string;
  /** Security groups of the primary ENI (device index 0). */
  readonly primaryGroups: readonly string[];
  /** What the primary ENI carries, for its description (`cluster network`, `VPC CNI`). */
  readonly primaryRole: string;
  /** The node role's description. */
  readonly roleDescription: string;
  /** AWS managed policies of the node role. @default - none */
  readonly managedPolicies?: readonly NodeManagedPolicy[];
  /** Tags of the instances beyond the cluster, the group and `Name`. @default - none */
  readonly instanceTags?: readonly NodeTag[];
  /** Auto Scaling `MaxSize` above the group's count (room for a rolling update's new node). @default 0 */
  readonly surge?: number;
}

/**
 * What every node group of either flavour has, in one place: the node role (Session Manager, the group's own
 * policy, the tag-scoped source/destination-check permission where the intent asks for it), one launch template
 * (IMDSv2 only, encrypted gp3 root, no key pair) that attaches every secondary ENI at launch in its own subnet with
 * its prefixes and the security groups of the networks it carries, tags on instances, volumes and every ENI (the
 * VPC CNI's no_manage among them), and one Auto Scaling group per zone of the secondary subnets (one across every zone
 * when the group has none). What differs per flavour (update and creation policies, lifecycle hooks, EKS access
 * entries) the subclasses add to {@link autoScalingGroups}.
 *
 * Construct ids (`Role`, `Policy`, `SessionManagerPolicy`, `LaunchTemplate`, `AutoScalingGroup[<zone>]`) are those of
 * the subclass's own scope, so factoring them here changed no logical id. aws-cdk-lib has no L2 for launch-template
 * network interfaces: the L1 is overridden (`launchTemplate.node.defaultChild`).
 */
export abstract class NodeGroupBase extends Construct {
  public readonly role: iam.Role;
  /** The group's own policy (the given statements, and the source/destination check). */
  public readonly policy: iam.Policy;
  public readonly launchTemplate: ec2.LaunchTemplate;
  /** Auto Scaling groups by zone key (a zone letter, or `all` for a group that spans every zone). */
  public readonly autoScalingGroups: ReadonlyMap<string, autoscaling.CfnAutoScalingGroup>;
  /** The `LaunchTemplateData.NetworkInterfaces` override, primary ENI first. */
  public readonly networkInterfaces: readonly LaunchTemplateNetworkInterface[];

  constructor(scope: Construct, id: string, props: NodeGroupBaseProps) {
    super(scope, id);
    const { intent, group, network } = props;
    const cluster = intent.metadata.name;
    const model = props.model ?? buildModel(intent);

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: props.roleDescription,
      ...(props.managedPolicies?.length ? { managedPolicies: props.managedPolicies.map((p) => iam.ManagedPolicy.fromAwsManagedPolicyName(p.name)) } : {}),
    });
    for (const p of props.managedPolicies ?? []) {
      Validations.of(this.role).acknowledge({ id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${p.name}]`, reason: p.reason });
    }
    this.policy = new iam.Policy(this, 'Policy', { statements: [...props.statements], roles: [this.role] });
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
    if (group.interfaces.some((itf) => !itf.sourceDestCheck)) {
      this.policy.addStatements(new iam.PolicyStatement({
        sid: 'SourceDestCheckOff',
        actions: ['ec2:ModifyNetworkInterfaceAttribute'],
        resources: [`arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:network-interface/*`],
        conditions: { StringEquals: { [`aws:ResourceTag/${TAGS.cluster}`]: cluster, [`aws:ResourceTag/${TAGS.nodeGroup}`]: group.name } },
      }));
      Validations.of(this.policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]',
        reason: 'ENI ids exist only after launch; the permission is limited to ENIs tagged with this cluster and node group (launch-template tags) and to the one action that turns the source/destination check off, for interfaces whose intent sets sourceDestCheck: false.',
      });
    }

    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      machineImage: props.machineImage,
      instanceType: new ec2.InstanceType(group.instanceType),
      role: this.role,
      userData: props.userData,
      requireImdsv2: true,
      httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
      httpPutResponseHopLimit: INFRA_DEFAULTS.imdsHopLimit,
      httpEndpoint: true,
      blockDevices: [{
        deviceName: props.rootDeviceName,
        volume: ec2.BlockDeviceVolume.ebs(INFRA_DEFAULTS.rootVolumeGiB, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3, deleteOnTermination: true }),
      }],
    });
    const cfn = this.launchTemplate.node.defaultChild as ec2.CfnLaunchTemplate;

    // Security groups go on the interfaces: EC2 rejects instance-level groups next to a NetworkInterfaces list.
    const nics: LaunchTemplateNetworkInterface[] = [
      { DeviceIndex: 0, Groups: [...props.primaryGroups], DeleteOnTermination: true, Description: `multinic ${cluster}: primary (${props.primaryRole})` },
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
    const tags = (extra: readonly NodeTag[] = []) => [{ Key: TAGS.cluster, Value: cluster }, { Key: TAGS.nodeGroup, Value: group.name }, ...extra];
    cfn.addPropertyOverride('LaunchTemplateData.TagSpecifications', [
      { ResourceType: 'instance', Tags: tags([{ Key: 'Name', Value: `${cluster}-${group.name}` }, ...props.instanceTags ?? []]) },
      { ResourceType: 'volume', Tags: tags() },
      // Every ENI of the instance, the primary included (the VPC CNI ignores the tag on a primary ENI).
      { ResourceType: 'network-interface', Tags: tags([{ Key: TAGS.noManage.key, Value: TAGS.noManage.value }]) },
    ]);

    const asgs = new Map<string, autoscaling.CfnAutoScalingGroup>();
    const placement = placeGroup(model, group);
    const pinned = group.interfaces.length > 0;
    const buckets = pinned ? placement.zones.map((z) => [z, [z]] as const) : [['all', placement.zones] as const];
    for (const [key, zones] of buckets) {
      const asg = new autoscaling.CfnAutoScalingGroup(this, pinned ? `AutoScalingGroup${key.toUpperCase()}` : 'AutoScalingGroup', {
        minSize: String(group.count),
        maxSize: String(group.count + (props.surge ?? 0)),
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
      Validations.of(asg).acknowledge({
        id: 'AwsSolutions-AS3',
        reason: 'Scaling notifications would need an SNS topic and a subscriber the intent does not name; the group has a fixed size (min = desired = count) and instance state is visible in EC2 and CloudTrail.',
      });
      asgs.set(key, asg);
    }
    this.autoScalingGroups = asgs;
  }
}
