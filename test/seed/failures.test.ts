/**
 * Issue 19, phase 1: each of the seed notes' failures is refused by `multinic validate` with its finding, and the
 * manifest the notes applied by hand (the one the local cluster gets in test/cluster/seed-*.test.ts) is the same
 * object as the refused intent describes, so the two tests prove things about one thing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { Io } from '../../bin/cli';
import { main } from '../../bin/main';
import { SEED_FAILURES, SEED_FIXTURES } from './failures';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; } };
  return { code: await main(argv, io), out, err };
}

const header = (text: string, key: string) => new RegExp(`^# ${key}: (.*)$`, 'm').exec(text)?.[1];

type Obj = Record<string, unknown> & { kind?: string; metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> } };
type IntentNetwork = { name: string; namespace?: string; type: string; master?: string; cniVersion?: string; mode?: string; ipam: Record<string, unknown> };
type IntentWorkload = { kind: string; name: string; namespace?: string; networks?: string[] };

function manifestObjects(file: string): Obj[] {
  return parseAllDocuments(readFileSync(join(SEED_FIXTURES, file), 'utf8')).map((d) => d.toJS() as Obj).filter(Boolean);
}

describe('the seed notes\' failures: multinic validate refuses each', () => {
  test('every intent under test/fixtures/seed/ is in the table or the working pair of item 7', () => {
    const intents = readdirSync(SEED_FIXTURES).filter((f) => f.endsWith('.intent.yaml')).sort();
    expect(intents).toEqual([...SEED_FAILURES.flatMap((f) => (f.intent ? [f.intent] : [])), 'same-name-two-namespaces.intent.yaml'].sort());
  });

  describe.each(SEED_FAILURES.filter((f) => f.intent).map((f) => [`${f.n}. ${f.title}`, f] as const))('%s', (_title, f) => {
    const file = join(SEED_FIXTURES, f.intent!);
    const text = readFileSync(file, 'utf8');

    test(`exit 1 with exactly one error, ${f.finding}, at its line, with the message the fixture announces`, async () => {
      // GIVEN the failure written as an intent, announcing its finding
      expect(header(text, 'expect')).toBe(f.finding);
      const message = header(text, 'message')!;
      // WHEN validated through the CLI, as a user would
      const r = await cli('validate', '-i', file, '--json');
      // THEN refused, with that one error and the fix
      expect(r.code).toBe(1);
      const json = JSON.parse(r.out) as { valid: boolean; findings: Array<{ id: string; level: string; message: string; fix: string; line?: number }> };
      expect(json.valid).toBe(false);
      const errors = json.findings.filter((x) => x.level === 'error');
      expect(errors.map((x) => x.id)).toEqual([f.finding]);
      expect(errors[0].message).toContain(message);
      expect(errors[0].fix.length).toBeGreaterThan(0);
      expect(errors[0].line).toBeGreaterThan(0);
    });

    test('synth refuses it too and writes nothing', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'multinic-seed-'));
      try {
        const r = await cli('synth', '-i', file, '-o', join(dir, 'dist'));
        expect(r.code).toBe(1);
        expect(readdirSync(dir)).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  test.each(SEED_FAILURES.filter((f) => f.manifest).map((f) => [`${f.n}. ${f.title}`, f] as const))(
    'the hand-written manifest of %s is the object the intent describes', (_title, f) => {
      // GIVEN the notes' manifest and the intent multinic refuses
      const objects = manifestObjects(f.manifest!);
      const intent = parse(readFileSync(join(SEED_FIXTURES, f.intent!), 'utf8')) as { spec: { networks: IntentNetwork[]; workloads: IntentWorkload[] } };
      const [net] = intent.spec.networks;
      // THEN one NetworkAttachmentDefinition, the intent's network: name, namespace, plugin, master and IPAM
      const nads = objects.filter((o) => o.kind === 'NetworkAttachmentDefinition');
      expect(nads).toHaveLength(1);
      expect([nads[0].metadata?.name, nads[0].metadata?.namespace ?? 'default']).toEqual([net.name, net.namespace ?? 'default']);
      const config = JSON.parse((nads[0].spec as { config: string }).config) as Record<string, unknown>;
      expect({ type: config.type, master: config.master, mode: config.mode, cniVersion: config.cniVersion })
        .toEqual({ type: net.type, master: net.master, mode: net.mode, cniVersion: net.cniVersion });
      expect(config.ipam).toEqual(net.ipam);
      // AND each Pod or Deployment is the intent's workload of that name, attaching the network by the same name
      const workloads = objects.filter((o) => o.kind === 'Pod' || o.kind === 'Deployment') as Array<Obj & { spec: { replicas?: number; template?: Obj } }>;
      expect(workloads.length).toBeGreaterThan(0);
      for (const o of workloads) {
        const w = intent.spec.workloads.find((x) => x.kind === o.kind && x.name === o.metadata?.name)!;
        expect([o.kind, o.metadata?.name, o.metadata?.namespace]).toEqual([w?.kind, w?.name, w?.namespace]);
        const annotations = o.kind === 'Pod' ? o.metadata?.annotations : o.spec.template?.metadata?.annotations;
        expect(annotations?.['k8s.v1.cni.cncf.io/networks']).toBe(w.networks?.join(','));
        if (o.kind === 'Deployment') expect(o.spec.replicas).toBe((w as { replicas?: number }).replicas);
      }
      const workload = intent.spec.workloads.find((x) => x.name === workloads[0].metadata?.name)!;
      // AND every namespace it uses besides default is created first
      const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name);
      expect(namespaces).toEqual([...new Set([net.namespace, workload.namespace])].filter((n) => n && n !== 'default'));
      expect(objects[0].kind).toBe('Namespace');
    });

  test('failure 5 is AWS\'s: the same intent with spec.platform generic (the local cluster, no VPC) is valid', async () => {
    const text = readFileSync(join(SEED_FIXTURES, 'failure-5-macvlan-across-nodes.intent.yaml'), 'utf8');
    expect(text).toContain('\nspec:\n');
    const dir = mkdtempSync(join(tmpdir(), 'multinic-seed-'));
    try {
      const file = join(dir, 'generic.yaml');
      writeFileSync(file, text.replace('\nspec:\n', '\nspec:\n  platform: generic\n'));
      const r = await cli('validate', '-i', file);
      expect(r.code).toBe(0);
      expect(r.err).not.toContain('error multinic:');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('failure 3 the multinic way: the pinned pod asks for a node labelled with the interface no node has', () => {
    const [pod] = manifestObjects('failure-3-pinned-pod.yaml') as Array<Obj & { spec: { affinity: unknown } }>;
    expect(pod.spec.affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{
      matchExpressions: [{ key: 'multinic.dev/interface-eth1', operator: 'In', values: ['true'] }],
    }] } } });
  });
});

describe('issue 19, item 7: one network name in two namespaces', () => {
  test('with spec.config (whereabouts) the pair is valid: Multus resolves each by namespace/name', async () => {
    const r = await cli('validate', '-i', join(SEED_FIXTURES, 'same-name-two-namespaces.intent.yaml'));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/valid \(0 errors, 0 warnings\)/);
  });

  test('as eni-prefix networks (no spec.config, found by name alone on the node) the pair is refused', async () => {
    const r = await cli('validate', '-i', join(SEED_FIXTURES, '..', 'invalid', 'network-per-node-same-name.yaml'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('error multinic:PerNodeNetworkNameClash');
    expect(r.err).toContain('Multus finds the configuration by the name "routable-net" alone in /etc/cni/multus/net.d and cannot tell them apart');
  });
});
