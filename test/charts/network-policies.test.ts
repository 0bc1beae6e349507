import { Chart, Testing } from 'cdk8s';
import { NetworkPolicies } from '../../charts/policy/network-policies';
import { buildModel } from '../../lib/model/model';
import { multiNetworkPolicies, POLICY_FOR_ANNOTATION } from '../../lib/policy/multi-network-policies';
import { defaultIntent, defaultModel } from '../util/default-model';
import { validateManifests } from '../util/k8s-schema';
import { VERSIONS } from '../../lib/versions';

describe('NetworkPolicies', () => {
  // GIVEN the default intent
  const model = defaultModel();
  const chart = new Chart(Testing.app(), 'test');
  new NetworkPolicies(chart, 'Policies', { model });
  const objects = Testing.synth(chart);
  const policies = objects.filter((o) => o.kind === 'MultiNetworkPolicy');

  test('every object passes Kubernetes and CRD schema validation (the policies against the committed CRD)', () => {
    expect(validateManifests(objects)).toEqual([]);
  });

  test('one object per lib/policy policy, each for its network by annotation, ingress only', () => {
    expect(policies.map((p) => `${p.metadata.namespace}/${p.metadata.name} for ${p.metadata.annotations[POLICY_FOR_ANNOTATION]}`)).toEqual(
      multiNetworkPolicies(model).map((p) => `${p.namespace}/${p.name} for ${p.network}`),
    );
    for (const p of policies) expect(p.spec.policyTypes).toEqual(['Ingress']);
  });

  test('the deny-all selects every pod of its namespace and admits nothing', () => {
    const deny = policies.find((p) => p.metadata.name === 'multinic-dcjeon-whereabouts-eth1-conf');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [] });
  });

  test('the web rule: the web pods admit the client on TCP 80, selected by both pod and namespace labels', () => {
    const allow = policies.find((p) => p.metadata.name === 'multinic-redhet-demo-ipvlan-whereabouts-net-attach-def-0');
    expect(allow.spec).toEqual({
      podSelector: { matchLabels: { app: 'ipvlan-whereabouts' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ podSelector: { matchLabels: { app: 'ipvlan-whereabouts-client' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'redhet-demo' } } }],
        ports: [{ protocol: 'TCP', port: 80 }],
      }],
    });
  });

  test('every pod peer of every policy carries a namespaceSelector (a podSelector alone crosses namespaces)', () => {
    const peers = policies.flatMap((p) => p.spec.ingress.flatMap((r: { from: Array<Record<string, unknown>> }) => r.from));
    expect(peers.length).toBeGreaterThan(0);
    for (const peer of peers) if (peer.podSelector) expect(peer.namespaceSelector).toBeDefined();
  });

  test('the daemon polices the intent\'s plugin types and carries its ICMP rules', () => {
    const ds = objects.find((o) => o.kind === 'DaemonSet');
    expect(ds.spec.template.spec.containers[0].args).toContain('--network-plugins=ipvlan');
    const rules = objects.find((o) => o.kind === 'ConfigMap').data['custom-v4-ingress.txt'];
    // Every network takes eni-prefix addresses in subnet multus-a: a pod peer's block is that subnet.
    expect(rules).toContain('# dcjeon/whereabouts-eth1-conf\n-s 10.0.128.0/24 -d 10.0.128.0/24 -p icmp -j ACCEPT');
    expect(rules).toContain('# redhet-demo/ipvlan-whereabouts-net-attach-def\n-s 10.0.128.0/24 -d 10.0.128.0/24 -p icmp -j ACCEPT');
    expect(rules).toContain('# redhet-demo/routable-net\n-s 10.0.128.0/24 -d 10.0.128.0/24 -p icmp -j ACCEPT');
    expect(rules).not.toContain('# default/ipvlan-conf');
  });

  test('an intent without networks gets neither daemon nor policy', () => {
    const intent = defaultIntent();
    const empty = buildModel({ ...intent, spec: { ...intent.spec, networks: [], workloads: [], services: [] } });
    const c = new Chart(Testing.app(), 'empty');
    new NetworkPolicies(c, 'Policies', { model: empty });
    expect(Testing.synth(c)).toEqual([]);
  });

  test('the daemon runs spec.policy.daemonImage when set, else the local cluster\'s reference', () => {
    const image = (m: ReturnType<typeof buildModel>) => {
      const c = new Chart(Testing.app(), 'image');
      new NetworkPolicies(c, 'Policies', { model: m });
      return Testing.synth(c).find((o) => o.kind === 'DaemonSet').spec.template.spec.containers[0].image;
    };
    expect(image(model)).toBe(VERSIONS.multiNetworkPolicy.image);
    const intent = defaultIntent();
    const published = 'public.ecr.aws/multinic/multi-networkpolicy-iptables:cbf2b11@sha256:51416af773758eaae263a2f12846572302aa2b3355b3bdc570b485ca829c1b82';
    expect(image(buildModel({ ...intent, spec: { ...intent.spec, policy: { daemonImage: published } } }))).toBe(published);
  });
});
