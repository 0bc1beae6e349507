import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateText } from '../../lib/intent/validate';
import { RULES } from '../../lib/rules';
import { findingsFor, STRUCTURAL_IDS, toEks, validate } from '../util/intent';

describe('RULES', () => {
  test('every rule has a unique, namespaced id, a level, and says what, why and how to fix', () => {
    // THEN ids are unique and never collide with the structural ids
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => STRUCTURAL_IDS.includes(id))).toEqual([]);
    for (const r of RULES) {
      expect(r.id).toMatch(/^multinic:[A-Z][A-Za-z0-9]+$/);
      expect(['error', 'warning']).toContain(r.level);
      expect([r.id, r.summary.length > 10, r.why.length > 10, r.fix.length > 5]).toEqual([r.id, true, true, true]);
    }
  });

  test('the shared base intent is valid and raises only the not-routable warnings of its two seed networks', () => {
    // GIVEN test/util/intent.ts baseIntent(), which every rule test mutates (rule tests filter by their rule id)
    // WHEN it is validated
    const r = validate();
    // THEN only the documented limit of the seed's IPAM on AWS fires, so every other finding comes from a mutation
    expect(r.findings.map((f) => `${f.id} ${f.path}`)).toEqual([
      'multinic:NotRoutableBetweenNodes spec.networks[0].ipam.type',
      'multinic:NotRoutableBetweenNodes spec.networks[1].ipam.type',
    ]);
    expect(r.valid).toBe(true);
  });

  test('the embedded default intent is valid; every network routes between nodes: its one warning is the policy daemon image, the local cluster\'s', () => {
    // GIVEN network-intent.yaml at the repository root
    const text = readFileSync(join(__dirname, '../../network-intent.yaml'), 'utf8');
    // WHEN it is validated
    const r = validateText(text, 'network-intent.yaml');
    // THEN no error, and none of the seed's own warnings (they are examples/seed-faithful.yaml's: test/examples)
    expect(r.valid).toBe(true);
    expect(r.findings.map((f) => `${f.id} ${f.path}`)).toEqual(['multinic:PolicyDaemonImage spec.networks']);
  });

  test('its local-cluster twin (test/fixtures/cluster/default-macvlan.yaml) is valid with no finding at all', () => {
    const r = validateText(readFileSync(join(__dirname, '../fixtures/cluster/default-macvlan.yaml'), 'utf8'), 'default-macvlan.yaml');
    expect(r.findings.map((f) => `${f.id} ${f.path}`)).toEqual([]);
  });
});

describe('RULES under flavour eks', () => {
  test('the eks form of the base intent is valid and raises the same findings as the kubeadm form', () => {
    // GIVEN the base intent turned into flavour eks (no control-plane group, the VPC CNI, EKS 1.36)
    const r = validate(toEks);
    // THEN no kubeadm-only rule misfires and no eks rule fires
    expect(r.findings.map((f) => `${f.id} ${f.path}`)).toEqual([
      'multinic:NotRoutableBetweenNodes spec.networks[0].ipam.type',
      'multinic:NotRoutableBetweenNodes spec.networks[1].ipam.type',
    ]);
    expect(r.valid).toBe(true);
  });

  test('rules limited to one flavour are skipped under the other', () => {
    // GIVEN the kubeadm-only ControlPlane rule and an eks intent without a control-plane group
    const cp = RULES.find((x) => x.id === 'multinic:ControlPlane');
    expect(cp?.flavours).toEqual(['kubeadm']);
    // THEN it does not fire there, while on kubeadm the same node groups are an error
    expect(findingsFor(toEks, 'multinic:ControlPlane')).toEqual([]);
    expect(findingsFor((i) => { i.spec.nodeGroups.shift(); }, 'multinic:ControlPlane')).toHaveLength(1);
    // AND every eks-only rule is skipped on the kubeadm base intent
    const eksOnly = RULES.filter((x) => x.flavours?.includes('eks') && !x.flavours.includes('kubeadm')).map((x) => x.id);
    expect(eksOnly).toEqual(['multinic:EksNodeGroups', 'multinic:EksKubernetesVersion', 'multinic:EksServiceCidr', 'multinic:EksPodCapacity']);
    expect(validate().findings.filter((f) => eksOnly.includes(f.id))).toEqual([]);
  });
});
