import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { MULTI_NETWORKPOLICY_CRD_FILE, MultusChart } from '../../charts/app';
import { CUSTOM_RULES_CHECKSUM_ANNOTATION, daemonArgs, DAEMON_LOG_FILE, MultiNetworkPolicyDaemon } from '../../charts/policy/multi-networkpolicy-daemon';
import { MultinicError } from '../../lib/errors';
import { VERSIONS } from '../../lib/versions';
import { validateManifests } from '../util/k8s-schema';
const { normalize } = require('../../scripts/normalize-crd.js') as { normalize: (text: string) => string };

const REPO = path.resolve(__dirname, '..', '..');
const synthDaemon = (props: ConstructorParameters<typeof MultiNetworkPolicyDaemon>[2]) => {
  const chart = new Chart(Testing.app(), 'test');
  const daemon = new MultiNetworkPolicyDaemon(chart, 'Daemon', props);
  return { daemon, objects: Testing.synth(chart) };
};

describe('the MultiNetworkPolicy CRD', () => {
  test('scheme.yml is upstream v1.0.1 byte for byte (sha256 in crds/multi-networkpolicy/README.md)', () => {
    const sha = createHash('sha256').update(fs.readFileSync(path.join(REPO, 'crds/multi-networkpolicy/scheme.yml'))).digest('hex');
    expect(sha).toBe('7bbdf3419c3dadd12ac1af8c4ce7ff1997623f822fd618e027b232d6967836f0');
    expect(fs.readFileSync(path.join(REPO, 'crds/multi-networkpolicy/README.md'), 'utf8')).toContain(sha);
  });

  test('the committed strict copy is what npm run import makes of it, and parses without error', () => {
    const upstream = fs.readFileSync(path.join(REPO, 'crds/multi-networkpolicy/scheme.yml'), 'utf8');
    const copy = fs.readFileSync(path.join(REPO, MULTI_NETWORKPOLICY_CRD_FILE), 'utf8');
    expect(copy.split('\n').filter((l) => !l.startsWith('#')).join('\n')).toBe(normalize(upstream));
    expect(parseAllDocuments(copy).flatMap((d) => d.errors)).toEqual([]);
    // the normalisation only re-indents: upstream breaks strict parsers, the copy does not
    expect(parseAllDocuments(upstream).flatMap((d) => d.errors).length).toBeGreaterThan(0);
  });

  test('chart 0000 emits it (served v1beta1), cluster-scoped, so it is established before the policies of 0002', () => {
    const objects = Testing.synth(new MultusChart(Testing.app(), 'multus'));
    const crd = objects.find((o) => o.kind === 'CustomResourceDefinition' && o.metadata.name === 'multi-networkpolicies.k8s.cni.cncf.io');
    expect(crd.metadata.namespace).toBeUndefined();
    expect(crd.spec.versions.filter((v: { served: boolean }) => v.served).map((v: { name: string }) => v.name)).toEqual(['v1beta1']);
  });
});

describe('MultiNetworkPolicyDaemon', () => {
  const { objects } = synthDaemon({ networkPlugins: ['ipvlan', 'macvlan'], customIngressRules: ['-s 10.0.0.0/24 -d 10.0.0.0/24 -p icmp -j ACCEPT'] });
  const ds = objects.find((o) => o.kind === 'DaemonSet');
  const container = ds.spec.template.spec.containers[0];

  test('every object passes Kubernetes schema validation', () => {
    expect(validateManifests(objects)).toEqual([]);
  });

  test('the arguments rule out the daemon\'s silent failure modes', () => {
    expect(container.args).toEqual(expect.arrayContaining([
      '--hostname-override=$(NODE_NAME)',
      '--network-plugins=ipvlan,macvlan',
      `--container-runtime-endpoint=${VERSIONS.multiNetworkPolicy.criSocket}`,
      '--host-prefix=/host',
    ]));
    expect(container.env).toEqual([{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]);
    expect(container.args).not.toContain('--accept-icmp');
  });

  test('ready only once the daemon logged the hostname of its own node', () => {
    expect(container.readinessProbe.exec.command).toEqual(['/bin/sh', '-c', `grep -q "hostname: $NODE_NAME" ${DAEMON_LOG_FILE}`]);
    expect(container.args).toEqual(expect.arrayContaining([`--log_file=${DAEMON_LOG_FILE}`, '--logtostderr=false', '--alsologtostderr=true', '--log_file_max_size=0']));
  });

  test('mounts the node\'s /proc, the CRI socket directory and the per-node Multus net.d (read-only), not the host root', () => {
    const mounts = Object.fromEntries(container.volumeMounts.map((m: { name: string; mountPath: string; readOnly?: boolean }) => [m.mountPath, m.readOnly ?? false]));
    expect(mounts).toEqual({ '/host/proc': true, '/host/run/containerd': false, '/etc/cni/multus/net.d': true, '/etc/multi-networkpolicy/rules': true, '/var/log/multi-networkpolicy': false });
    const hostPaths = ds.spec.template.spec.volumes.filter((v: { hostPath?: unknown }) => v.hostPath).map((v: { hostPath: { path: string } }) => v.hostPath.path);
    expect(hostPaths).toEqual(['/proc', '/run/containerd', '/etc/cni/multus/net.d']);
  });

  test('RBAC reads pods, namespaces, policies and NADs and writes only events', () => {
    const role = objects.find((o) => o.kind === 'ClusterRole');
    expect(role.rules).toEqual([
      { apiGroups: ['k8s.cni.cncf.io'], resources: ['multi-networkpolicies', 'network-attachment-definitions'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
    ]);
    expect(role.metadata.namespace).toBeUndefined();
  });

  test('the ICMP rules are a file of the ConfigMap; a change rolls the daemon (it reads them only at start)', () => {
    const cm = objects.find((o) => o.kind === 'ConfigMap');
    expect(cm.data['custom-v4-ingress.txt'].split('\n')).toEqual([
      '# multinic: ICMP admitted by the intent (networks[].ingress[].icmp); MultiNetworkPolicy ports cannot express it.',
      '-s 10.0.0.0/24 -d 10.0.0.0/24 -p icmp -j ACCEPT',
      '',
    ]);
    const other = synthDaemon({ networkPlugins: ['ipvlan', 'macvlan'] }).objects.find((o) => o.kind === 'DaemonSet');
    const sum = (d: typeof ds) => d.spec.template.metadata.annotations[CUSTOM_RULES_CHECKSUM_ANNOTATION];
    expect(sum(ds)).toMatch(/^[0-9a-f]{64}$/);
    expect(sum(other)).not.toBe(sum(ds));
  });

  test('daemonArgs with another CRI socket', () => {
    expect(daemonArgs({ networkPlugins: ['bridge'], criSocket: '/run/crio/crio.sock' })).toContain('--container-runtime-endpoint=/run/crio/crio.sock');
  });

  test('an image on a moving tag is refused', () => {
    expect(() => synthDaemon({ networkPlugins: ['ipvlan'], image: 'ghcr.io/k8snetworkplumbingwg/multi-networkpolicy-iptables:snapshot' })).toThrow(MultinicError);
  });
});
