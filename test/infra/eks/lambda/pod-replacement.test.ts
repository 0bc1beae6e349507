/**
 * The Pod replacement's decisions (infra/eks/lambda/pod-replacement.js): which Pods it deletes, that it waits for
 * them, and what it answers CloudFormation. Against the real API server: test/cluster/eks.test.ts.
 */
import { podsToReplace as libPodsToReplace } from '../../../../lib/pod-spec';
import { FakeKube, type FakePod } from './fake-kube';

const fn = require('../../../../infra/eks/lambda/pod-replacement.js');

const MANAGED = { 'app.kubernetes.io/managed-by': 'multinic' };
const pod = (ns: string, name: string, value: string | undefined, uid = `${name}-uid`): FakePod => ({
  metadata: { namespace: ns, name, uid, labels: MANAGED, ...(value === undefined ? {} : { annotations: { 'multinic.dev/pod-spec': value } }) },
  spec: { nodeName: 'n1' },
});
const event = (wanted: unknown, type = 'Update') => ({
  RequestType: type, ResponseURL: 'http://unused', StackId: 'arn:stack', RequestId: 'r1', LogicalResourceId: 'Pods', PhysicalResourceId: 'multinic-pod-replacement',
  ResourceProperties: { ServiceToken: 'arn:fn', Wanted: wanted },
});

describe('pod-replacement', () => {
  test('the same choice as lib/pod-spec.ts (the kubeadm and box path) on the same inputs', () => {
    const wanted = ['a/p1/h1', 'a/p2/h2', 'b/p3/h3', 'b/new/h4'];
    const live = new Map([['a/p1', 'a/p1/h1'], ['a/p2', 'a/p2/old'], ['b/p3', ''], ['b/gone', 'b/gone/x']]);
    expect(fn.podsToReplace(wanted, live)).toEqual(libPodsToReplace(wanted, live));
    expect(fn.podsToReplace(wanted, live)).toEqual(['a/p2', 'b/p3']);
  });

  test('deletes the changed and unannotated managed Pods only, waits for them, answers SUCCESS', async () => {
    const kube = new FakeKube([pod('a', 'same', 'a/same/h1'), pod('a', 'changed', 'a/changed/old'), pod('b', 'bare', undefined), { ...pod('a', 'other', 'a/other/x'), metadata: { ...pod('a', 'other', 'a/other/x').metadata, labels: {} } }]);
    const answers: unknown[] = [];
    await fn.handler(event(['a/same/h1', 'a/changed/new', 'b/bare/h2', 'a/other/y']), {}, { kube, respond: async (_e: unknown, r: unknown) => { answers.push(r); }, pollMs: 1, log: () => undefined });
    expect(kube.pods.map((p) => p.metadata.name)).toEqual(['same', 'other']);
    // listed by the managed-by label, deleted with the live Pod's uid as precondition, then read until gone
    expect(kube.calls[0]).toBe('GET /api/v1/pods?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dmultinic');
    expect(kube.calls).toEqual(expect.arrayContaining(['DELETE /api/v1/namespaces/a/pods/changed', 'DELETE /api/v1/namespaces/b/pods/bare', 'GET /api/v1/namespaces/a/pods/changed']));
    expect(answers).toEqual([{ status: 'SUCCESS', physicalResourceId: 'multinic-pod-replacement', reason: '2 changed Pod(s) deleted', data: { Replaced: 'a/changed,b/bare' } }]);
  });

  test('a Pod that outlives the wait fails the deployment with its name (the apply would patch it, not create it)', async () => {
    const kube = new FakeKube([pod('a', 'stuck', 'a/stuck/old')]);
    // a Pod that stays Terminating: DELETE is accepted, GET keeps returning it
    const raw = kube.raw.bind(kube);
    kube.raw = async (method, path, body) => (method === 'DELETE' ? { status: 200, body: {} } : raw(method, path, body));
    const answers: Array<{ status: string; reason: string }> = [];
    await fn.handler(event(['a/stuck/new']), {}, { kube, respond: async (_e: unknown, r: { status: string; reason: string }) => { answers.push(r); }, waitMs: 30, pollMs: 5, log: () => undefined });
    expect(answers[0].status).toBe('FAILED');
    expect(answers[0].reason).toMatch(/still terminating.*a\/stuck/);
  });

  test('Delete does nothing; a malformed Wanted is a FAILED answer, not a hung stack', async () => {
    const kube = new FakeKube([pod('a', 'p', 'a/p/old')]);
    const answers: Array<{ status: string; reason: string }> = [];
    const respond = async (_e: unknown, r: { status: string; reason: string }) => { answers.push(r); };
    await fn.handler(event(['a/p/new'], 'Delete'), {}, { kube, respond, log: () => undefined });
    expect(kube.calls).toEqual([]);
    await fn.handler(event('a/p/new'), {}, { kube, respond, log: () => undefined });
    expect(answers.map((a) => a.status)).toEqual(['SUCCESS', 'FAILED']);
    expect(answers[1].reason).toMatch(/Wanted must be a list/);
  });
});
