process.env.CDK_VALIDATION = 'false';
import { wantedPodSpecs } from '../../../infra/eks/pod-replacement';
import { functionRbac } from '../../../infra/eks/function-rbac';
import { readManifests } from '../../../infra/eks/manifests';
import { podSpecValue } from '../../../lib/pod-spec';
import { eksIntent, synthEks } from './util';

type Res = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };

describe('PodReplacement (EKS): changed bare Pods are deleted before their file is applied', () => {
  const s = synthEks(eksIntent());
  const res = (type: string) => Object.entries(s.cluster.findResources(type)) as Array<[string, Res]>;
  const files = readManifests(s.manifestsDir);
  const workloads = files.find((f) => f.file === '0003-workloads.k8s.yaml')!;

  test('wantedPodSpecs: the pod-spec value of each bare Pod, nothing of other kinds', () => {
    const pods = workloads.objects.filter((o) => o.kind === 'Pod');
    expect(pods.length).toBeGreaterThan(0);
    const wanted = wantedPodSpecs(workloads.objects);
    // the value the charts stamped is the one lib/pod-spec.ts computes for the Pod
    expect(wanted).toEqual(pods.map((p) => podSpecValue(p as Parameters<typeof podSpecValue>[0])));
    expect(wantedPodSpecs([{ kind: 'Deployment', metadata: { annotations: { 'multinic.dev/pod-spec': 'a/b/c' } } }, { kind: 'Pod', metadata: {} }])).toEqual([]);
  });

  test('one custom resource per file with Pods, whose Wanted lists them: a changed Pod changes it, so CloudFormation runs it again', () => {
    const crs = res('Custom::MultinicPodReplacement');
    expect(crs.map(([id]) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual(['PodReplacementPods0003workloads']);
    const [, cr] = crs[0];
    expect(cr.Properties.Wanted).toEqual(wantedPodSpecs(workloads.objects));
    expect(cr.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^PodReplacementHandlerFunction/), 'Arn'] });
    // after the file before it, its function's access entry and RBAC; the workloads file after it
    expect(cr.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^Manifests0002networks/), expect.stringMatching(/^PodReplacementHandlerAccessEntry/), expect.stringMatching(/^FunctionAccess/)]));
    const [, apply] = res('Custom::AWSCDK-EKS-KubernetesResource').find(([id]) => id.startsWith('Manifests0003workloads'))!;
    expect(apply.DependsOn).toContain(crs[0][0]);
  });

  test('a changed command changes the Wanted value of that Pod only', () => {
    const before = wantedPodSpecs(workloads.objects);
    const changed = structuredClone(workloads.objects);
    const firstPod = changed.find((o) => o.kind === 'Pod') as { spec: { containers: Array<{ command?: string[] }> }; metadata: { annotations: Record<string, string> } };
    firstPod.spec.containers[0].command = ['sleep', '12345'];
    firstPod.metadata.annotations['multinic.dev/pod-spec'] = podSpecValue(firstPod as Parameters<typeof podSpecValue>[0]);
    const after = wantedPodSpecs(changed);
    expect(after[0]).not.toBe(before[0]);
    expect(after[0].split('/').slice(0, 2)).toEqual(before[0].split('/').slice(0, 2));
    expect(after.slice(1)).toEqual(before.slice(1));
  });

  test('the function: pod-replacement.handler, a STANDARD access entry in group multinic:pod-replacement, RBAC to get, list and delete Pods only', () => {
    const [, f] = res('AWS::Lambda::Function').find(([id]) => id.startsWith('PodReplacementHandlerFunction'))!;
    expect(f.Properties.Handler).toBe('pod-replacement.handler');
    expect(f.Properties.Runtime).toBe('nodejs24.x');
    const rbac = functionRbac();
    const role = rbac.find((o) => o.kind === 'ClusterRole' && (o.metadata as { name: string }).name === 'multinic-pod-replacement') as { rules: unknown };
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'delete'] }]);
    const binding = rbac.find((o) => o.kind === 'ClusterRoleBinding' && (o.metadata as { name: string }).name === 'multinic-pod-replacement') as { subjects: unknown };
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'multinic:pod-replacement' }]);
    const lifecycle = rbac.find((o) => o.kind === 'ClusterRole' && (o.metadata as { name: string }).name === 'multinic-node-lifecycle') as { rules: unknown };
    expect(lifecycle.rules).toEqual([
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'patch', 'delete'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
    ]);
    // applied by the kubectl handler, as its own manifest
    const [, access] = res('Custom::AWSCDK-EKS-KubernetesResource').find(([id]) => id.startsWith('FunctionAccess'))!;
    const applied = JSON.parse(access.Properties.Manifest) as Array<{ metadata: { labels: Record<string, string> } }>;
    // (less the prune label aws-eks-v2 adds to every object)
    for (const o of applied) for (const k of Object.keys(o.metadata.labels)) if (k.startsWith('aws.cdk.eks/prune-')) delete o.metadata.labels[k];
    expect(applied).toEqual(JSON.parse(JSON.stringify(rbac)));
  });
});
