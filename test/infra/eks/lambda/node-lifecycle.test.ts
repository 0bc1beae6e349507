/**
 * The node lifecycle function's decisions (infra/eks/lambda/node-lifecycle.js), its AWS calls through
 * aws-sdk-client-mock: which Node an instance is, what a drain evicts and skips, that a refused eviction is retried
 * until the deadline, and how each lifecycle action is completed and signalled. Eviction, PodDisruptionBudgets and
 * RBAC on a real API server: test/cluster/eks.test.ts.
 */
import { AutoScalingClient, CompleteLifecycleActionCommand } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient, SignalResourceCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { FakeKube, type FakeNode, type FakePod } from './fake-kube';

const fn = require('../../../../infra/eks/lambda/node-lifecycle.js');

const asMock = mockClient(AutoScalingClient);
const cfnMock = mockClient(CloudFormationClient);
beforeEach(() => { asMock.reset(); cfnMock.reset(); asMock.on(CompleteLifecycleActionCommand).resolves({}); cfnMock.on(SignalResourceCommand).resolves({}); });

const node = (name: string, instance: string, ready = true): FakeNode => ({
  metadata: { name }, spec: { providerID: `aws:///us-east-1a/${instance}` }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const pod = (name: string, nodeName: string, extra: Partial<FakePod['metadata']> = {}): FakePod => ({ metadata: { namespace: 'w', name, uid: `${name}-u`, ...extra }, spec: { nodeName } });
const lifecycle = (type: 'launch' | 'terminate', instance: string) => ({
  'detail-type': type === 'launch' ? 'EC2 Instance-launch Lifecycle Action' : 'EC2 Instance-terminate Lifecycle Action',
  source: 'aws.autoscaling',
  detail: {
    LifecycleActionToken: 'tok', AutoScalingGroupName: 'asg-a', LifecycleHookName: type === 'launch' ? 'multinic-ready' : 'multinic-drain', EC2InstanceId: instance,
    NotificationMetadata: JSON.stringify({ stack: 'multinic-lab-cluster', resource: 'NodeGroupWorkersAutoScalingGroupA1' }),
  },
});
const context = (ms: number) => ({ getRemainingTimeInMillis: () => ms });
const deps = (kube: FakeKube, log: string[] = []) => ({ kube, autoscaling: new AutoScalingClient({}), cloudformation: new CloudFormationClient({}), pollMs: 5, marginMs: 0, log: (s: string) => log.push(s) });

describe('node-lifecycle: terminate (drain)', () => {
  test('cordons the instance\'s Node, evicts its pods but DaemonSet and mirror pods, deletes the Node, continues', async () => {
    const kube = new FakeKube([
      pod('app', 'n1'), pod('bare', 'n1'), pod('ds', 'n1', { ownerReferences: [{ kind: 'DaemonSet' }] }),
      pod('mirror', 'n1', { annotations: { 'kubernetes.io/config.mirror': 'x' } }), pod('elsewhere', 'n2'),
    ], [node('n1', 'i-0aaa'), node('n2', 'i-0bbb')]);
    const r = await fn.handler(lifecycle('terminate', 'i-0aaa'), context(60_000), deps(kube));
    expect(r).toEqual({ instance: 'i-0aaa', result: 'CONTINUE', node: 'n1' });
    expect(kube.calls).toContain('PATCH /api/v1/nodes/n1');
    expect(kube.calls.filter((c) => c.endsWith('/eviction')).sort()).toEqual(['POST /api/v1/namespaces/w/pods/app/eviction', 'POST /api/v1/namespaces/w/pods/bare/eviction']);
    expect(kube.pods.map((p) => p.metadata.name)).toEqual(['ds', 'mirror', 'elsewhere']);
    expect(kube.nodes.map((n) => n.metadata.name)).toEqual(['n2']);
    // the cordon comes before any eviction, the Node's deletion after the last
    expect(kube.calls.indexOf('PATCH /api/v1/nodes/n1')).toBeLessThan(kube.calls.findIndex((c) => c.endsWith('/eviction')));
    expect(kube.calls.at(-1)).toBe('DELETE /api/v1/nodes/n1');
    expect(asMock.commandCalls(CompleteLifecycleActionCommand).map((c) => c.args[0].input)).toEqual([{
      AutoScalingGroupName: 'asg-a', LifecycleHookName: 'multinic-drain', LifecycleActionToken: 'tok', InstanceId: 'i-0aaa', LifecycleActionResult: 'CONTINUE',
    }]);
    expect(cfnMock.commandCalls(SignalResourceCommand)).toHaveLength(0);
  });

  test('an eviction a PodDisruptionBudget refuses is retried until it is allowed', async () => {
    const kube = new FakeKube([pod('guarded', 'n1')], [node('n1', 'i-0aaa')]);
    let refusals = 3;
    kube.blocked = () => refusals-- > 0;
    const log: string[] = [];
    await fn.handler(lifecycle('terminate', 'i-0aaa'), context(60_000), deps(kube, log));
    expect(kube.calls.filter((c) => c.endsWith('/eviction'))).toHaveLength(4);
    expect(log.filter((l) => l.includes('refused for now (PodDisruptionBudget)'))).toHaveLength(3);
    expect(kube.pods).toEqual([]);
  });

  test('a drain that cannot finish by the deadline still deletes the Node and continues the termination, naming what was left', async () => {
    const kube = new FakeKube([pod('forever', 'n1')], [node('n1', 'i-0aaa')]);
    kube.blocked = () => true;
    const log: string[] = [];
    const r = await fn.handler(lifecycle('terminate', 'i-0aaa'), context(50), deps(kube, log));
    expect(r.result).toBe('CONTINUE');
    expect(log.some((l) => l.includes('did not finish in time (left: w/forever)'))).toBe(true);
    expect(asMock.commandCalls(CompleteLifecycleActionCommand)[0].args[0].input.LifecycleActionResult).toBe('CONTINUE');
  });

  test('an instance that never became a Node is let go at once', async () => {
    const kube = new FakeKube([], [node('n2', 'i-0bbb')]);
    const r = await fn.handler(lifecycle('terminate', 'i-0aaa'), context(60_000), deps(kube));
    expect(r).toEqual({ instance: 'i-0aaa', result: 'CONTINUE', node: undefined });
    expect(kube.calls).toEqual(['GET /api/v1/nodes']);
  });
});

describe('node-lifecycle: launch (ready)', () => {
  test('waits for the instance\'s Node to be Ready, then continues the launch and signals SUCCESS to the group\'s resource', async () => {
    const kube = new FakeKube([], []);
    let polls = 0;
    const raw = kube.raw.bind(kube);
    kube.raw = async (m, p, b) => {
      if (p === '/api/v1/nodes' && ++polls === 3) kube.nodes.push(node('n9', 'i-0new', false));
      if (p === '/api/v1/nodes' && polls === 5) kube.nodes[0].status!.conditions[0].status = 'True';
      return raw(m, p, b);
    };
    const r = await fn.handler(lifecycle('launch', 'i-0new'), context(60_000), deps(kube));
    expect(r).toEqual({ instance: 'i-0new', result: 'CONTINUE', node: 'n9' });
    expect(polls).toBe(5);
    expect(asMock.commandCalls(CompleteLifecycleActionCommand)[0].args[0].input).toMatchObject({ LifecycleHookName: 'multinic-ready', LifecycleActionResult: 'CONTINUE', InstanceId: 'i-0new' });
    expect(cfnMock.commandCalls(SignalResourceCommand).map((c) => c.args[0].input)).toEqual([{ StackName: 'multinic-lab-cluster', LogicalResourceId: 'NodeGroupWorkersAutoScalingGroupA1', UniqueId: 'i-0new', Status: 'SUCCESS' }]);
  });

  test('no Ready Node by the deadline: the launch is abandoned and FAILURE signalled (the rolling update fails, as on kubeadm)', async () => {
    const kube = new FakeKube([], [node('n9', 'i-0new', false)]);
    const r = await fn.handler(lifecycle('launch', 'i-0new'), context(30), deps(kube));
    expect(r.result).toBe('ABANDON');
    expect(asMock.commandCalls(CompleteLifecycleActionCommand)[0].args[0].input.LifecycleActionResult).toBe('ABANDON');
    expect(cfnMock.commandCalls(SignalResourceCommand)[0].args[0].input.Status).toBe('FAILURE');
  });

  test('a signal CloudFormation refuses (no update in progress) is logged, not an error', async () => {
    cfnMock.on(SignalResourceCommand).rejects(Object.assign(new Error('Resource is not in a state to receive signals'), { name: 'ValidationError' }));
    const kube = new FakeKube([], [node('n9', 'i-0new')]);
    const log: string[] = [];
    const r = await fn.handler(lifecycle('launch', 'i-0new'), context(60_000), deps(kube, log));
    expect(r.result).toBe('CONTINUE');
    expect(log.some((l) => l.includes('no signal taken for NodeGroupWorkersAutoScalingGroupA1 (ValidationError'))).toBe(true);
  });

  test('anything but a lifecycle action is an error (so Lambda retries and the log shows it)', async () => {
    await expect(fn.handler({ 'detail-type': 'x', detail: {} }, context(1000), deps(new FakeKube()))).rejects.toThrow(/not a lifecycle action/);
  });
});
