import { Aws, Fn, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';
import { MultinicError } from '../lib/errors';
import type { NetworkIntent } from '../lib/intent/types';
import { NODE_SETUP_COMMANDS, nodeFiles } from '../lib/node/node-files';
import { nodeLabels } from '../lib/node/node-labels';
import { supportedKubernetesMinors, VERSIONS } from '../lib/versions';
import { CALICO, INFRA_DEFAULTS, TAGS } from './defaults';
import type { NetworkStack } from './network-stack';
import { NodeGroup } from './node-group';
import { kubernetesMinor, pascal } from './private/plan';
import { type NodeFile, nodeUserData, writeBootstrapBundle } from './user-data';

/** Returns the files a node of `groupName` needs for the in-guest ENI setup (`/etc/multinic/node.json`, ...). */
export type NodeFilesFn = (intent: NetworkIntent, groupName: string) => readonly NodeFile[];

export interface ClusterStackProps extends StackProps {
  readonly intent: NetworkIntent;
  readonly network: NetworkStack;
  /**
   * Directory of `*.k8s.yaml` manifests (the cdk8s app's output), shipped as an S3 asset and applied by the control
   * plane with server-side apply after Calico.
   */
  readonly manifestsDir: string;
  /** Node files of the in-guest ENI setup, per node group. @default - `nodeFiles` of lib/node */
  readonly nodeFiles?: NodeFilesFn;
  /** Text of the in-guest ENI script. @default - `infra/node/multinic-eni.sh` */
  readonly eniScript?: string;
}

/** `key=value` node labels of a group (lib/node/node-labels.ts; re-exported for existing callers). */
export { nodeLabels };

/**
 * The Kubernetes cluster: a kubeadm control plane and the worker node groups of the intent, the KMS key of the join
 * data, and the manifests and bootstrap bundle as S3 assets.
 */
export class ClusterStack extends Stack {
  public readonly nodeGroups: ReadonlyMap<string, NodeGroup>;
  /** Customer managed key of the join-data SecureString. */
  public readonly joinKey: kms.CfnKey;
  /** SSM parameter name of the join data (created by the control plane at boot; CloudFormation cannot create SecureStrings). */
  public readonly joinParameterName: string;
  public readonly manifests: s3assets.Asset;
  public readonly bundle: s3assets.Asset;

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id, props);
    const { intent, network } = props;
    const cluster = intent.metadata.name;
    const spec = intent.spec;
    Tags.of(this).add(TAGS.cluster, cluster);

    const minor = `1.${kubernetesMinor(spec.cluster.kubernetesVersion)}`;
    const supported = supportedKubernetesMinors();
    if (!supported.includes(minor)) {
      throw new MultinicError('KUBERNETES_UNSUPPORTED', `spec.cluster.kubernetesVersion: ${spec.cluster.kubernetesVersion} is not a Kubernetes minor that every pinned component supports (${supported.join(', ')}: the support windows in lib/versions.ts); use ${VERSIONS.kubernetes.version.slice(1)}, or bump the pins as docs/deploy.md ("How to bump") says.`);
    }
    const controlPlanes = spec.nodeGroups.filter((g) => g.role === 'control-plane');
    if (controlPlanes.length !== 1 || controlPlanes[0].count !== 1) {
      throw new MultinicError('CONTROL_PLANE_COUNT', `spec.nodeGroups: multinic deploys exactly one control-plane node (one group with role: control-plane and count: 1; found ${controlPlanes.length} group(s) with ${controlPlanes.reduce((n, g) => n + g.count, 0)} node(s)); a highly available control plane is not modelled yet.`);
    }

    // The stack's UUID makes the parameter name unique per deployment: a parameter left by an earlier, deleted
    // cluster of the same name can never be mistaken for this one's.
    const deployment = Fn.select(2, Fn.split('/', Aws.STACK_ID));
    this.joinParameterName = `/multinic/${cluster}/${deployment}/join`;
    const parameterArn = `arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:parameter${this.joinParameterName}`;
    const onlyThisParameter = { StringEquals: { 'kms:EncryptionContext:PARAMETER_ARN': parameterArn } };

    this.joinKey = new kms.CfnKey(this, 'JoinKey', {
      description: `multinic ${cluster}: encrypts the kubeadm join data (SSM SecureString)`,
      enableKeyRotation: true,
      pendingWindowInDays: 7,
      keyPolicy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'AccountAdministers',
            principals: [new iam.AccountRootPrincipal()],
            actions: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:EnableKeyRotation', 'kms:DisableKeyRotation', 'kms:EnableKey', 'kms:DisableKey', 'kms:UpdateKeyDescription', 'kms:ListResourceTags', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'],
            resources: ['*'],
          }),
          new iam.PolicyStatement({
            sid: 'UseOnlyForTheJoinParameter',
            principals: [new iam.AccountRootPrincipal()],
            actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
            resources: ['*'],
            conditions: onlyThisParameter,
          }),
        ],
      }),
    });

    this.manifests = new s3assets.Asset(this, 'Manifests', { path: props.manifestsDir });
    this.bundle = new s3assets.Asset(this, 'BootstrapBundle', { path: writeBootstrapBundle(props.eniScript) });

    const common: Record<string, string> = {
      MULTINIC_CLUSTER: cluster,
      AWS_REGION: Aws.REGION,
      K8S_VERSION: spec.cluster.kubernetesVersion,
      K8S_DEB_REVISION: INFRA_DEFAULTS.kubernetesDebRevision,
      JOIN_PARAMETER: this.joinParameterName,
      BUNDLE_BUCKET: this.bundle.s3BucketName,
      BUNDLE_KEY: this.bundle.s3ObjectKey,
    };
    const bundleRead = new iam.PolicyStatement({ sid: 'ReadBootstrapBundle', actions: ['s3:GetObject'], resources: [this.bundle.bucket.arnForObjects(this.bundle.s3ObjectKey)] });
    const keyArn = this.joinKey.attrArn;

    const groups = new Map<string, NodeGroup>();
    for (const group of spec.nodeGroups) {
      const isControlPlane = group.role === 'control-plane';
      const env: Record<string, string> = {
        ...common,
        MULTINIC_NODE_GROUP: group.name,
        NODE_LABELS: nodeLabels(intent, group).join(','),
        SOURCE_DEST_CHECK_OFF: group.interfaces.map((itf, i) => (itf.sourceDestCheck ? undefined : String(i + 1))).filter((x) => x !== undefined).join(' '),
        ...(isControlPlane
          ? {
            POD_CIDR: spec.cluster.podCidr,
            SERVICE_CIDR: spec.cluster.serviceCidr,
            JOIN_KEY_ARN: keyArn,
            JOIN_TOKEN_TTL: INFRA_DEFAULTS.joinTokenTtl,
            CALICO_URL: CALICO.manifestUrl,
            CALICO_SHA256: CALICO.manifestSha256,
            MANIFESTS_BUCKET: this.manifests.s3BucketName,
            MANIFESTS_KEY: this.manifests.s3ObjectKey,
          }
          : { JOIN_TIMEOUT: String(INFRA_DEFAULTS.joinTimeoutSeconds) }),
      };
      const statements = isControlPlane
        ? [
          bundleRead,
          new iam.PolicyStatement({ sid: 'PublishJoinData', actions: ['ssm:PutParameter'], resources: [parameterArn] }),
          new iam.PolicyStatement({ sid: 'EncryptJoinData', actions: ['kms:Encrypt', 'kms:GenerateDataKey'], resources: [keyArn], conditions: onlyThisParameter }),
          new iam.PolicyStatement({ sid: 'ReadManifests', actions: ['s3:GetObject'], resources: [this.manifests.bucket.arnForObjects(this.manifests.s3ObjectKey)] }),
        ]
        : [
          bundleRead,
          new iam.PolicyStatement({ sid: 'ReadJoinData', actions: ['ssm:GetParameter'], resources: [parameterArn] }),
          new iam.PolicyStatement({ sid: 'DecryptJoinData', actions: ['kms:Decrypt'], resources: [keyArn], conditions: onlyThisParameter }),
        ];
      const userData = nodeUserData({
        role: group.role,
        env,
        files: (props.nodeFiles ?? nodeFiles)(intent, group.name),
        eniSetupCommands: NODE_SETUP_COMMANDS,
        renewInterval: isControlPlane ? INFRA_DEFAULTS.joinRenewInterval : undefined,
      });
      groups.set(group.name, new NodeGroup(this, `NodeGroup${pascal(group.name)}`, { intent, group, network, userData, statements }));
    }
    this.nodeGroups = groups;
  }
}
