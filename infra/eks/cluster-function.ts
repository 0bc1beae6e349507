import { Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { sourceDir } from '../user-data';

export interface ClusterFunctionProps {
  readonly cluster: eks.Cluster;
  /** Subnets that reach the private API endpoint (the node subnets). */
  readonly subnets: readonly ec2.ISubnet[];
  /** `file.export` in infra/eks/lambda/. */
  readonly handler: string;
  readonly description: string;
  readonly timeout: Duration;
  /** The Kubernetes group its access entry maps the function's role to (RBAC in infra/eks/function-rbac.ts). */
  readonly kubernetesGroup: string;
}

/**
 * A Lambda function of multinic's that talks to the EKS API: code from infra/eks/lambda/ (plain JavaScript, no
 * bundling: the same bytes in tests and in synth), in the node subnets behind the EKS cluster security group (the
 * endpoint is private; the kubectl handler of aws-eks-v2 sits there the same way), the cluster's endpoint and CA in
 * its environment, and an access entry of type STANDARD that maps its role to one Kubernetes group and no EKS access
 * policy: what the function may do is that group's RBAC (least privilege), not cluster-admin.
 */
export class ClusterFunction extends Construct {
  public readonly function: lambda.Function;
  public readonly accessEntry: eks.CfnAccessEntry;

  constructor(scope: Construct, id: string, props: ClusterFunctionProps) {
    super(scope, id);
    const { cluster } = props;
    this.function = new lambda.Function(this, 'Function', {
      // The newest Node.js runtime aws-cdk-lib knows. Its AWS SDK for JavaScript v3 (in every Node.js runtime from 18
      // on) provides @aws-sdk/client-auto-scaling and client-cloudformation: the asset holds only our own code.
      runtime: lambda.Runtime.NODEJS_24_X,
      code: lambda.Code.fromAsset(sourceDir('eks', 'lambda')),
      handler: props.handler,
      description: props.description,
      timeout: props.timeout,
      memorySize: 256,
      vpc: cluster.vpc,
      vpcSubnets: { subnets: [...props.subnets] },
      securityGroups: [cluster.clusterSecurityGroup],
      environment: {
        CLUSTER_NAME: cluster.clusterName,
        CLUSTER_ENDPOINT: cluster.clusterEndpoint,
        CLUSTER_CA: cluster.clusterCertificateAuthorityData,
      },
    });
    this.accessEntry = new eks.CfnAccessEntry(this, 'AccessEntry', {
      clusterName: cluster.clusterName,
      principalArn: this.function.role!.roleArn,
      type: 'STANDARD',
      kubernetesGroups: [props.kubernetesGroup],
    });
    const role = this.function.role!;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'CloudWatch Logs for the function: the AWS managed policy Lambda documents for it.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
      reason: 'The function runs in the node subnets to reach the private-only API endpoint: Lambda manages its ENIs there with this AWS managed policy.',
    });
  }
}
