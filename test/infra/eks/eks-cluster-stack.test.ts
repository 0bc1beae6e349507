process.env.CDK_VALIDATION = 'false';
import { Match } from 'aws-cdk-lib/assertions';
import { EKS_DEFAULTS, NODE_MANAGED_POLICIES } from '../../../infra/eks/defaults';
import { EKS_ADMIN_CONTEXT } from '../../../infra/eks/eks-cluster-stack';
import { TAGS } from '../../../infra/defaults';
import { expectResource, importOf, logicalId } from '../util';
import { richEksIntent, synthEks } from './util';

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('EksClusterStack', () => {
  // GIVEN an eks intent with two Multus ENIs on one group (one with the source/dest check off) and a plain group
  const s = synthEks(richEksIntent(), {}, { [EKS_ADMIN_CONTEXT]: 'arn:aws:iam::111122223333:role/Admin' });
  const { cluster, network } = s;
  const res = (type: string) => Object.entries(cluster.findResources(type));

  test('one EKS cluster of 1.36, private endpoint only, API authentication (access entries), no creator admin', () => {
    expectResource(cluster, 'AWS::EKS::Cluster', {
      Name: 'multinic-seed-lab',
      Version: '1.36',
      ResourcesVpcConfig: Match.objectLike({ EndpointPrivateAccess: true, EndpointPublicAccess: false }),
      AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false },
      KubernetesNetworkConfig: Match.objectLike({ ServiceIpv4Cidr: '10.96.0.0/12' }),
    });
    expect(res('AWS::EKS::Cluster')).toHaveLength(1);
    // no aws-auth ConfigMap anywhere: the manifests are the charts' own objects
    expect(JSON.stringify(cluster.toJSON())).not.toContain('aws-auth');
  });

  test('the control plane runs in the network stack\'s node subnets; Secrets are encrypted with a rotating key; every log type is on', () => {
    const c = res('AWS::EKS::Cluster')[0][1].Properties;
    const subnets = ['NodeSubnetA', 'NodeSubnetB'].map((id) => importOf(network, { Ref: logicalId(network, 'AWS::EC2::Subnet', id) }));
    expect(c.ResourcesVpcConfig.SubnetIds).toEqual(subnets);
    expect(c.EncryptionConfig[0].Resources).toEqual(['secrets']);
    expectResource(cluster, 'AWS::KMS::Key', { EnableKeyRotation: true });
    expect(c.Logging.ClusterLogging.EnabledTypes.map((t: { Type: string }) => t.Type)).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
  });

  test('access entries: each node group role as EC2_LINUX without policies, the named admin with cluster-admin, the kubectl handler, multinic\'s two functions', () => {
    const entries = res('AWS::EKS::AccessEntry').map(([, r]) => r.Properties);
    const nodes = entries.filter((e) => e.Type === 'EC2_LINUX');
    expect(nodes).toHaveLength(2);
    for (const e of nodes) expect(e.AccessPolicies).toEqual([]);
    const admin = entries.find((e) => e.PrincipalArn === 'arn:aws:iam::111122223333:role/Admin');
    expect(admin?.AccessPolicies[0].PolicyArn).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy']] });
    // multinic's functions: STANDARD entries that map their roles to one Kubernetes group each, no EKS access policy
    const functions = entries.filter((e) => e.Type === 'STANDARD');
    expect(functions.map((e) => e.KubernetesGroups)).toEqual([['multinic:pod-replacement'], ['multinic:node-lifecycle']]);
    for (const e of functions) expect(e.AccessPolicies).toBeUndefined();
    expect(entries).toHaveLength(6);
  });

  test('without the admin context nobody but the kubectl handler is admin', () => {
    const plain = synthEks(richEksIntent(), { manifestsDir: s.manifestsDir });
    const admins = Object.values(plain.cluster.findResources('AWS::EKS::AccessEntry')).filter((e) => e.Properties.AccessPolicies?.length);
    expect(admins.map((e) => e.Properties.PrincipalArn)).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^ClusterKubectlProviderHandlerServiceRole/), 'Arn'] }]);
  });

  test('launch template: EKS AL2023 AMI of the minor, IMDSv2 only with hop limit 1, encrypted gp3 root, no key pair', () => {
    const lt = res('AWS::EC2::LaunchTemplate').find(([id]) => id.startsWith('NodeGroupWorkers'))![1].Properties.LaunchTemplateData;
    expect(lt.MetadataOptions).toEqual({ HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1, HttpTokens: 'required' });
    expect(lt.BlockDeviceMappings).toEqual([{ DeviceName: '/dev/xvda', Ebs: { DeleteOnTermination: true, Encrypted: true, VolumeSize: 30, VolumeType: 'gp3' } }]);
    expect(lt.KeyName).toBeUndefined();
    const params = cluster.toJSON().Parameters as Record<string, { Default: string }>;
    expect(Object.values(params).map((p) => p.Default)).toContain(EKS_DEFAULTS.amiParameter(36));
    expect(EKS_DEFAULTS.amiParameter(36)).toBe('/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/x86_64/standard/recommended/image_id');
  });

  test('the intent\'s ENIs are attached at launch, each in its own subnet with its security group and prefixes; the primary carries the EKS cluster security group', () => {
    const lt = res('AWS::EC2::LaunchTemplate').find(([id]) => id.startsWith('NodeGroupWorkers'))![1].Properties.LaunchTemplateData;
    const [primary, multus0, storage0] = lt.NetworkInterfaces;
    expect(primary.DeviceIndex).toBe(0);
    expect(primary.SubnetId).toBeUndefined();
    expect(primary.Groups[0]).toEqual({ 'Fn::GetAtt': [logicalId(cluster, 'AWS::EKS::Cluster', 'Cluster'), 'ClusterSecurityGroupId'] });
    expect(primary.Groups[1]).toEqual(importOf(network, { 'Fn::GetAtt': [logicalId(network, 'AWS::EC2::SecurityGroup', 'ClusterSecurityGroup'), 'GroupId'] }));
    expect(multus0).toMatchObject({ DeviceIndex: 1, Ipv4PrefixCount: 4, DeleteOnTermination: true, SubnetId: importOf(network, { Ref: logicalId(network, 'AWS::EC2::Subnet', 'SubnetMultusA') }) });
    expect(storage0).toMatchObject({ DeviceIndex: 2, SubnetId: importOf(network, { Ref: logicalId(network, 'AWS::EC2::Subnet', 'SubnetStorageA') }) });
    expect(storage0.Ipv4PrefixCount).toBeUndefined();
    const eniTags = lt.TagSpecifications.find((t: { ResourceType: string }) => t.ResourceType === 'network-interface').Tags;
    expect(eniTags).toContainEqual({ Key: TAGS.noManage.key, Value: 'true' });
  });

  test('as with kubeadm (one shared launch-template construct), an ENI carrying networks gets their security groups; one carrying none the closed subnet group', () => {
    const lt = res('AWS::EC2::LaunchTemplate').find(([id]) => id.startsWith('NodeGroupWorkers'))![1].Properties.LaunchTemplateData;
    const [, multus0, storage0] = lt.NetworkInterfaces;
    const net = s.stacks.network;
    // the default intent's four networks on multus0, each with its own group (#20), and no subnet group beside them
    expect(multus0.Groups).toEqual([...net.networkSecurityGroups.values()].map((g) => importOf(network, net.resolve(g.attrGroupId))));
    expect(multus0.Groups).toHaveLength(4);
    expect(storage0.Groups).toEqual([importOf(network, net.resolve(net.secondarySubnets.get('storage-a')!.securityGroup.attrGroupId))]);
  });

  test('a group with ENIs is pinned to their zone; nodes roll one at a time, new node first, on Ready signals; they wait for their access entry', () => {
    const [[, asg]] = res('AWS::AutoScaling::AutoScalingGroup').filter(([id]) => id.startsWith('NodeGroupWorkers'));
    expect(asg.Properties.VPCZoneIdentifier).toEqual([importOf(network, { Ref: logicalId(network, 'AWS::EC2::Subnet', 'NodeSubnetA') })]);
    expect(asg.UpdatePolicy.AutoScalingRollingUpdate).toEqual({
      MaxBatchSize: 1, MinInstancesInService: 2, PauseTime: 'PT20M', WaitOnResourceSignals: true,
      SuspendProcesses: ['HealthCheck', 'ReplaceUnhealthy', 'AZRebalance', 'AlarmNotification', 'ScheduledActions'],
    });
    // the group's two workers stay in service while a third, new, one comes up
    expect([asg.Properties.MinSize, asg.Properties.DesiredCapacity, asg.Properties.MaxSize]).toEqual(['2', '2', '3']);
    expect(asg.DependsOn).toEqual(expect.arrayContaining([logicalId(cluster, 'AWS::EKS::AccessEntry', 'NodeGroupWorkersAccessEntry')]));
  });

  test('node roles: the three EKS node policies, bundle read, source/dest check only where asked, tag-scoped; no wildcard action', () => {
    const role = res('AWS::IAM::Role').find(([id]) => id.startsWith('NodeGroupWorkersRole'))![1].Properties;
    expect(role.ManagedPolicyArns.map((a: unknown) => JSON.stringify(a))).toEqual(NODE_MANAGED_POLICIES.map((p) => JSON.stringify({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${p}`]] })));
    const statements = (group: string): Statement[] => res('AWS::IAM::Policy').filter(([id]) => id.startsWith(`NodeGroup${group}`)).flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const workers = statements('Workers');
    expect(workers.map((x) => x.Sid).sort()).toEqual(['ReadNodeBundle', 'SessionManager', 'SourceDestCheckOff']);
    expect(workers.find((x) => x.Sid === 'SourceDestCheckOff')?.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/multinic.dev/cluster': 'seed-lab', 'aws:ResourceTag/multinic.dev/node-group': 'workers' } });
    expect(statements('Plain').map((x) => x.Sid).sort()).toEqual(['ReadNodeBundle', 'SessionManager']);
    for (const st of [...workers, ...statements('Plain')]) for (const a of actions(st)) expect(a).not.toContain('*');
  });

  test('the charts\' files are applied in file order, each after the one before (the workloads after their Pod replacement), the last after the nodes exist', () => {
    const manifests = res('Custom::AWSCDK-EKS-KubernetesResource').filter(([id]) => id.startsWith('Manifests'));
    // (no 0001-whereabouts: no network of the default intent uses Whereabouts)
    expect(manifests.map(([id]) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual(['Manifests0000multus', 'Manifests0002networks', 'Manifests0003workloads']);
    const [, replacement] = res('Custom::MultinicPodReplacement').find(([id]) => id.startsWith('PodReplacementPods0003workloads'))!;
    expect(replacement.DependsOn).toContain(manifests[1][0]);
    expect(manifests[2][1].DependsOn).toContain(res('Custom::MultinicPodReplacement')[0][0]);
    expect(manifests[1][1].DependsOn).toContain(manifests[0][0]);
    expect(manifests[manifests.length - 1][1].DependsOn.some((d: string) => d.startsWith('NodeGroupWorkersAutoScalingGroup'))).toBe(true);
    for (const [, m] of manifests) expect(m.Properties.PruneLabel).toMatch(/^aws\.cdk\.eks\/prune-/);
  });

  test('Multus delegates to the VPC CNI: the applied daemon config names aws-cni and waits for 10-aws.conflist', () => {
    const multus = res('Custom::AWSCDK-EKS-KubernetesResource').find(([id]) => id.startsWith('Manifests0000multus'))![1];
    const objects = JSON.parse(multus.Properties.Manifest as string) as Array<{ kind: string; data?: Record<string, string> }>;
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.data?.['daemon-config.json']);
    const config = JSON.parse(cm!.data!['daemon-config.json']) as Record<string, unknown>;
    expect(config.clusterNetwork).toBe('aws-cni');
    expect(config.readinessindicatorfile).toBe('/host/etc/cni/net.d/10-aws.conflist');
  });

  test('the kubectl handler runs in the node subnets (the endpoint is private) with kubectl 1.36 from the npm layer', () => {
    const fn = res('AWS::Lambda::Function').find(([id]) => id.startsWith('ClusterKubectlProviderHandler'))![1].Properties;
    expect(fn.VpcConfig.SubnetIds).toHaveLength(2);
    const layers = res('AWS::Lambda::LayerVersion').map(([, l]) => l.Properties.Description);
    expect(layers).toContainEqual(expect.stringMatching(/^\/opt\/kubectl\/kubectl 1\.36\./));
  });
});
