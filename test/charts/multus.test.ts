import { createHash } from 'crypto';
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { DAEMON_CONFIG_CHECKSUM_ANNOTATION, MultusThick, MultusThickProps, MULTUS_HOST_MOUNTS } from '../../charts/multus';
import { CLUSTER_NETWORK_LINK } from '../../charts/multus/multus-thick';
import { Whereabouts } from '../../charts/whereabouts';
import { NetworkAttachmentDefinition } from '../../imports/k8s.cni.cncf.io';
import { VERSIONS } from '../../lib/versions';
import { validateManifests } from '../util/k8s-schema';

function synth(props?: MultusThickProps) {
  const chart = Testing.chart();
  const multus = new MultusThick(chart, 'Multus', props);
  const objects = Testing.synth(chart);
  const only = (kind: string) => {
    const found = objects.filter((o) => o.kind === kind);
    expect(found).toHaveLength(1);
    return found[0];
  };
  const ds = only('DaemonSet');
  const pod = ds.spec.template.spec;
  const daemon = pod.containers.find((c: any) => c.name === 'kube-multus');
  const init = pod.initContainers.find((c: any) => c.name === 'install-multus-binary');
  return { chart, multus, objects, only, ds, pod, daemon, init };
}

/** Kubernetes' QoS class rule: Guaranteed iff every container, init containers included, has requests = limits. */
function qosClass(pod: any): string {
  const all = [...pod.containers, ...(pod.initContainers ?? [])];
  const guaranteed = all.every((c) => ['cpu', 'memory'].every((r) =>
    c.resources?.limits?.[r] !== undefined && (c.resources.requests?.[r] ?? c.resources.limits[r]) === c.resources.limits[r]));
  if (guaranteed) return 'Guaranteed';
  return all.some((c) => c.resources?.requests || c.resources?.limits) ? 'Burstable' : 'BestEffort';
}

describe('MultusThick', () => {
  describe('with defaults', () => {
    const s = synth();

    test('emits the upstream object set, in the kube-system namespace where namespaced', () => {
      // THEN
      expect(s.objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
        'ClusterRole/multus',
        'ClusterRoleBinding/multus',
        'ConfigMap/multus-daemon-config',
        'CustomResourceDefinition/network-attachment-definitions.k8s.cni.cncf.io',
        'DaemonSet/kube-multus-ds',
        'ServiceAccount/multus',
      ]);
      for (const kind of ['ServiceAccount', 'ConfigMap', 'DaemonSet']) {
        expect(s.only(kind).metadata.namespace).toBe('kube-system');
      }
      for (const kind of ['ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']) {
        expect(s.only(kind).metadata.namespace).toBeUndefined();
      }
    });

    test('every object passes Kubernetes schema validation', () => {
      expect(validateManifests(s.objects)).toEqual([]);
    });

    test('the CRD is the committed NAD CRD with both short names', () => {
      // GIVEN
      const crd = s.only('CustomResourceDefinition');
      // THEN
      expect(crd.spec.group).toBe('k8s.cni.cncf.io');
      expect(crd.spec.scope).toBe('Namespaced');
      expect(crd.spec.names).toEqual({
        plural: 'network-attachment-definitions',
        singular: 'network-attachment-definition',
        kind: 'NetworkAttachmentDefinition',
        shortNames: ['net-attach-def', 'nad'],
      });
      expect(crd.spec.versions.map((v: any) => [v.name, v.served, v.storage])).toEqual([['v1', true, true]]);
      expect(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.config.type).toBe('string');
    });

    test('ClusterRole has exactly the v4.3.0 rules', () => {
      expect(s.only('ClusterRole').rules).toEqual([
        { apiGroups: ['k8s.cni.cncf.io'], resources: ['*'], verbs: ['*'] },
        { apiGroups: [''], resources: ['pods', 'pods/status'], verbs: ['get', 'list', 'update', 'watch'] },
        { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      ]);
    });

    test('ClusterRoleBinding binds the ClusterRole to the ServiceAccount the DaemonSet uses', () => {
      // GIVEN
      const crb = s.only('ClusterRoleBinding');
      // THEN
      expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'multus' });
      expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'multus', namespace: 'kube-system' }]);
      expect(s.pod.serviceAccountName).toBe('multus');
    });

    test('ConfigMap holds the upstream daemon config as JSON', () => {
      // GIVEN
      const cm = s.only('ConfigMap');
      // THEN
      expect(Object.keys(cm.data)).toEqual(['daemon-config.json']);
      expect(JSON.parse(cm.data['daemon-config.json'])).toEqual({
        chrootDir: '/hostroot',
        cniVersion: '0.3.1',
        logLevel: 'verbose',
        logToStderr: true,
        cniConfigDir: '/host/etc/cni/net.d',
        multusAutoconfigDir: '/host/etc/cni/net.d',
        multusConfigFile: 'auto',
        socketDir: '/host/run/multus/',
        connectionLimit: VERSIONS.multus.connectionLimit,
      });
      expect(cm.data['daemon-config.json']).toBe(s.multus.daemonConfigJson);
    });

    test('images are the pinned v4.3.0-thick release, never a moving tag', () => {
      expect(s.daemon.image).toBe('ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0-thick');
      expect(s.init.image).toBe(VERSIONS.multus.image);
      for (const c of [...s.pod.containers, ...s.pod.initContainers]) {
        expect(c.image).not.toMatch(/:(snapshot|latest|stable)/);
      }
    });

    test('DaemonSet runs privileged on the host network and PID namespace on every node', () => {
      expect(s.ds.metadata.labels).toEqual({ tier: 'node', app: 'multus', name: 'multus' });
      expect(s.ds.spec.selector).toEqual({ matchLabels: { name: 'multus' } });
      expect(s.ds.spec.template.metadata.labels).toEqual({ tier: 'node', app: 'multus', name: 'multus' });
      expect(s.ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
      expect(s.pod.hostNetwork).toBe(true);
      expect(s.pod.hostPID).toBe(true);
      expect(s.pod.priorityClassName).toBe('system-node-critical');
      expect(s.pod.tolerations).toEqual([
        { operator: 'Exists', effect: 'NoSchedule' },
        { operator: 'Exists', effect: 'NoExecute' },
      ]);
      expect(s.pod.terminationGracePeriodSeconds).toBe(30);
      expect(s.daemon.securityContext).toEqual({ privileged: true });
      expect(s.init.securityContext).toEqual({ privileged: true });
      expect(s.daemon.terminationMessagePolicy).toBe('FallbackToLogsOnError');
    });

    test('daemon runs multus-daemon with MULTUS_NODE_NAME from the node name', () => {
      expect(s.daemon.command).toEqual(['/usr/src/multus-cni/bin/multus-daemon']);
      expect(s.daemon.args).toBeUndefined();
      expect(s.daemon.env).toEqual([{ name: 'MULTUS_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]);
    });

    test('init container installs the thick shim with install_multus into the Bidirectional cnibin mount', () => {
      expect(s.pod.initContainers).toHaveLength(1);
      expect(s.init.command).toEqual(['/usr/src/multus-cni/bin/install_multus', '-d', '/host/opt/cni/bin', '-t', 'thick']);
      expect(s.init.volumeMounts).toEqual([{ name: 'cnibin', mountPath: '/host/opt/cni/bin', mountPropagation: 'Bidirectional' }]);
    });

    test.each([
      // volume, host path, container path, propagation
      ['cni', '/etc/cni/net.d', '/host/etc/cni/net.d', undefined],
      ['cnibin', '/opt/cni/bin', '/opt/cni/bin', undefined],
      ['host-run', '/run', '/host/run', undefined],
      ['host-var-lib-cni-multus', '/var/lib/cni/multus', '/var/lib/cni/multus', undefined],
      ['host-var-lib-kubelet', '/var/lib/kubelet', '/var/lib/kubelet', 'HostToContainer'],
      ['host-run-k8s-cni-cncf-io', '/run/k8s.cni.cncf.io', '/run/k8s.cni.cncf.io', undefined],
      ['host-run-netns', '/run/netns/', '/run/netns', 'HostToContainer'],
      ['hostroot', '/', '/hostroot', 'HostToContainer'],
      ['multus-conf-dir', '/etc/cni/multus/net.d', '/etc/cni/multus/net.d', undefined],
    ])('hostPath volume %s: host %s mounted at %s (propagation %s)', (volume, hostPath, mountPath, propagation) => {
      // GIVEN
      const vol = s.pod.volumes.find((v: any) => v.name === volume);
      const mount = s.daemon.volumeMounts.find((m: any) => m.name === volume);
      // THEN
      expect(vol).toEqual({ name: volume, hostPath: { path: hostPath } });
      expect(mount.mountPath).toBe(mountPath);
      expect(mount.mountPropagation).toBe(propagation);
      expect(mount.readOnly).toBeUndefined();
    });

    test('mounts nothing else: nine hostPaths plus the read-only daemon config', () => {
      expect(s.pod.volumes).toHaveLength(MULTUS_HOST_MOUNTS.length + 1);
      expect(s.daemon.volumeMounts).toHaveLength(MULTUS_HOST_MOUNTS.length + 1);
      expect(s.pod.volumes.find((v: any) => v.name === 'multus-daemon-config')).toEqual({
        name: 'multus-daemon-config',
        configMap: { name: 'multus-daemon-config', items: [{ key: 'daemon-config.json', path: 'daemon-config.json' }] },
      });
      expect(s.daemon.volumeMounts.find((m: any) => m.name === 'multus-daemon-config')).toEqual({
        name: 'multus-daemon-config', mountPath: '/etc/cni/net.d/multus.d', readOnly: true,
      });
    });

    test('resources default to 256Mi with request = limit, so the pod is Guaranteed QoS', () => {
      expect(s.daemon.resources).toEqual({
        requests: { cpu: '100m', memory: '256Mi' },
        limits: { cpu: '100m', memory: '256Mi' },
      });
      expect(s.init.resources.requests).toEqual(s.init.resources.limits);
      expect(qosClass(s.pod)).toBe('Guaranteed');
    });

    test('exposes the L1 objects; the DaemonSet is the default child', () => {
      expect(s.multus.node.defaultChild).toBe(s.multus.daemonSet);
      expect(ApiObject.of(s.multus.daemonSet).kind).toBe('DaemonSet');
      expect(s.multus.daemonSet.name).toBe('kube-multus-ds');
      expect(s.multus.configMap.name).toBe('multus-daemon-config');
      expect(s.multus.crd.name).toBe('network-attachment-definitions.k8s.cni.cncf.io');
      expect(s.multus.serviceAccount.name).toBe('multus');
      expect(s.multus.clusterRole.name).toBe('multus');
      expect(s.multus.clusterRoleBinding.name).toBe('multus');
      expect(s.multus.namespace).toBe('kube-system');
    });

    test('tripwire snapshot: one line per container and mount', () => {
      // A compact summary, so a change anywhere in the pod shows up in review; the assertions above say what matters.
      const lines = [...s.pod.initContainers, ...s.pod.containers].flatMap((c: any) => [
        `${c.name} ${c.image} ${c.command.join(' ')}`,
        ...c.volumeMounts.map((m: any) => {
          const vol = s.pod.volumes.find((v: any) => v.name === m.name);
          const source = vol.hostPath ? `host:${vol.hostPath.path}` : `configMap:${vol.configMap.name}`;
          return `  ${source} -> ${m.mountPath}${m.mountPropagation ? ` (${m.mountPropagation})` : ''}${m.readOnly ? ' ro' : ''}`;
        }),
      ]);
      expect(lines).toMatchSnapshot();
    });
  });

  describe('props change the output', () => {
    test('connectionLimit and daemon options land in daemon-config.json', () => {
      // GIVEN / WHEN
      const s = synth({
        connectionLimit: 20,
        logLevel: 'debug',
        multusMasterCni: '10-aws.conflist',
        readinessIndicatorFile: '/host/etc/cni/net.d/10-aws.conflist',
        namespaceIsolation: true,
        globalNamespaces: ['default', 'shared-nets'],
      });
      // THEN
      const config = JSON.parse(s.only('ConfigMap').data['daemon-config.json']);
      expect(config.connectionLimit).toBe(20);
      expect(config.logLevel).toBe('debug');
      expect(config.multusMasterCNI).toBe('10-aws.conflist');
      expect(config.readinessindicatorfile).toBe('/host/etc/cni/net.d/10-aws.conflist');
      expect(config.namespaceIsolation).toBe(true);
      expect(config.globalNamespaces).toBe('default,shared-nets');
      expect(validateManifests(s.objects)).toEqual([]);
    });

    test('a daemon-config change changes the pod template, so the DaemonSet rolls', () => {
      // GIVEN two synths that differ only in connectionLimit
      const before = synth();
      const after = synth({ connectionLimit: 50 });
      const checksum = (x: ReturnType<typeof synth>) => x.ds.spec.template.metadata.annotations[DAEMON_CONFIG_CHECKSUM_ANNOTATION];
      // THEN the annotation is the SHA-256 of the ConfigMap content, and differs
      for (const x of [before, after]) {
        expect(checksum(x)).toBe(createHash('sha256').update(x.only('ConfigMap').data['daemon-config.json']).digest('hex'));
      }
      expect(checksum(after)).not.toBe(checksum(before));
    });

    test('in a chart with a namespace, cluster-scoped objects still carry none', () => {
      // GIVEN a chart whose namespace differs from the Multus namespace
      const app = Testing.app();
      const chart = new Chart(app, 'c', { namespace: 'apps' });
      new MultusThick(chart, 'Multus');
      // WHEN
      const objects = Testing.synth(chart);
      // THEN
      const ns = Object.fromEntries(objects.map((o) => [o.kind, o.metadata.namespace]));
      expect(ns).toEqual({
        CustomResourceDefinition: undefined, ClusterRole: undefined, ClusterRoleBinding: undefined,
        ServiceAccount: 'kube-system', ConfigMap: 'kube-system', DaemonSet: 'kube-system',
      });
      expect(validateManifests(objects)).toEqual([]);
    });

    test('memory request alone sets the limit too (stays Guaranteed)', () => {
      // GIVEN / WHEN
      const s = synth({ memoryRequest: '512Mi', cpu: '200m' });
      // THEN
      expect(s.daemon.resources).toEqual({
        requests: { cpu: '200m', memory: '512Mi' },
        limits: { cpu: '200m', memory: '512Mi' },
      });
      expect(qosClass(s.pod)).toBe('Guaranteed');
    });

    test('a memory limit above the request is kept (Burstable)', () => {
      // GIVEN / WHEN
      const s = synth({ memoryRequest: '256Mi', memoryLimit: '1Gi' });
      // THEN
      expect(s.daemon.resources.requests.memory).toBe('256Mi');
      expect(s.daemon.resources.limits.memory).toBe('1Gi');
      expect(qosClass(s.pod)).toBe('Burstable');
    });

    test('namespace, image and grace period', () => {
      // GIVEN / WHEN
      const s = synth({ namespace: 'multus-system', image: 'registry.example.com/multus-cni:v4.3.0-thick', terminationGracePeriodSeconds: 10 });
      // THEN
      expect(s.ds.metadata.namespace).toBe('multus-system');
      expect(s.only('ConfigMap').metadata.namespace).toBe('multus-system');
      expect(s.only('ServiceAccount').metadata.namespace).toBe('multus-system');
      expect(s.only('ClusterRoleBinding').subjects[0].namespace).toBe('multus-system');
      expect(s.daemon.image).toBe('registry.example.com/multus-cni:v4.3.0-thick');
      expect(s.init.image).toBe('registry.example.com/multus-cni:v4.3.0-thick');
      expect(s.pod.terminationGracePeriodSeconds).toBe(10);
    });
  });

  describe('beside Whereabouts and a NAD in one chart', () => {
    test('names do not collide and every object, the NAD included, validates', () => {
      // GIVEN
      const chart = Testing.chart();
      new MultusThick(chart, 'Multus');
      new Whereabouts(chart, 'Whereabouts');
      new NetworkAttachmentDefinition(chart, 'Nad', {
        metadata: { name: 'macvlan-a', namespace: 'kube-system' },
        spec: { config: JSON.stringify({ cniVersion: '1.0.0', name: 'macvlan-a', type: 'macvlan', ipam: { type: 'whereabouts', range: '10.1.0.0/24' } }) },
      });
      // WHEN
      const objects = Testing.synth(chart);
      // THEN
      expect(objects).toHaveLength(6 + 9 + 1);
      expect(validateManifests(objects)).toEqual([]);
    });

    test('a NAD with a wrongly typed config is caught against the emitted CRD', () => {
      // GIVEN a NAD whose spec.config is an object, not a JSON string
      const chart = Testing.chart();
      new MultusThick(chart, 'Multus');
      const nad = new NetworkAttachmentDefinition(chart, 'Nad', { metadata: { name: 'bad', namespace: 'default' } });
      nad.addJsonPatch(JsonPatch.add('/spec', { config: { type: 'macvlan' } }));
      // WHEN / THEN
      expect(validateManifests(Testing.synth(chart))).toEqual(['[6] k8s.cni.cncf.io/v1 NetworkAttachmentDefinition default/bad: /spec/config: must be string']);
    });
  });

  describe('with the cluster network by name', () => {
    const s = synth({ clusterNetwork: 'k8s-pod-network', clusterNetworkFile: '10-calico.conflist' });
    const link = s.pod.initContainers.find((c: any) => c.name === 'link-cluster-network');

    test('an init container links the network\'s file into the confDir that also holds the per-node configs', () => {
      // THEN the link sits in the daemon's default confDir, pointing at the daemon's mount of the host's net.d
      expect(link.command).toEqual(['/bin/ln', '-sfn', '/host/etc/cni/net.d/10-calico.conflist', `/etc/cni/multus/net.d/${CLUSTER_NETWORK_LINK}`]);
      expect(link.volumeMounts).toEqual([{ name: 'multus-conf-dir', mountPath: '/etc/cni/multus/net.d' }]);
      expect(s.pod.volumes.find((v: any) => v.name === 'multus-conf-dir').hostPath.path).toBe('/etc/cni/multus/net.d');
      expect(link.image).toBe(s.daemon.image);
      // AND the daemon config names the network and leaves confDir at Multus' default
      const config = JSON.parse(s.only('ConfigMap').data['daemon-config.json']);
      expect(config.clusterNetwork).toBe('k8s-pod-network');
      expect(config).not.toHaveProperty('confDir');
    });

    test('the link sorts after every per-node config (<namespace>-<name>.conf), so lookups of those never reach it', () => {
      const perNode = ['zzzzzzzz-zzzz.conf', '9-a.conf', 'redhet-demo-routable-net.conf'];
      expect([...perNode, CLUSTER_NETWORK_LINK].sort().pop()).toBe(CLUSTER_NETWORK_LINK);
    });

    test('the link container runs without privileges or capabilities, and the pod stays Guaranteed', () => {
      expect(link.securityContext).toEqual({ privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(qosClass(s.pod)).toBe('Guaranteed');
    });
  });

  describe('rejects misuse', () => {
    test.each([
      [{ image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:snapshot-thick' }, 'MULTUS_IMAGE',
        'image "ghcr.io/k8snetworkplumbingwg/multus-cni:snapshot-thick" is not pinned to a release ("snapshot-thick" is a moving tag)'],
      [{ image: 'ghcr.io/k8snetworkplumbingwg/multus-cni' }, 'MULTUS_IMAGE', 'is not pinned to a release (no tag means latest)'],
      [{ image: 'localhost:5000/multus-cni' }, 'MULTUS_IMAGE', 'is not pinned to a release (no tag means latest)'],
      [{ memoryRequest: '512Mi', memoryLimit: '256Mi' }, 'MULTUS_RESOURCES', 'memoryLimit 256Mi is below memoryRequest 512Mi'],
      [{ memoryRequest: 'lots' }, 'MULTUS_RESOURCES', 'memoryRequest: "lots" is not a memory quantity'],
      [{ cpu: '0' }, 'MULTUS_RESOURCES', 'cpu: "0" is not a positive CPU quantity'],
      [{ terminationGracePeriodSeconds: -1 }, 'MULTUS_DAEMONSET', 'terminationGracePeriodSeconds must be a non-negative integer, got -1'],
      [{ connectionLimit: 0 }, 'MULTUS_DAEMON_CONFIG', 'connectionLimit must be a positive integer, got 0'],
      [{ clusterNetwork: 'k8s-pod-network' }, 'MULTUS_DAEMON_CONFIG', 'clusterNetwork and clusterNetworkFile go together'],
      [{ clusterNetworkFile: '10-calico.conflist' }, 'MULTUS_DAEMON_CONFIG', 'clusterNetwork and clusterNetworkFile go together'],
      [{ clusterNetwork: 'k8s-pod-network', clusterNetworkFile: '../10-calico.conflist' }, 'MULTUS_DAEMON_CONFIG', 'clusterNetwork and clusterNetworkFile go together'],
    ] as Array<[MultusThickProps, string, string]>)('%j -> %s', (props, code, message) => {
      // GIVEN
      const chart = Testing.chart();
      // WHEN / THEN
      expect(() => new MultusThick(chart, 'Multus', props)).toThrow(expect.objectContaining({ code, message: expect.stringContaining(message) }));
    });

    test('the message names the construct', () => {
      const chart = Testing.chart();
      expect(() => new MultusThick(chart, 'Cni', { memoryRequest: 'x' })).toThrow(/^MultusThick test\/Cni memoryRequest: /);
    });
  });
});
