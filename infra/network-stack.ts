import { Aws, Fn, RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { NetworkIntent } from '../lib/intent/types';
import { buildModel, type IntentModel } from '../lib/model/model';
import { securityGroupRules } from '../lib/policy/security-group-rules';
import { TAGS } from './defaults';
import { pascal, planNodeSubnets, prefixReservations } from './private/plan';

export interface NetworkStackProps extends StackProps {
  /** The validated intent; the only input the network is derived from. */
  readonly intent: NetworkIntent;
  /** The resolved model of `intent` (`loadValidIntent`). @default - built from `intent` */
  readonly model?: IntentModel;
}

/** One secondary subnet of the intent, with its security group. */
export interface SecondarySubnet {
  readonly name: string;
  readonly zone: string;
  readonly subnet: ec2.CfnSubnet;
  /** Security group of the ENIs in this subnet whose interface carries no network: it admits nothing. */
  readonly securityGroup: ec2.CfnSecurityGroup;
  /** The explicit reservation that keeps pod addresses away from node ENIs, when the intent asks for one. */
  readonly reservation?: ec2.CfnSubnetCidrReservation;
  /** `prefix` reservations the subnet's delegated prefixes are drawn from (empty when no interface delegates any). */
  readonly prefixReservations: readonly ec2.CfnSubnetCidrReservation[];
}

/**
 * Resolves a zone letter against the deployment region (`eu-west-1` + `a`). `Stack.availabilityZones` would give
 * `Fn::Select` over `Fn::GetAZs`, which picks zones by position, not by letter; joining keeps the intent's letters
 * meaningful and the stack environment-agnostic.
 */
export function zoneName(letter: string): string {
  return Fn.join('', [Aws.REGION, letter]);
}

/**
 * The VPC of the cluster: node subnets per zone (private, egress through one NAT gateway), the intent's secondary
 * subnets with their pod CIDR reservations, the cluster security group and one security group per secondary subnet.
 *
 * Built from L1 resources: the L2 `Vpc` allocates CIDRs and zones itself, and the intent pins both.
 */
export class NetworkStack extends Stack {
  public readonly vpc: ec2.CfnVPC;
  /** Node (primary ENI) subnets by zone letter. */
  public readonly nodeSubnets: ReadonlyMap<string, ec2.CfnSubnet>;
  /** The intent's secondary subnets by name. */
  public readonly secondarySubnets: ReadonlyMap<string, SecondarySubnet>;
  /**
   * One security group per network carried by an ENI (`namespace/name`): exactly the network's `ingress`, as
   * addresses (lib/policy). Every ENI of the network's master interface gets it.
   */
  public readonly networkSecurityGroups: ReadonlyMap<string, ec2.CfnSecurityGroup>;
  /** Security group of every node's primary ENI: all traffic between nodes, the API port from the VPC and admin CIDR. */
  public readonly clusterSecurityGroup: ec2.CfnSecurityGroup;
  public readonly vpcCidr: string;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { intent } = props;
    const spec = intent.spec;
    this.vpcCidr = spec.vpc.cidr;
    const model = props.model ?? buildModel(intent);
    const plan = planNodeSubnets(model);
    Tags.of(this).add(TAGS.cluster, intent.metadata.name);

    this.vpc = new ec2.CfnVPC(this, 'Vpc', {
      cidrBlock: spec.vpc.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: [{ key: 'Name', value: intent.metadata.name }],
    });
    this.flowLog();

    // Egress: nodes have several ENIs, so EC2 cannot give them a public IPv4; they leave through a NAT gateway.
    const igw = new ec2.CfnInternetGateway(this, 'InternetGateway');
    const igwAttachment = new ec2.CfnVPCGatewayAttachment(this, 'InternetGatewayAttachment', { vpcId: this.vpc.ref, internetGatewayId: igw.ref });
    const publicSubnet = new ec2.CfnSubnet(this, 'PublicSubnet', {
      vpcId: this.vpc.ref,
      cidrBlock: plan.publicSubnet.cidr,
      availabilityZone: zoneName(plan.publicSubnet.zone),
      mapPublicIpOnLaunch: false,
      tags: [{ key: 'Name', value: `${intent.metadata.name}-public-${plan.publicSubnet.zone}` }],
    });
    const publicRoutes = new ec2.CfnRouteTable(this, 'PublicRouteTable', { vpcId: this.vpc.ref });
    const publicDefault = new ec2.CfnRoute(this, 'PublicDefaultRoute', { routeTableId: publicRoutes.ref, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.ref });
    publicDefault.addResourceDependency(igwAttachment);
    new ec2.CfnSubnetRouteTableAssociation(this, 'PublicSubnetRoutes', { subnetId: publicSubnet.ref, routeTableId: publicRoutes.ref });
    const natIp = new ec2.CfnEIP(this, 'NatAddress', { domain: 'vpc' });
    natIp.addResourceDependency(igwAttachment);
    const nat = new ec2.CfnNatGateway(this, 'NatGateway', { subnetId: publicSubnet.ref, allocationId: natIp.attrAllocationId });
    const privateRoutes = new ec2.CfnRouteTable(this, 'PrivateRouteTable', { vpcId: this.vpc.ref });
    new ec2.CfnRoute(this, 'PrivateDefaultRoute', { routeTableId: privateRoutes.ref, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.ref });

    const nodeSubnets = new Map<string, ec2.CfnSubnet>();
    for (const { zone, cidr } of plan.nodeSubnets) {
      const subnet = new ec2.CfnSubnet(this, `NodeSubnet${zone.toUpperCase()}`, {
        vpcId: this.vpc.ref,
        cidrBlock: cidr,
        availabilityZone: zoneName(zone),
        mapPublicIpOnLaunch: false,
        tags: [{ key: 'Name', value: `${intent.metadata.name}-nodes-${zone}` }],
      });
      new ec2.CfnSubnetRouteTableAssociation(this, `NodeSubnet${zone.toUpperCase()}Routes`, { subnetId: subnet.ref, routeTableId: privateRoutes.ref });
      nodeSubnets.set(zone, subnet);
    }
    this.nodeSubnets = nodeSubnets;

    this.clusterSecurityGroup = this.clusterGroup(intent);

    const secondary = new Map<string, SecondarySubnet>();
    spec.subnets.forEach((s) => {
      const scope = new Construct(this, `Subnet${pascal(s.name)}`);
      const subnet = new ec2.CfnSubnet(scope, 'Resource', {
        vpcId: this.vpc.ref,
        cidrBlock: s.cidr,
        availabilityZone: zoneName(s.zone),
        mapPublicIpOnLaunch: false,
        tags: [{ key: 'Name', value: `${intent.metadata.name}-${s.name}` }],
      });
      // Routes through the NAT too, so a pod that routes out through its secondary interface (sbr) can leave the VPC.
      new ec2.CfnSubnetRouteTableAssociation(scope, 'Routes', { subnetId: subnet.ref, routeTableId: privateRoutes.ref });
      const securityGroup = new ec2.CfnSecurityGroup(scope, 'SecurityGroup', {
        vpcId: this.vpc.ref,
        groupDescription: `multinic ${intent.metadata.name}: secondary ENIs in subnet ${s.name} (${s.cidr})`,
        tags: [{ key: 'Name', value: `${intent.metadata.name}-${s.name}` }],
      });
      const reservation = s.podCidrReservation !== undefined && lintable(new ec2.CfnSubnetCidrReservation(scope, 'PodReservation', {
        subnetId: subnet.ref,
        cidr: s.podCidrReservation,
        reservationType: 'explicit',
        description: `multinic ${intent.metadata.name}: pod addresses of subnet ${s.name}; DHCP never gives them to ENIs`,
      }));
      const prefixes = prefixReservations(model, s).map((cidr) => new ec2.CfnSubnetCidrReservation(scope, `PrefixReservation${cidr.toString().replace(/[./]/g, '')}`, {
        subnetId: subnet.ref,
        cidr: cidr.toString(),
        reservationType: 'prefix',
        description: `multinic ${intent.metadata.name}: /28 prefixes delegated to the ENIs in subnet ${s.name}`,
      })).map(lintable);
      secondary.set(s.name, { name: s.name, zone: s.zone, subnet, securityGroup, reservation: reservation || undefined, prefixReservations: prefixes });
    });
    this.secondarySubnets = secondary;
    this.networkSecurityGroups = this.networkGroups(intent, model);
  }

  /**
   * Secondary networks are closed by default: each network on an ENI gets a security group with one ingress rule per
   * (protocol, ports, source block) its intent admits, and nothing else. Rule ids derive from their content, so
   * reordering the intent replaces no rule.
   */
  private networkGroups(intent: NetworkIntent, model: IntentModel): Map<string, ec2.CfnSecurityGroup> {
    const groups = new Map<string, ec2.CfnSecurityGroup>();
    for (const n of model.networks) {
      if (n.nodeGroups.length === 0 || groups.has(n.key)) continue;
      const scope = new Construct(this, `Network${pascal(n.network.namespace)}${pascal(n.network.name)}`);
      const sg = new ec2.CfnSecurityGroup(scope, 'SecurityGroup', {
        vpcId: this.vpc.ref,
        groupDescription: `multinic ${intent.metadata.name}: pods of network ${n.key} on ENIs ${n.master}; inbound only as its intent admits`,
        tags: [{ key: 'Name', value: `${intent.metadata.name}-${n.network.namespace}-${n.network.name}` }],
      });
      for (const r of securityGroupRules(model, n)) {
        const id = `${pascal(r.protocol)}${r.fromPort < 0 ? 'All' : `${r.fromPort}To${r.toPort}`}From${r.cidr.replace(/[./]/g, 'x')}`;
        new ec2.CfnSecurityGroupIngress(scope, id, {
          groupId: sg.attrGroupId,
          ipProtocol: r.protocol,
          fromPort: r.fromPort,
          toPort: r.toPort,
          cidrIp: r.cidr,
          description: r.description,
        });
      }
      groups.set(n.key, sg);
    }
    return groups;
  }

  private clusterGroup(intent: NetworkIntent): ec2.CfnSecurityGroup {
    const sg = new ec2.CfnSecurityGroup(this, 'ClusterSecurityGroup', {
      vpcId: this.vpc.ref,
      groupDescription: `multinic ${intent.metadata.name}: primary ENIs of the cluster nodes`,
      tags: [{ key: 'Name', value: `${intent.metadata.name}-cluster` }],
    });
    new ec2.CfnSecurityGroupIngress(this, 'ClusterFromNodes', {
      groupId: sg.attrGroupId,
      ipProtocol: '-1',
      sourceSecurityGroupId: sg.attrGroupId,
      description: 'All traffic between cluster nodes (kubelet, etcd, Calico IP-in-IP and BGP)',
    });
    new ec2.CfnSecurityGroupIngress(this, 'ApiFromVpc', {
      groupId: sg.attrGroupId,
      ipProtocol: 'tcp',
      fromPort: 6443,
      toPort: 6443,
      cidrIp: intent.spec.vpc.cidr,
      description: 'Kubernetes API from inside the VPC',
    });
    const admin = intent.spec.cluster.adminCidr;
    if (admin !== undefined) {
      // multinic:AdminCidrOpen refuses a /0.
      new ec2.CfnSecurityGroupIngress(this, 'ApiFromAdmin', {
        groupId: sg.attrGroupId,
        ipProtocol: 'tcp',
        fromPort: 6443,
        toPort: 6443,
        cidrIp: admin,
        description: 'Kubernetes API from spec.cluster.adminCidr',
      });
    }
    return sg;
  }

  /** VPC flow logs (rejected and accepted traffic) to a CloudWatch log group. */
  private flowLog(): void {
    const group = new logs.LogGroup(this, 'FlowLogGroup', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const role = new iam.Role(this, 'FlowLogRole', { assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [group.logGroupArn],
    }));
    new ec2.CfnFlowLog(this, 'FlowLog', {
      resourceId: this.vpc.ref,
      resourceType: 'VPC',
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logGroupName: group.logGroupName,
      deliverLogsPermissionArn: role.roleArn,
    });
  }
}

/**
 * AWS::EC2::SubnetCidrReservation is a documented CloudFormation type (CloudFormation User Guide,
 * aws-resource-ec2-subnetcidrreservation; aws-cdk-lib generates CfnSubnetCidrReservation from the CloudFormation
 * specification), but cfn-lint 1.51's bundled registry schemas lack it and report E3006 ("does not exist in
 * us-east-1"). That one check is switched off on these resources only, with this reason; every other rule applies.
 */
function lintable(r: ec2.CfnSubnetCidrReservation): ec2.CfnSubnetCidrReservation {
  r.cfnOptions.metadata = { ...r.cfnOptions.metadata, 'cfn-lint': { config: { ignore_checks: ['E3006'] } } };
  return r;
}
