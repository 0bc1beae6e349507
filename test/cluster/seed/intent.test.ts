/**
 * The seed suites' choice of intent (test/cluster/seed/intent.ts): the AWS-faithful variant exactly when the kernel
 * can create ipvlan links, and both variants valid, runnable by the box on the kernel they are chosen for, and
 * carrying what the scenarios look up. Runs without a box (no cluster is started here).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse, stringify } from 'yaml';
import { boxTopology } from '../../../cluster/topology';
import { hostInfo } from '../../../cluster/provider/host';
import { validateText } from '../../../lib/intent/validate';
import type { IntentModel } from '../../../lib/model/model';
import { samplePod, seedIntent, seedIntentFor, test7Parts } from './intent';

const KERNELS = { withIpvlan: { macvlan: true, ipvlan: true, bridge: true }, withoutIpvlan: { macvlan: true, ipvlan: false, bridge: true } };

function validated(text: string, file: string): IntentModel {
  const r = validateText(text, file);
  expect(r.findings.filter((f) => f.level === 'error').map((f) => f.message)).toEqual([]);
  return r.model!;
}

describe('seedIntentFor', () => {
  test('a kernel that can create ipvlan links gets the default intent (VPC rule on); any other the macvlan variant', () => {
    expect([basename(seedIntentFor(KERNELS.withIpvlan).file), seedIntentFor(KERNELS.withIpvlan).variant]).toEqual(['network-intent.yaml', 'ipvlan']);
    expect([basename(seedIntentFor(KERNELS.withoutIpvlan).file), seedIntentFor(KERNELS.withoutIpvlan).variant]).toEqual(['seed-whereabouts-generic.yaml', 'macvlan']);
    // (a probe that could not run says nothing about ipvlan: the variant every kernel of the box runs)
    expect(seedIntentFor({}).variant).toBe('macvlan');
  });

  test('seedIntent() follows the probe of this kernel', () => {
    expect(seedIntent()).toEqual(seedIntentFor(hostInfo().links));
  });
});

describe.each([['ipvlan', KERNELS.withIpvlan], ['macvlan', KERNELS.withoutIpvlan]] as const)('the %s variant', (variant, kernel) => {
  const { file } = seedIntentFor(kernel);
  const text = readFileSync(file, 'utf8');

  test('is valid, and the box runs every network of it on the kernel it is chosen for, with the VPC rule on exactly for ipvlan', () => {
    const model = validated(text, file);
    const topo = boxTopology(model.intent, kernel);
    expect(topo.networks.filter((n) => !n.support.ok).map((n) => n.key)).toEqual([]);
    expect([topo.platform, topo.vpcRule]).toEqual(variant === 'ipvlan' ? ['aws', true] : ['generic', false]);
    // (the macvlan variant runs on a kernel without ipvlan: it has no ipvlan network)
    if (variant === 'macvlan') expect(model.networks.filter((n) => n.network.type === 'ipvlan')).toEqual([]);
  });

  test('carries what the scenarios look up: the sample pod, test 7\'s parts over two workers, a worker interface', () => {
    const model = validated(text, file);
    expect(samplePod(model).attachments[0].network?.master).toBeDefined();
    const t7 = test7Parts(model);
    expect(t7.deploy.podCount).toBe(2);
    expect(t7.page).toContain('<html>');
    expect(t7.net.nodeGroups.reduce((n, g) => n + g.count, 0)).toBeGreaterThanOrEqual(2);
    expect(model.intent.spec.nodeGroups.find((g) => g.role === 'worker' && g.interfaces.length > 0)).toBeDefined();
  });

  test('its pods-only form (seed-failures\' box, a worker held back) stays valid, and has the network 3.5 needs', () => {
    const doc = parse(text) as { spec: { workloads: Array<{ kind: string }>; services: unknown[] } };
    doc.spec.workloads = doc.spec.workloads.filter((w) => w.kind === 'Pod');
    doc.spec.services = [];
    const model = validated(stringify(doc), file);
    // (3.5's working half: an ipvlan network on per-node prefixes, only in the AWS-faithful variant)
    expect(model.networks.some((n) => n.network.type === 'ipvlan' && n.network.ipam.type === 'eni-prefix')).toBe(variant === 'ipvlan');
  });
});
