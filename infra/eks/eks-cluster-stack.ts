import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { Annotations, Aws, Stack, type StackProps, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';
import { groupCapacity } from '../../lib/eks/node-capacity';
import { EKS, minorOf } from '../../lib/eks/versions';
import { MultinicError } from '../../lib/errors';
import type { NetworkIntent } from '../../lib/intent/types';
import { NODE_SETUP_COMMANDS, nodeFiles } from '../../lib/node/node-files';
import type { NodeFilesFn } from '../cluster-stack';
import { nodeLabels } from '../cluster-stack';
import { TAGS } from '../defaults';
import { type NetworkStack, zoneName } from '../network-stack';
import { pascal } from '../private/plan';
import { bootstrapScript, eniScript } from '../user-data';
import { EksNodeGroup } from './eks-node-group';
import { functionRbac } from './function-rbac';
import { ClusterManifests } from './manifests';
import { NodeLifecycle } from './node-lifecycle';
import { PodReplacement } from './pod-replacement';
import { eksUserData } from './user-data';

/** Context key of an IAM principal ARN that gets cluster-admin through an access entry (docs/eks.md, "Access"). */
export const EKS_ADMIN_CONTEXT = 'multinic:eksAdminPrincipalArn';

export interface EksClusterStackProps extends StackProps {
  readonly intent: NetworkIntent;
  readonly network: NetworkStack;
  /** Directory of `*.k8s.yaml` manifests (the charts' output), applied to the cluster on every deploy. */
  readonly manifestsDir: string;
  /** @default - `nodeFiles` of lib/node */
  readonly nodeFiles?: NodeFilesFn;
  /** @default - `infra/node/multinic-eni.sh` */
  readonly eniScript?: string;
  /**
   * IAM principal (role or user ARN) given cluster-admin through an access entry.
   * @default - context `multinic:eksAdminPrincipalArn`; without it nobody but the kubectl handler is admin
   */
  readonly adminPrincipalArn?: string;
}

/** Files of the node bundle: the ENI script and the kubeadm path's source/destination-check step with its helpers. */
export function writeEksBundle(eni: string = eniScript()): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-eks-bundle-'));
  fs.writeFileSync(path.join(dir, 'multinic-eni.sh'), eni, { mode: 0o755 });
  for (const f of ['lib.sh', 'source-dest-check.sh']) fs.writeFileSync(path.join(dir, f), bootstrapScript(f), { mode: 0o755 });
  return dir;
}

/**
 * The cluster of flavour eks: an Amazon EKS control plane (aws-eks-v2: the native AWS::EKS::Cluster, access
 * entries, API authentication mode) reachable only inside the VPC, the intent's worker groups (EKS-optimised AL2023,
 * nodeadm, secondary ENIs attached at launch), and the charts' manifests applied by the kubectl handler.
 */
export class EksClusterStack extends Stack {
  public readonly cluster: eks.Cluster;
  public readonly nodeGroups: ReadonlyMap<string, EksNodeGroup>;
  public readonly bundle: s3assets.Asset;
  public readonly manifests: ClusterManifests;
  public readonly secretsKey: kms.Key;
  /** RBAC of multinic's functions, applied before anything else (infra/eks/function-rbac.ts). */
  public readonly functionAccess: eks.KubernetesManifest;
  public readonly podReplacement: PodReplacement;
  public readonly nodeLifecycle: NodeLifecycle;

  constructor(scope: Construct, id: string, props: EksClusterStackProps) {
    super(scope, id, props);
    const { intent, network } = props;
    const name = intent.metadata.name;
    const spec = intent.spec;
    Tags.of(this).add(TAGS.cluster, name);
    const minor = minorOf(spec.cluster.kubernetesVersion);
    if (!EKS.supportedMinors.includes(minor)) {
      throw new MultinicError('EKS_VERSION', `spec.cluster.kubernetesVersion: ${spec.cluster.kubernetesVersion} is not deployed on EKS by multinic; use 1.${EKS.defaultMinor}.x (multinic:EksKubernetesVersion).`);
    }

    const zones = [...spec.vpc.zones];
    const nodeSubnets = zones.map((z) => {
      const s = network.nodeSubnets.get(z);
      if (!s) throw new Error(`internal: no node subnet in zone ${z}`);
      return ec2.Subnet.fromSubnetAttributes(this, `NodeSubnet${z.toUpperCase()}`, { subnetId: s.ref, availabilityZone: zoneName(z) });
    });
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: network.vpc.ref,
      vpcCidrBlock: spec.vpc.cidr,
      availabilityZones: zones.map(zoneName),
      privateSubnetIds: nodeSubnets.map((s) => s.subnetId),
    });

    this.secretsKey = new kms.Key(this, 'SecretsKey', {
      description: `multinic ${name}: envelope encryption of Kubernetes Secrets in the EKS cluster`,
      enableKeyRotation: true,
    });

    this.cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: `multinic-${name}`,
      version: eks.KubernetesVersion.of(`1.${minor}`),
      vpc,
      vpcSubnets: [{ subnets: nodeSubnets }],
      // Private only: nodes, the kubectl handler and a Session Manager port forward reach it inside the VPC.
      endpointAccess: eks.EndpointAccess.PRIVATE,
      // Nodes come from the intent's groups below, not from EKS Auto Mode or a default node group.
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      // The deploying principal is not made admin behind the user's back; admins are named (adminPrincipalArn).
      bootstrapClusterCreatorAdminPermissions: false,
      serviceIpv4Cidr: spec.cluster.serviceCidr,
      secretsEncryptionKey: this.secretsKey,
      clusterLogging: [
        eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR,
        eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER,
      ],
      kubectlProviderOptions: {
        kubectlLayer: new KubectlV36Layer(this, 'KubectlLayer'),
        privateSubnets: nodeSubnets,
      },
      outputConfigCommand: false,
    });
    const admin = props.adminPrincipalArn ?? (this.node.tryGetContext(EKS_ADMIN_CONTEXT) as string | undefined);
    if (admin !== undefined) this.cluster.grantClusterAdmin('AdminAccess', admin);

    this.bundle = new s3assets.Asset(this, 'NodeBundle', { path: writeEksBundle(props.eniScript) });
    const bundleRead = new iam.PolicyStatement({ sid: 'ReadNodeBundle', actions: ['s3:GetObject'], resources: [this.bundle.bucket.arnForObjects(this.bundle.s3ObjectKey)] });

    const groups = new Map<string, EksNodeGroup>();
    for (const group of spec.nodeGroups.filter((g) => g.role === 'worker')) {
      const cap = groupCapacity(intent, group);
      if (!cap) throw new MultinicError('EKS_NO_ENI_FOR_PODS', `spec.nodeGroups (${group.name}): instance type ${group.instanceType} is unknown or leaves no ENI for the VPC CNI after ${group.interfaces.length} secondary interface(s); see multinic:TooManyInterfaces.`);
      const userData = eksUserData({
        nodeConfig: {
          clusterName: this.cluster.clusterName,
          apiServerEndpoint: this.cluster.clusterEndpoint,
          certificateAuthority: this.cluster.clusterCertificateAuthorityData,
          serviceCidr: spec.cluster.serviceCidr,
          maxPods: cap.maxPods,
          labels: nodeLabels(intent, group),
        },
        env: {
          MULTINIC_CLUSTER: name,
          MULTINIC_NODE_GROUP: group.name,
          AWS_REGION: Aws.REGION,
          BUNDLE_BUCKET: this.bundle.s3BucketName,
          BUNDLE_KEY: this.bundle.s3ObjectKey,
          SOURCE_DEST_CHECK_OFF: group.interfaces.map((itf, i) => (itf.sourceDestCheck ? undefined : String(i + 1))).filter((x) => x !== undefined).join(' '),
        },
        files: (props.nodeFiles ?? nodeFiles)(intent, group.name),
        eniSetupCommands: NODE_SETUP_COMMANDS,
      });
      groups.set(group.name, new EksNodeGroup(this, `NodeGroup${pascal(group.name)}`, {
        intent, group, network, cluster: this.cluster, kubernetesMinor: minor, userData, statements: [bundleRead],
      }));
    }
    this.nodeGroups = groups;

    // What multinic's own functions may do in the cluster, before any of them runs.
    this.functionAccess = new eks.KubernetesManifest(this, 'FunctionAccess', { cluster: this.cluster, manifest: functionRbac(), prune: true, overwrite: true });
    this.podReplacement = new PodReplacement(this, 'PodReplacement', { cluster: this.cluster, subnets: nodeSubnets });
    this.podReplacement.node.addDependency(this.functionAccess);
    this.nodeLifecycle = new NodeLifecycle(this, 'NodeLifecycle', {
      cluster: this.cluster,
      subnets: nodeSubnets,
      autoScalingGroups: [...groups.values()].flatMap((g) => [...g.autoScalingGroups.values()]),
    });
    for (const hook of this.nodeLifecycle.hooks) hook.node.addDependency(this.functionAccess);

    this.manifests = new ClusterManifests(this, 'Manifests', { cluster: this.cluster, manifestsDir: props.manifestsDir, podReplacement: this.podReplacement });
    // The DaemonSets and workloads need nodes; the first manifest (CRDs, Multus) can go as soon as the API is up.
    for (const g of groups.values()) for (const asg of g.autoScalingGroups.values()) this.manifests.manifests.at(-1)?.node.addDependency(asg);
    acknowledgeEksConstructs(this);
  }
}

/** cdk-nag findings on what aws-eks-v2 itself creates (the cluster role, the kubectl handler), each with its reason. */
function acknowledgeEksConstructs(stack: Stack): void {
  const policy = (p: string) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${p}]`;
  const acks: Array<[string, string]> = [
    [policy('AmazonEKSClusterPolicy'), 'The EKS cluster role: the AWS managed policy EKS documents for it, kept in step with the service by AWS.'],
    [policy('service-role/AWSLambdaBasicExecutionRole'), 'aws-eks-v2\'s kubectl handler and its provider framework: CloudWatch Logs for the Lambda functions.'],
    [policy('service-role/AWSLambdaVPCAccessExecutionRole'), 'The kubectl handler runs in the node subnets to reach the private-only API endpoint: Lambda needs to manage its ENIs there.'],
    [policy('AmazonEC2ContainerRegistryReadOnly'), 'aws-eks-v2 gives the kubectl handler registry read access (for Helm charts from ECR); multinic applies plain manifests only.'],
    ['AwsSolutions-IAM4[Policy::{"Fn::If":["ClusterKubectlProviderHandlerHasEcrPublic69E09706",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]',
      'aws-eks-v2 adds ECR Public read access to the kubectl handler only in partitions that have ECR Public (Helm charts); multinic applies plain manifests only.'],
    ['AwsSolutions-IAM5[Resource::<ClusterKubectlProviderHandler2E05C68A.Arn>:*]', 'The provider framework invokes the kubectl handler function and its versions (the :* of the function ARN), nothing else.'],
  ];
  acks.push(['AwsSolutions-L1', 'aws-eks-v2 picks the kubectl handler\'s Python runtime (the newest this aws-cdk-lib release knows), so it is pinned by the aws-cdk-lib version.']);
  acks.push(['CloudFormation-Validate::W9009', 'aws-eks-v2 writes EncryptionConfig.Resources ["secrets"], which the CloudFormation schema marks deprecated but EKS still requires for envelope encryption of Secrets.']);
  for (const [id, reason] of acks) Validations.of(stack).acknowledge({ id, reason });
  // The node subnets come from the network stack by id; nothing here reads their route tables.
  Annotations.of(stack).acknowledgeWarning('@aws-cdk/aws-ec2:noSubnetRouteTableId', 'Imported node subnets: multinic never reads their route table here.');
  // multinic creates no load balancer; the subnet tag only matters to the AWS Load Balancer Controller.
  Annotations.of(stack).acknowledgeWarning('@aws-cdk/aws-eks:clusterMustManuallyTagSubnet', 'No load balancers: the internal-elb subnet tag is not needed.');
}
