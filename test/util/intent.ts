/**
 * Shared intent fixtures for rule and validation tests.
 *
 * `baseIntent()` is written out in full, every defaulted field spelled out, so no test depends on a schema default it
 * cannot see. It is valid and raises no finding at all (not even a warning): whatever `findingsFor` returns comes
 * from the mutation under test. `test/rules/index.test.ts` keeps that promise.
 */
import { stringify } from 'yaml';
import { validateText, type ValidationResult } from '../../lib/intent/validate';
import type { NetworkIntentInput } from '../../lib/intent/types';
import type { Finding } from '../../lib/rules/types';

/**
 * A small valid intent: one control plane, two workers carrying `multus0` in subnet `multus-a`, a host-local ipvlan
 * network in `default` (one Pod), a whereabouts ipvlan network in `dcjeon` (a Deployment of 2 with a ConfigMap, and
 * a Service on the cluster network). A fresh deep copy on every call.
 */
export function baseIntent(): NetworkIntentInput {
  return {
    apiVersion: 'multinic.dev/v1alpha1',
    kind: 'NetworkIntent',
    metadata: { name: 'rules-test' },
    spec: {
      cluster: { kubernetesVersion: '1.36.5', podCidr: '172.16.0.0/16', serviceCidr: '10.96.0.0/12', primaryCni: 'calico' },
      vpc: { cidr: '10.0.0.0/16', zones: ['a', 'b'], mtu: 9001 },
      subnets: [{ name: 'multus-a', cidr: '10.0.128.0/24', zone: 'a' }],
      nodeGroups: [
        { name: 'control-plane', role: 'control-plane', instanceType: 'm6i.large', count: 1, interfaces: [], labels: {} },
        {
          name: 'workers', role: 'worker', instanceType: 'm6i.large', count: 2, labels: {},
          interfaces: [{ name: 'multus0', subnet: 'multus-a', ipv4PrefixCount: 0, sourceDestCheck: true }],
        },
      ],
      networks: [
        {
          name: 'ipvlan-conf', namespace: 'default', cniVersion: '1.0.0', type: 'ipvlan', master: 'multus0', mode: 'l2', sbr: false,
          ipam: {
            type: 'host-local',
            ranges: [[{ subnet: '192.168.1.0/24', rangeStart: '192.168.1.200', rangeEnd: '192.168.1.216', gateway: '192.168.1.1' }]],
          },
        },
        {
          name: 'whereabouts-eth1-conf', namespace: 'dcjeon', cniVersion: '1.0.0', type: 'ipvlan', master: 'multus0', mode: 'l2', sbr: false,
          ipam: { type: 'whereabouts', range: '10.4.128.0/24', exclude: ['10.4.128.0/30'] },
        },
      ],
      workloads: [
        {
          kind: 'Pod', name: 'multus-sample-pod', namespace: 'default', labels: {}, networks: ['ipvlan-conf'],
          container: { image: 'docker.io/library/alpine:3.20', command: ['sleep', 'infinity'], ports: [], privileged: false, mounts: [] },
        },
        {
          kind: 'Deployment', name: 'ubuntu-whereabouts-deploy', namespace: 'dcjeon', replicas: 2, labels: { app: 'ubuntu' },
          networks: ['whereabouts-eth1-conf'],
          container: {
            image: 'docker.io/nicolaka/netshoot:v0.13', command: ['sleep', 'infinity'], ports: [80], privileged: false,
            mounts: [{ configMap: 'ubuntu-html', path: '/usr/share/nginx/html' }],
          },
        },
      ],
      services: [
        { name: 'ubuntu-svc', namespace: 'dcjeon', selector: { app: 'ubuntu' }, ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] },
      ],
      configMaps: [{ name: 'ubuntu-html', namespace: 'dcjeon', data: { 'index.html': 'hello\n' } }],
      // Published as docs/network-policy.md says (the digest of the image cluster/build/build.sh built on 2026-12-06):
      // without it, multinic:PolicyDaemonImage warns about the local cluster's reference.
      policy: { daemonImage: BASE_DAEMON_IMAGE },
    },
  };
}

/** The daemon image of `baseIntent()`: in ECR Public, pinned by digest. */
export const BASE_DAEMON_IMAGE = 'public.ecr.aws/multinic/multi-networkpolicy-iptables:cbf2b11@sha256:51416af773758eaae263a2f12846572302aa2b3355b3bdc570b485ca829c1b82';

/** The spec of an intent input, with the lists the schema defaults written out (they are in `baseIntent()`). */
export type SpecInput = NetworkIntentInput['spec'];
type Lists = 'subnets' | 'networks' | 'workloads' | 'services' | 'configMaps';
/** Typed access to `spec` whose defaulted lists are known to be present (as they are in `baseIntent()`). */
export function specOf(i: NetworkIntentInput): SpecInput & Required<Pick<SpecInput, Lists>> {
  return i.spec as SpecInput & Required<Pick<SpecInput, Lists>>;
}

/** A change to `baseIntent()` under test. */
export type Mutate = (i: NetworkIntentInput) => void;

export type NetworkInput = SpecInput['networks'] extends ReadonlyArray<infer N> | undefined ? N : never;
export type IpamInput = NetworkInput['ipam'];

/** `spec.networks[n]` of an intent input. */
export function network(i: NetworkIntentInput, n: number): NetworkInput {
  return specOf(i).networks[n];
}

/** The first host-local range of `spec.networks[n]` (network 0 in `baseIntent()`). */
export function hostLocalRange(i: NetworkIntentInput, n = 0): Extract<IpamInput, { type: 'host-local' }>['ranges'][number][number] {
  const ipam = network(i, n).ipam;
  if (ipam.type !== 'host-local') throw new Error(`spec.networks[${n}] is not host-local`);
  return ipam.ranges[0][0];
}

/** The whereabouts IPAM of `spec.networks[n]` (network 1 in `baseIntent()`). */
export function whereabouts(i: NetworkIntentInput, n = 1): Extract<IpamInput, { type: 'whereabouts' }> {
  const ipam = network(i, n).ipam;
  if (ipam.type !== 'whereabouts') throw new Error(`spec.networks[${n}] is not whereabouts`);
  return ipam;
}

/** Serialises an intent input as the YAML a person would write. */
export function yamlOf(intent: NetworkIntentInput): string {
  return stringify(intent);
}

/** Validates `baseIntent()` after `mutate` has changed it, through the same path the CLI takes (YAML text). */
export function validate(mutate: Mutate = () => undefined): ValidationResult {
  const intent = baseIntent();
  mutate(intent);
  return validateText(yamlOf(intent), 'intent.yaml');
}

/** Ids of the findings `parseIntent` reports; semantic rules run only when there is none. */
export const STRUCTURAL_IDS: readonly string[] = [
  'multinic:YamlSyntax', 'multinic:Schema', 'multinic:UnknownField', 'multinic:UnknownCniPlugin', 'multinic:UnknownIpamPlugin', 'multinic:UnknownWorkloadKind',
];

/**
 * The findings of `baseIntent()` after `mutate`, only those of `ruleId` when given. Asking for a semantic rule's
 * findings of a structurally broken intent throws: the rule never ran, so "no finding" would prove nothing.
 */
export function findingsFor(mutate: Mutate, ruleId?: string): Finding[] {
  const { findings, intent } = validate(mutate);
  if (ruleId === undefined) return findings;
  if (!intent && !STRUCTURAL_IDS.includes(ruleId)) {
    throw new Error(`the mutated intent is structurally invalid, so ${ruleId} never ran:\n${findings.map((f) => f.message).join('\n')}`);
  }
  return findings.filter((f) => f.id === ruleId);
}

/** `{path, message}` of each finding: what most assertions compare. */
export function pathsAndMessages(findings: readonly Finding[]): Array<{ path: string; message: string }> {
  return findings.map(({ path, message }) => ({ path, message }));
}

/** Turns `baseIntent()` into its flavour eks equivalent: EKS 1.36, the VPC CNI, no control-plane group. */
export const toEks: Mutate = (i) => {
  i.spec.cluster = { ...i.spec.cluster, flavour: 'eks', kubernetesVersion: '1.36.5', primaryCni: 'aws-vpc-cni' };
  i.spec.nodeGroups = i.spec.nodeGroups.filter((g) => g.role !== 'control-plane');
};

/** `toEks`, then `mutate`. */
export function eks(mutate: Mutate = () => undefined): Mutate {
  return (i) => { toEks(i); mutate(i); };
}
