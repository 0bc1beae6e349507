import { ApiObject, Chart, Testing } from 'cdk8s';
import { Whereabouts, WhereaboutsProps, whereaboutsDaemonScript } from '../../charts/whereabouts';
import { VERSIONS } from '../../lib/versions';
import { validateManifests } from '../util/k8s-schema';

function synth(props?: WhereaboutsProps) {
  const chart = Testing.chart();
  const whereabouts = new Whereabouts(chart, 'Whereabouts', props);
  const objects = Testing.synth(chart);
  const only = (kind: string) => {
    const found = objects.filter((o) => o.kind === kind);
    expect(found).toHaveLength(1);
    return found[0];
  };
  const ds = only('DaemonSet');
  const dsPod = ds.spec.template.spec;
  const deploy = only('Deployment');
  const recPod = deploy.spec.template.spec;
  return { whereabouts, objects, only, ds, dsPod, agent: dsPod.containers[0], deploy, recPod, reconciler: recPod.containers[0] };
}

describe('Whereabouts', () => {
  describe('with defaults', () => {
    const s = synth();

    test('emits the v0.9.4 object set', () => {
      expect(s.objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
        'ClusterRole/whereabouts-cni',
        'ClusterRoleBinding/whereabouts',
        'ConfigMap/whereabouts-config',
        'CustomResourceDefinition/ippools.whereabouts.cni.cncf.io',
        'CustomResourceDefinition/nodeslicepools.whereabouts.cni.cncf.io',
        'CustomResourceDefinition/overlappingrangeipreservations.whereabouts.cni.cncf.io',
        'DaemonSet/whereabouts',
        'Deployment/whereabouts-reconciler',
        'ServiceAccount/whereabouts',
      ]);
      for (const kind of ['ServiceAccount', 'ConfigMap', 'DaemonSet', 'Deployment']) {
        expect(s.only(kind).metadata.namespace).toBe('kube-system');
      }
    });

    test('every object passes Kubernetes schema validation', () => {
      expect(validateManifests(s.objects)).toEqual([]);
    });

    test.each([
      ['ippools.whereabouts.cni.cncf.io', 'IPPool', 'ippools', ['allocations', 'range']],
      ['overlappingrangeipreservations.whereabouts.cni.cncf.io', 'OverlappingRangeIPReservation', 'overlappingrangeipreservations', ['podref']],
      ['nodeslicepools.whereabouts.cni.cncf.io', 'NodeSlicePool', 'nodeslicepools', ['range', 'sliceSize']],
    ])('CRD %s: kind %s, namespaced v1alpha1, spec requires %j', (name, kind, plural, required) => {
      // GIVEN
      const crd = s.objects.find((o) => o.kind === 'CustomResourceDefinition' && o.metadata.name === name);
      // THEN
      expect(crd.spec.group).toBe('whereabouts.cni.cncf.io');
      expect(crd.spec.scope).toBe('Namespaced');
      expect(crd.spec.names.kind).toBe(kind);
      expect(crd.spec.names.plural).toBe(plural);
      expect(crd.spec.versions.map((v: any) => [v.name, v.served, v.storage])).toEqual([['v1alpha1', true, true]]);
      expect(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.required).toEqual(required);
    });

    test('the CRD schemas accept what Whereabouts writes and reject what it never writes', () => {
      // GIVEN objects shaped as Whereabouts writes them
      const ns = { namespace: 'kube-system' };
      const pool = { apiVersion: 'whereabouts.cni.cncf.io/v1alpha1', kind: 'IPPool', metadata: { name: '192.168.2.0-24', ...ns },
        spec: { range: '192.168.2.0/24', allocations: { 1: { id: 'abc', podref: 'default/pod-a', ifname: 'net1' } } } };
      const reservation = { apiVersion: 'whereabouts.cni.cncf.io/v1alpha1', kind: 'OverlappingRangeIPReservation',
        metadata: { name: '192.168.2.1', ...ns }, spec: { podref: 'default/pod-a', containerid: 'abc', ifname: 'net1' } };
      const slices = { apiVersion: 'whereabouts.cni.cncf.io/v1alpha1', kind: 'NodeSlicePool', metadata: { name: 'net-a', ...ns },
        spec: { range: '10.0.0.0/16', sliceSize: '/24' }, status: { allocations: [{ nodeName: 'node-1', sliceRange: '10.0.0.0/24' }] } };
      const badPool = { ...pool, spec: { range: '192.168.2.0/24', allocations: { 1: { id: 'abc' } } } };
      // WHEN / THEN
      expect(validateManifests([...s.objects, pool, reservation, slices])).toEqual([]);
      expect(validateManifests([badPool])).toEqual([
        '[0] whereabouts.cni.cncf.io/v1alpha1 IPPool kube-system/192.168.2.0-24: /spec/allocations/1: missing required field "podref"',
      ]);
    });

    test('ClusterRole whereabouts-cni has exactly the six v0.9.4 rules', () => {
      expect(s.only('ClusterRole').rules).toEqual([
        {
          apiGroups: ['whereabouts.cni.cncf.io'],
          resources: ['ippools', 'overlappingrangeipreservations', 'nodeslicepools'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
        },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['*'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch', 'get'] },
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['k8s.cni.cncf.io'], resources: ['network-attachment-definitions'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update', 'get'] },
      ]);
    });

    test('ClusterRoleBinding binds whereabouts-cni to the ServiceAccount both workloads use', () => {
      const crb = s.only('ClusterRoleBinding');
      expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'whereabouts-cni' });
      expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'whereabouts', namespace: 'kube-system' }]);
      expect(s.dsPod.serviceAccountName).toBe('whereabouts');
      expect(s.recPod.serviceAccountName).toBe('whereabouts');
    });

    test('images are the pinned v0.9.4 release, never latest', () => {
      expect(s.agent.image).toBe('ghcr.io/k8snetworkplumbingwg/whereabouts:v0.9.4');
      expect(s.reconciler.image).toBe(VERSIONS.whereabouts.image);
      for (const c of [...s.dsPod.containers, ...s.recPod.containers]) {
        expect(c.image).not.toMatch(/:(latest|snapshot)/);
      }
    });

    test('DaemonSet runs install-cni, then token-watcher in the background, then ip-control-loop', () => {
      expect(s.dsPod.containers).toHaveLength(1);
      expect(s.agent.command).toEqual(['/bin/sh']);
      expect(s.agent.args).toEqual(['-c', 'SLEEP=false source /install-cni.sh\n/token-watcher.sh &\n/ip-control-loop -log-level debug']);
    });

    test('DaemonSet env names the node and the namespace', () => {
      expect(s.agent.env).toEqual([
        { name: 'NODENAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
        { name: 'WHEREABOUTS_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      ]);
    });

    test('DaemonSet is privileged on the host network and tolerates NoSchedule and NoExecute', () => {
      expect(s.ds.spec.selector).toEqual({ matchLabels: { name: 'whereabouts' } });
      expect(s.ds.spec.template.metadata.labels).toEqual({ tier: 'node', app: 'whereabouts', name: 'whereabouts' });
      expect(s.ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
      expect(s.dsPod.hostNetwork).toBe(true);
      expect(s.dsPod.priorityClassName).toBe('system-node-critical');
      expect(s.agent.securityContext).toEqual({ privileged: true });
      expect(s.dsPod.tolerations).toEqual([
        { operator: 'Exists', effect: 'NoSchedule' },
        { operator: 'Exists', effect: 'NoExecute' },
      ]);
    });

    test.each([
      ['cnibin', '/opt/cni/bin', '/host/opt/cni/bin'],
      ['cni-net-dir', '/etc/cni/net.d', '/host/etc/cni/net.d'],
    ])('DaemonSet hostPath %s: host %s at %s', (volume, hostPath, mountPath) => {
      expect(s.dsPod.volumes.find((v: any) => v.name === volume)).toEqual({ name: volume, hostPath: { path: hostPath } });
      expect(s.agent.volumeMounts.find((m: any) => m.name === volume)).toEqual({ name: volume, mountPath });
    });

    test('DaemonSet mounts only those two hostPaths', () => {
      expect(s.dsPod.volumes).toHaveLength(2);
      expect(s.agent.volumeMounts).toHaveLength(2);
    });

    test('DaemonSet resources are upstream: 100Mi request, 200Mi limit', () => {
      expect(s.agent.resources).toEqual({
        requests: { cpu: '100m', memory: '100Mi' },
        limits: { cpu: '100m', memory: '200Mi' },
      });
    });

    test('reconciler is one replica, replaced with Recreate so two never run at once', () => {
      expect(s.deploy.spec.replicas).toBe(1);
      expect(s.deploy.spec.strategy).toEqual({ type: 'Recreate' });
      expect(s.deploy.spec.selector).toEqual({ matchLabels: { name: 'whereabouts-reconciler' } });
      expect(s.deploy.spec.template.metadata.labels).toEqual({ tier: 'node', app: 'whereabouts-reconciler', name: 'whereabouts-reconciler' });
    });

    test('reconciler runs ip-reconciler with the namespace and request = limit resources', () => {
      expect(s.recPod.containers).toHaveLength(1);
      expect(s.reconciler.name).toBe('whereabouts-reconciler');
      expect(s.reconciler.command).toEqual(['/ip-reconciler']);
      expect(s.reconciler.args).toEqual(['-log-level', 'debug']);
      expect(s.reconciler.env).toEqual([{ name: 'WHEREABOUTS_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }]);
      expect(s.reconciler.resources).toEqual({
        requests: { cpu: '100m', memory: '50Mi' },
        limits: { cpu: '100m', memory: '50Mi' },
      });
    });

    test('reconciler reads the cron expression from whereabouts-config at /cron-schedule/config', () => {
      // GIVEN
      const cm = s.only('ConfigMap');
      // THEN
      expect(cm.data).toEqual({ 'cron-expression': '30 4 * * *' });
      expect(s.recPod.volumes).toEqual([{
        name: 'cron-scheduler-configmap',
        configMap: { name: 'whereabouts-config', defaultMode: 0o744, items: [{ key: 'cron-expression', path: 'config' }] },
      }]);
      expect(s.reconciler.volumeMounts).toEqual([{ name: 'cron-scheduler-configmap', mountPath: '/cron-schedule' }]);
    });

    test('exposes the L1 objects; the DaemonSet is the default child', () => {
      expect(s.whereabouts.node.defaultChild).toBe(s.whereabouts.daemonSet);
      expect(ApiObject.of(s.whereabouts.reconciler).kind).toBe('Deployment');
      expect(s.whereabouts.reconciler.name).toBe('whereabouts-reconciler');
      expect(s.whereabouts.configMap.name).toBe('whereabouts-config');
      expect(s.whereabouts.clusterRole.name).toBe('whereabouts-cni');
      expect(s.whereabouts.ipPoolsCrd.name).toBe('ippools.whereabouts.cni.cncf.io');
      expect(s.whereabouts.overlappingRangeIpReservationsCrd.name).toBe('overlappingrangeipreservations.whereabouts.cni.cncf.io');
      expect(s.whereabouts.nodeSlicePoolsCrd.name).toBe('nodeslicepools.whereabouts.cni.cncf.io');
      expect(s.whereabouts.namespace).toBe('kube-system');
    });
  });

  describe('node-slice controller', () => {
    test('is not deployed by default', () => {
      const s = synth();
      expect(s.objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name)).toEqual(['whereabouts-reconciler']);
      expect(s.whereabouts.nodeSliceController).toBeUndefined();
    });

    test('nodeSliceController: true adds one whereabouts-controller replica, cleaned of export noise', () => {
      // GIVEN / WHEN
      const chart = Testing.chart();
      const w = new Whereabouts(chart, 'Whereabouts', { nodeSliceController: true });
      const objects = Testing.synth(chart);
      const ctrl = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'whereabouts-controller');
      const pod = ctrl.spec.template.spec;
      // THEN
      expect(w.nodeSliceController?.name).toBe('whereabouts-controller');
      expect(ctrl.metadata.namespace).toBe('kube-system');
      expect(ctrl.spec.replicas).toBe(1);
      expect(ctrl.spec.strategy).toEqual({ type: 'Recreate' });
      expect(pod.serviceAccountName).toBe('whereabouts');
      expect(pod.containers).toHaveLength(1);
      expect(pod.containers[0].command).toEqual(['/node-slice-controller']);
      expect(pod.containers[0].image).toBe(VERSIONS.whereabouts.image);
      expect(pod.containers[0].env.map((e: any) => e.name)).toEqual(['NODENAME', 'WHEREABOUTS_NAMESPACE']);
      expect(pod.volumes.map((v: any) => v.name)).toEqual(['cnibin', 'cni-net-dir', 'cron-scheduler-configmap']);
      expect(pod.volumes.some((v: any) => v.projected)).toBe(false);
      expect(validateManifests(objects)).toEqual([]);
    });
  });

  describe('props change the output', () => {
    test('cron expression, log level and namespace', () => {
      // GIVEN / WHEN
      const s = synth({ reconcilerCronExpression: '*/30 * * * *', logLevel: 'verbose', namespace: 'multinic-system' });
      // THEN
      expect(s.only('ConfigMap').data['cron-expression']).toBe('*/30 * * * *');
      expect(s.reconciler.args).toEqual(['-log-level', 'verbose']);
      expect(s.agent.args[1]).toBe(whereaboutsDaemonScript('verbose'));
      expect(s.agent.args[1]).toContain('/ip-control-loop -log-level verbose');
      for (const kind of ['ServiceAccount', 'ConfigMap', 'DaemonSet', 'Deployment']) {
        expect(s.only(kind).metadata.namespace).toBe('multinic-system');
      }
      expect(s.only('ClusterRoleBinding').subjects[0].namespace).toBe('multinic-system');
      expect(validateManifests(s.objects)).toEqual([]);
    });

    test('memory of the agent and of the reconciler', () => {
      // GIVEN / WHEN
      const s = synth({ daemonMemoryLimit: '512Mi', reconcilerMemory: '128Mi' });
      // THEN
      expect(s.agent.resources.limits.memory).toBe('512Mi');
      expect(s.agent.resources.requests.memory).toBe('100Mi');
      expect(s.reconciler.resources.requests.memory).toBe('128Mi');
      expect(s.reconciler.resources.limits.memory).toBe('128Mi');
    });

    test('in a chart with a namespace, cluster-scoped objects still carry none', () => {
      // GIVEN
      const app = Testing.app();
      const chart = new Chart(app, 'c', { namespace: 'apps' });
      new Whereabouts(chart, 'Whereabouts');
      // WHEN
      const objects = Testing.synth(chart);
      // THEN
      for (const o of objects) {
        const clusterScoped = ['CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind);
        expect([o.kind, o.metadata.namespace]).toEqual([o.kind, clusterScoped ? undefined : 'kube-system']);
      }
      expect(validateManifests(objects)).toEqual([]);
    });

  });

  describe('rejects misuse', () => {
    test.each([
      [{ image: 'ghcr.io/k8snetworkplumbingwg/whereabouts:latest' }, 'WHEREABOUTS_IMAGE', '"latest" is a moving tag'],
      [{ image: 'ghcr.io/k8snetworkplumbingwg/whereabouts:latest-amd64' }, 'WHEREABOUTS_IMAGE', '"latest-amd64" is a moving tag'],
      [{ reconcilerCronExpression: 'daily' }, 'WHEREABOUTS_CRON', 'reconcilerCronExpression "daily" is not a cron expression'],
      [{ reconcilerCronExpression: '30 4 * *' }, 'WHEREABOUTS_CRON', 'reconcilerCronExpression "30 4 * *" is not a cron expression'],
      // v0.9.4's reconciler parses with cron.ParseStandard: a seconds field makes it refuse the schedule
      [{ reconcilerCronExpression: '0 30 4 * * *' }, 'WHEREABOUTS_CRON', 'Whereabouts v0.9.4 parses no seconds field'],
      [{ daemonMemoryLimit: '50Mi' }, 'WHEREABOUTS_RESOURCES', 'daemonMemoryLimit 50Mi is below the 100Mi request'],
      [{ reconcilerMemory: '50 MiB' }, 'WHEREABOUTS_RESOURCES', 'reconcilerMemory: "50 MiB" is not a memory quantity'],
    ] as Array<[WhereaboutsProps, string, string]>)('%j -> %s', (props, code, message) => {
      const chart = Testing.chart();
      expect(() => new Whereabouts(chart, 'Whereabouts', props)).toThrow(expect.objectContaining({
        code,
        message: expect.stringContaining(message),
      }));
    });
  });
});
