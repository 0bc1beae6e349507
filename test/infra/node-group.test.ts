process.env.CDK_VALIDATION = 'false';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { INFRA_DEFAULTS, TAGS } from '../../infra/defaults';
import { DRAIN_HOOK_NAME } from '../../infra/node-group';
import { importOf, intentWith, logicalId, richIntent, synth, expectResource } from './util';

describe('NodeGroup', () => {
  // GIVEN an intent with every ENI feature, synthesized once for the whole block
  const s = synth(richIntent());
  const { network, cluster } = s;
  const net = s.stacks.network;
  const netRes = (token: string) => importOf(network, net.resolve(token));
  const lt = (group: string) => cluster.toJSON().Resources[logicalId(cluster, 'AWS::EC2::LaunchTemplate', `NodeGroup${group}LaunchTemplate`)].Properties.LaunchTemplateData;

  test('secondary ENIs are attached at launch in intent order, with subnet, security group, prefixes and DeleteOnTermination', () => {
    // WHEN the launch template of the two-ENI group is read
    const nics = lt('WorkersA').NetworkInterfaces;
    // THEN the primary comes first with the cluster group and no subnet (the ASG picks it), then the intent's ENIs
    expect(nics).toEqual([
      { DeviceIndex: 0, Groups: [netRes(net.clusterSecurityGroup.attrGroupId)], DeleteOnTermination: true, Description: 'multinic seed-lab: primary (cluster network)' },
      {
        DeviceIndex: 1, SubnetId: netRes(net.secondarySubnets.get('multus-a')!.subnet.ref), Groups: [netRes(net.secondarySubnets.get('multus-a')!.securityGroup.attrGroupId)],
        DeleteOnTermination: true, Description: 'multinic seed-lab: multus0 in multus-a', Ipv4PrefixCount: 2,
      },
      {
        DeviceIndex: 2, SubnetId: netRes(net.secondarySubnets.get('storage-a')!.subnet.ref), Groups: [netRes(net.secondarySubnets.get('storage-a')!.securityGroup.attrGroupId)],
        DeleteOnTermination: true, Description: 'multinic seed-lab: storage0 in storage-a',
      },
    ]);
  });

  test('an interface without prefixes asks for none', () => {
    const nics = lt('WorkersB').NetworkInterfaces as Array<Record<string, unknown>>;
    expect(nics).toHaveLength(2);
    expect(nics[1]).not.toHaveProperty('Ipv4PrefixCount');
    expect(nics[1].SubnetId).toEqual(netRes(net.secondarySubnets.get('multus-b')!.subnet.ref));
  });

  test('an ENI whose interface carries networks gets their security groups instead of the closed subnet group', () => {
    // GIVEN the default intent: four networks on multus0
    const d = synth(intentWith());
    const dnet = d.stacks.network;
    const nics = d.cluster.toJSON().Resources[logicalId(d.cluster, 'AWS::EC2::LaunchTemplate', 'NodeGroupWorkersLaunchTemplate')].Properties.LaunchTemplateData.NetworkInterfaces;
    expect(nics[1].Groups).toEqual([...dnet.networkSecurityGroups.values()].map((g) => importOf(d.network, dnet.resolve(g.attrGroupId))));
    expect(nics[1].Groups).toHaveLength(4);
  });

  test('a group without secondary ENIs has only the primary', () => {
    expect(lt('ControlPlane').NetworkInterfaces).toHaveLength(1);
  });

  test('every launched ENI carries the no_manage tag, the cluster and the group', () => {
    const spec = (lt('WorkersA').TagSpecifications as Array<{ ResourceType: string; Tags: unknown[] }>).find((t) => t.ResourceType === 'network-interface');
    expect(spec?.Tags).toEqual(expect.arrayContaining([
      { Key: TAGS.noManage.key, Value: 'true' },
      { Key: TAGS.cluster, Value: 'seed-lab' },
      { Key: TAGS.nodeGroup, Value: 'workers-a' },
    ]));
  });

  test.each(['ControlPlane', 'WorkersA', 'WorkersB'])('%s: IMDSv2 required with hop limit 1, encrypted gp3 root, no key pair, no instance-level groups', (group) => {
    const data = lt(group);
    expect(data.MetadataOptions).toEqual({ HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: INFRA_DEFAULTS.imdsHopLimit });
    expect(INFRA_DEFAULTS.imdsHopLimit).toBe(1);
    expect(data.BlockDeviceMappings).toEqual([{ DeviceName: '/dev/sda1', Ebs: { Encrypted: true, VolumeType: 'gp3', VolumeSize: INFRA_DEFAULTS.rootVolumeGiB, DeleteOnTermination: true } }]);
    expect(data).not.toHaveProperty('KeyName');
    expect(data).not.toHaveProperty('SecurityGroupIds');
    expect(data).not.toHaveProperty('SecurityGroups');
  });

  test('the AMI is pinned by the NodeAmiId parameter, never an SSM parameter resolved again on each deployment', () => {
    const params = cluster.toJSON().Parameters as Record<string, { Type: string; Default?: string; Description: string }>;
    // (the only SSM parameter left is the CDK bootstrap version check, which resolves no image)
    expect(Object.values(params).filter((p) => p.Type.startsWith('AWS::SSM::Parameter::Value')).map((p) => p.Default)).toEqual(['/cdk-bootstrap/hnb659fds/version']);
    expect(params.NodeAmiId).toMatchObject({ Type: 'AWS::EC2::Image::Id' });
    expect(params.NodeAmiId.Description).toContain(INFRA_DEFAULTS.ubuntuAmiParameter);
    for (const lt of Object.values(cluster.findResources('AWS::EC2::LaunchTemplate'))) {
      expect(lt.Properties.LaunchTemplateData.ImageId).toEqual({ Ref: 'NodeAmiId' });
    }
  });

  test('the NodeAmiId default comes from context multinic:nodeAmiId (pinned on purpose), and there is none otherwise', () => {
    expect((cluster.toJSON().Parameters.NodeAmiId as { Default?: string }).Default).toBeUndefined();
    const pinned = synth(richIntent(), {}, { [INFRA_DEFAULTS.amiContextKey]: 'ami-0123456789abcdef0' });
    expect(pinned.cluster.toJSON().Parameters.NodeAmiId.Default).toBe('ami-0123456789abcdef0');
  });

  test('a group with secondary ENIs gets one Auto Scaling group, in the zone of its subnets; a group without spans every zone', () => {
    const asg = (id: string) => cluster.toJSON().Resources[logicalId(cluster, 'AWS::AutoScaling::AutoScalingGroup', id)].Properties;
    expect(asg('NodeGroupWorkersAAutoScalingGroupA').VPCZoneIdentifier).toEqual([netRes(net.nodeSubnets.get('a')!.ref)]);
    expect(asg('NodeGroupWorkersBAutoScalingGroupB').VPCZoneIdentifier).toEqual([netRes(net.nodeSubnets.get('b')!.ref)]);
    expect(asg('NodeGroupControlPlaneAutoScalingGroup').VPCZoneIdentifier).toEqual([netRes(net.nodeSubnets.get('a')!.ref), netRes(net.nodeSubnets.get('b')!.ref)]);
    expect(asg('NodeGroupWorkersAAutoScalingGroupA')).toMatchObject({ MinSize: '2', MaxSize: '3', DesiredCapacity: '2' });
    expect(asg('NodeGroupControlPlaneAutoScalingGroup')).toMatchObject({ MinSize: '1', MaxSize: '1', DesiredCapacity: '1' });
  });

  test('every group waits for one signal per node at creation; workers roll one at a time, new node first, on signals', () => {
    const res = (id: string) => cluster.toJSON().Resources[logicalId(cluster, 'AWS::AutoScaling::AutoScalingGroup', id)];
    expect(res('NodeGroupWorkersAAutoScalingGroupA').CreationPolicy).toEqual({
      ResourceSignal: { Count: 2, Timeout: INFRA_DEFAULTS.signalTimeout },
      AutoScalingCreationPolicy: { MinSuccessfulInstancesPercent: 100 },
    });
    expect(res('NodeGroupControlPlaneAutoScalingGroup').CreationPolicy.ResourceSignal).toEqual({ Count: 1, Timeout: INFRA_DEFAULTS.signalTimeout });
    expect(res('NodeGroupWorkersAAutoScalingGroupA').UpdatePolicy).toEqual({
      AutoScalingRollingUpdate: {
        MaxBatchSize: 1, MinInstancesInService: 2, PauseTime: INFRA_DEFAULTS.signalTimeout, WaitOnResourceSignals: true,
        SuspendProcesses: ['HealthCheck', 'ReplaceUnhealthy', 'AZRebalance', 'AlarmNotification', 'ScheduledActions'],
      },
    });
    expect(res('NodeGroupControlPlaneAutoScalingGroup').UpdatePolicy).toBeUndefined();
  });

  test('each worker Auto Scaling group has a termination hook the drain loop completes; the control plane has none', () => {
    const hooks = Object.values(cluster.findResources('AWS::AutoScaling::LifecycleHook')).map((h) => h.Properties);
    const workerGroups = ['NodeGroupWorkersAAutoScalingGroupA', 'NodeGroupWorkersBAutoScalingGroupB'].map((id) => logicalId(cluster, 'AWS::AutoScaling::AutoScalingGroup', id));
    expect(hooks.map((h) => h.AutoScalingGroupName).sort()).toEqual(workerGroups.map((id) => ({ Ref: id })).sort((a, b) => a.Ref.localeCompare(b.Ref)));
    for (const h of hooks) {
      expect(h).toMatchObject({ LifecycleHookName: DRAIN_HOOK_NAME, LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING', DefaultResult: 'CONTINUE', HeartbeatTimeout: INFRA_DEFAULTS.drainHeartbeatSeconds });
    }
    expect(INFRA_DEFAULTS.drainTimeoutSeconds).toBeLessThan(INFRA_DEFAULTS.drainHeartbeatSeconds);
  });

  test('only the group with sourceDestCheck: false may turn the check off, only on this cluster\'s and group\'s ENIs', () => {
    expectResource(cluster, 'AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Sid: 'SourceDestCheckOff',
        Action: 'ec2:ModifyNetworkInterfaceAttribute',
        Condition: { StringEquals: { [`aws:ResourceTag/${TAGS.cluster}`]: 'seed-lab', [`aws:ResourceTag/${TAGS.nodeGroup}`]: 'workers-a' } },
      })]) },
    });
    const withSdc = Object.values(cluster.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes('SourceDestCheckOff'));
    expect(withSdc).toHaveLength(1);
  });
});

describe('resource count', () => {
  test('is the same for 3 and 300 nodes: the node count is Auto Scaling capacity', () => {
    // GIVEN the same intent with 3 and with 300 workers per group, without delegated prefixes (300 nodes' prefixes
    // would not fit the /24 subnets; prefix reservations are one resource per aligned block, see network-stack.test.ts)
    const noPrefixes = (n: number) => intentWith((raw: any) => {
      const rich = richIntent(n);
      raw.spec = { ...rich.spec, nodeGroups: rich.spec.nodeGroups.map((g) => ({ ...g, interfaces: g.interfaces.map((i) => ({ ...i, ipv4PrefixCount: 0 })) })) };
    });
    const small = synth(noPrefixes(3));
    const large = synth(noPrefixes(300));
    // WHEN the resources of both stacks are counted
    const count = (t: Template) => Object.keys(t.toJSON().Resources).length;
    // THEN the counts match and only the capacity differs
    expect(count(large.cluster)).toBe(count(small.cluster));
    expect(count(large.network)).toBe(count(small.network));
    expectResource(large.cluster, 'AWS::AutoScaling::AutoScalingGroup', { DesiredCapacity: '300', MaxSize: '301' });
    expectResource(small.cluster, 'AWS::AutoScaling::AutoScalingGroup', { DesiredCapacity: '3' });
  });
});
