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

  test('the embedded default intent is valid; it warns that the seed networks do not route between nodes, that its service network is not proxied and that its policy daemon image is the local cluster\'s', () => {
    // GIVEN network-intent.yaml at the repository root
    const text = readFileSync(join(__dirname, '../../network-intent.yaml'), 'utf8');
    // WHEN it is validated
    const r = validateText(text, 'network-intent.yaml');
    // THEN it has no error
    expect(r.valid).toBe(true);
    expect(r.findings.map((f) => `${f.id} ${f.path}`)).toEqual([
      'multinic:NotRoutableBetweenNodes spec.networks[0].ipam.type',
      'multinic:NotRoutableBetweenNodes spec.networks[1].ipam.type',
      'multinic:NotRoutableBetweenNodes spec.networks[2].ipam.type',
      'multinic:ServiceNetworkNotProxied spec.services[0].network',
      'multinic:PolicyDaemonImage spec.networks',
    ]);
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
