process.env.CDK_VALIDATION = 'false';
import { EKS_FUNCTIONS } from '../../../infra/eks/defaults';
import { LIFECYCLE_DETAIL_TYPES, READY_HOOK_NAME } from '../../../infra/eks/node-lifecycle';
import { DRAIN_HOOK_NAME } from '../../../infra/node-group';
import { richEksIntent, synthEks } from './util';

type Res = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };

describe('NodeLifecycle (EKS): ready and drain hooks, their rule, the function and its rights', () => {
  const { cluster } = synthEks(richEksIntent());
  const res = (type: string) => Object.entries(cluster.findResources(type)) as Array<[string, Res]>;
  const asgs = res('AWS::AutoScaling::AutoScalingGroup').map(([id]) => id);
  const fnId = res('AWS::Lambda::Function').find(([id]) => id.startsWith('NodeLifecycleHandlerFunction'))![0];

  test('every worker group has a launch hook (multinic-ready, ABANDON by default) and a termination hook (multinic-drain, CONTINUE) naming its resource', () => {
    const hooks = res('AWS::AutoScaling::LifecycleHook').map(([, h]) => h);
    expect(asgs).toHaveLength(2);
    for (const asg of asgs) {
      const mine = hooks.filter((h) => h.Properties.AutoScalingGroupName.Ref === asg);
      expect(mine.map((h) => [h.Properties.LifecycleHookName, h.Properties.LifecycleTransition, h.Properties.DefaultResult, h.Properties.HeartbeatTimeout])).toEqual([
        [READY_HOOK_NAME, 'autoscaling:EC2_INSTANCE_LAUNCHING', 'ABANDON', EKS_FUNCTIONS.lifecycleHeartbeatSeconds],
        [DRAIN_HOOK_NAME, 'autoscaling:EC2_INSTANCE_TERMINATING', 'CONTINUE', EKS_FUNCTIONS.lifecycleHeartbeatSeconds],
      ]);
      for (const h of mine) {
        expect(JSON.stringify(h.Properties.NotificationMetadata)).toContain(`\\"resource\\":\\"${asg}\\"`);
        expect(JSON.stringify(h.Properties.NotificationMetadata)).toContain('AWS::StackName');
        // no action before the rule, the function and its RBAC exist
        expect(h.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^NodeLifecycleRule/), fnId, expect.stringMatching(/^FunctionAccess/)]));
      }
    }
    // the heartbeat outlasts the function, so the function answers first
    expect(EKS_FUNCTIONS.lifecycleHeartbeatSeconds).toBeGreaterThan(EKS_FUNCTIONS.nodeLifecycleTimeoutSeconds);
  });

  test('one rule: Auto Scaling lifecycle actions of these groups and hooks only, to the function with bounded retries', () => {
    const [[, rule]] = res('AWS::Events::Rule');
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.autoscaling'],
      'detail-type': [...LIFECYCLE_DETAIL_TYPES],
      detail: { AutoScalingGroupName: asgs.map((a) => ({ Ref: a })), LifecycleHookName: [READY_HOOK_NAME, DRAIN_HOOK_NAME] },
    });
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 } })]);
  });

  test('the function: Node.js 24 from infra/eks/lambda, in the node subnets behind the EKS cluster security group, the endpoint and CA in its environment', () => {
    const f = cluster.findResources('AWS::Lambda::Function')[fnId].Properties;
    expect(f.Runtime).toBe('nodejs24.x');
    expect(f.Handler).toBe('node-lifecycle.handler');
    expect(f.Timeout).toBe(EKS_FUNCTIONS.nodeLifecycleTimeoutSeconds);
    expect(f.VpcConfig.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Cluster/), 'ClusterSecurityGroupId'] }]);
    expect(f.VpcConfig.SubnetIds).toHaveLength(2);
    expect(Object.keys(f.Environment.Variables).sort()).toEqual(['CLUSTER_CA', 'CLUSTER_ENDPOINT', 'CLUSTER_NAME']);
  });

  test('its IAM: complete lifecycle actions of these groups, signal this stack; nothing else beyond Lambda\'s logs and VPC access', () => {
    const policies = res('AWS::IAM::Policy').filter(([id]) => id.startsWith('NodeLifecycle'));
    const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<{ Sid: string; Action: string; Resource: unknown }>);
    expect(statements.map((s) => [s.Sid, s.Action])).toEqual([['CompleteLifecycleActions', 'autoscaling:CompleteLifecycleAction'], ['SignalReady', 'cloudformation:SignalResource']]);
    expect(statements[0].Resource).toEqual(asgs.map((a) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':autoscaling:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':autoScalingGroup:*:autoScalingGroupName/', { Ref: a }]] })));
    expect(JSON.stringify(statements[1].Resource)).toContain(':stack/');
    expect(JSON.stringify(statements[1].Resource)).toContain('AWS::StackName');
  });
});
