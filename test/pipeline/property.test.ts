/**
 * The pipeline's promise (issue 13): for every intent `validate` accepts, `multinic synth`, the cdk8s app and the
 * CDK app succeed; so every intent they would reject has an error finding first.
 *
 * The corpus is the default intent changed in ways a person plausibly would (seeded, so every run tries the same
 * intents): names that collide once "-" and "/" are dropped, AWS limits (admin CIDR, subnet sizes, prefix counts,
 * node counts), node labels, Kubernetes versions, mounts, CNI fields the plugins refuse. Validation runs on all of
 * them (cheap); the charts are synthesized for a sample of the accepted ones, the CDK app (cdk-nag and the built-in
 * CloudFormation validation, as bin/cdk-app.ts runs it) for a smaller sample, since each CDK synth takes seconds.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parse, stringify } from 'yaml';
import { synthManifests } from '../../charts/app';
import { addStacksForIntent } from '../../infra/stacks';
import { defaultIntentPath } from '../../lib/intent/load';
import { validateText, type ValidationResult } from '../../lib/intent/validate';
import { cdkJsonContext, ENI_SCRIPT_FIXTURE, MANIFESTS_FIXTURE } from '../infra/util';
import { rng } from '../util/rng';

const SEED = 1313;
const INTENTS = 400;
/** Accepted intents whose charts are synthesized (in-process) and whose cdk8s app runs (a process each). */
const CHART_SAMPLE = 12;
const CDK8S_APP_SAMPLE = 2;
/** Accepted intents the CDK app is built for; the first with the built-in CloudFormation validation on. */
const CDK_SAMPLE = 3;

const ROOT = path.resolve(__dirname, '../..');
const CDK8S_APP = path.join(ROOT, 'build/bin/cdk8s-app.js');


type Doc = any;
type Change = { what: string; apply(d: Doc): void };

const NAMES = ['a-b', 'a', 'b-c', 'x1', 'x-1', 'multus-1', 'multus1', 'c'];
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** Changes a person could make, each with plausible values (valid and invalid ones alike). */
function changes(r: () => number): Change[] {
  const v = <T>(xs: readonly T[]) => pick(r, xs);
  return [
    { what: 'adminCidr', apply: (d) => { d.spec.cluster.adminCidr = v(['0.0.0.0/0', '203.0.113.0/24', '10.0.0.0/8', '0.0.0.0/1', '192.0.2.7/32']); } },
    { what: 'kubernetesVersion', apply: (d) => { d.spec.cluster.kubernetesVersion = v(['1.30.4', '1.36.0', '1.36.5', '1.37.0', '1.33.5']); } },
    { what: 'node labels', apply: (d) => { d.spec.nodeGroups[1].labels = v([{ team: 'a b' }, { 'node-role.kubernetes.io/worker': '' }, { 'example.com/x': 'y' }, { team: 'net' }, { 'node.kubernetes.io/pool': 'p1' }, { 'a/b/c': 'x' }]); } },
    { what: 'interface name', apply: (d) => { const n = v(['multus0', 'm.', 'eth1', 'a_b', '..', 'multus-', 'x'.repeat(16)]); const old = d.spec.nodeGroups[1].interfaces[0].name; d.spec.nodeGroups[1].interfaces[0].name = n; for (const net of d.spec.networks) if (net.master === old) net.master = n; } },
    { what: 'subnet cidr', apply: (d) => { d.spec.subnets[0].cidr = v(['10.0.128.0/24', '10.0.128.0/29', '10.0.200.0/21', '10.0.0.0/24', '10.0.128.0/28', '10.0.128.0/16']); } },
    { what: 'pod reservation', apply: (d) => { d.spec.subnets[0].podCidrReservation = v(['10.0.128.128/25', '10.0.128.0/26', '10.0.200.0/25', '10.0.128.240/28']); } },
    { what: 'worker count', apply: (d) => { d.spec.nodeGroups[1].count = v([1, 2, 3, 7, 13, 40]); } },
    { what: 'prefix count', apply: (d) => { d.spec.nodeGroups[1].interfaces[0].ipv4PrefixCount = v([0, 1, 2, 4, 16]); } },
    { what: 'second subnet and interface', apply: (d) => { d.spec.subnets.push({ name: v(NAMES), cidr: v(['10.0.129.0/24', '10.0.130.0/24']), zone: v(['a', 'b']) }); d.spec.nodeGroups[1].interfaces.push({ name: 'multus1', subnet: d.spec.subnets[d.spec.subnets.length - 1].name }); } },
    { what: 'subnet name', apply: (d) => { const n = v(NAMES); const old = d.spec.subnets[0].name; d.spec.subnets[0].name = n; for (const g of d.spec.nodeGroups) for (const i of g.interfaces ?? []) if (i.subnet === old) i.subnet = n; } },
    { what: 'a third node group', apply: (d) => { d.spec.nodeGroups.push({ ...structuredClone(d.spec.nodeGroups[1]), name: v(['workers-1', 'workers1', 'w']) }); } },
    { what: 'colliding networks a-b/c and a/b-c', apply: (d) => { const base = structuredClone(d.spec.networks[1]); d.spec.networks.push({ ...base, namespace: 'a-b', name: 'c', ipam: { type: 'whereabouts', range: '10.5.0.0/24' } }, { ...base, namespace: 'a', name: 'b-c', ipam: { type: 'whereabouts', range: '10.6.0.0/24' } }); } },
    { what: 'colliding bridge networks', apply: (d) => { d.spec.networks.push({ name: 'c', namespace: 'a-b', type: 'bridge', bridge: 'br1', ipam: { type: 'whereabouts', range: '10.7.0.0/24' } }, { name: 'b-c', namespace: 'a', type: 'bridge', bridge: 'br2', ipam: { type: 'whereabouts', range: '10.8.0.0/24' } }); } },
    { what: 'colliding workloads', apply: (d) => { const w = structuredClone(d.spec.workloads[0]); d.spec.workloads.push({ ...w, namespace: 'a-b', name: 'c', networks: [] }, { ...structuredClone(w), namespace: 'a', name: 'b-c', networks: [] }); } },
    { what: 'colliding config maps and services', apply: (d) => { d.spec.configMaps.push({ name: 'c', namespace: 'a-b', data: { k: 'v' } }, { name: 'b-c', namespace: 'a', data: { k: 'v' } }); d.spec.services.push({ name: 'c', namespace: 'a-b', selector: { app: 'x' }, ports: [{ port: 80 }] }, { name: 'b-c', namespace: 'a', selector: { app: 'x' }, ports: [{ port: 80 }] }); } },
    { what: 'config map mounted twice', apply: (d) => { const w = d.spec.workloads[2]; w.container.mounts.push({ configMap: w.container.mounts[0].configMap, path: v(['/srv/other', '/usr/share/nginx/html', '/usr/share/nginx/html/']) }); } },
    { what: 'whereabouts fields', apply: (d) => { Object.assign(d.spec.networks[1].ipam, v([{ network_name: '' }, { network_name: 'pool-a' }, { range_start: '10.4.128.10', range_end: '10.4.128.5' }, { gateway: '10.4.128.1' }])); } },
    { what: 'host-local fields', apply: (d) => { Object.assign(d.spec.networks[0].ipam, v([{ dataDir: 'relative/dir' }, { dataDir: '/var/lib/cni/x' }, { routes: [{ dst: '0.0.0.0/0' }] }])); } },
    { what: 'sysctl', apply: (d) => { d.spec.networks[0].sysctl = v([{}, { 'net.ipv4.conf.IFNAME.arp_notify': '1' }, { 'kernel.pid_max': '1' }]); } },
    { what: 'network type', apply: (d) => { const n = d.spec.networks[3]; if (!n) return; Object.assign(n, v([{ type: 'macvlan', mode: 'bridge' }, { type: 'ipvlan', mode: 'l3' }])); } },
    { what: 'eni-prefix on a bridge', apply: (d) => { d.spec.networks.push({ name: 'br', namespace: 'default', type: 'bridge', ipam: { type: 'eni-prefix' } }); } },
    { what: 'host-device', apply: (d) => { d.spec.networks.push({ name: 'hd', namespace: 'default', type: 'host-device', device: d.spec.nodeGroups[1].interfaces[0].name, ipam: v([{ type: 'dhcp' }, { type: 'dhcp', daemonSocketPath: 'run/x.sock' }, { type: 'eni-prefix', prefixes: 1 }]) }); } },
    { what: 'vpc', apply: (d) => { d.spec.vpc.cidr = v(['10.0.0.0/16', '10.0.0.0/20', '10.0.0.0/12']); } },
    { what: 'flavour', apply: (d) => { d.spec.cluster.flavour = v(['kubeadm', 'eks']); } },
    { what: 'platform', apply: (d) => { d.spec.platform = v(['aws', 'generic']); } },
  ];
}

interface Case { readonly n: number; readonly what: string; readonly text: string; readonly result: ValidationResult }

function corpus(): Case[] {
  const r = rng(SEED);
  const base = parse(fs.readFileSync(defaultIntentPath(), 'utf8')) as Doc;
  const out: Case[] = [];
  for (let n = 0; n < INTENTS; n++) {
    const d = structuredClone(base);
    const all = changes(r);
    const whats: string[] = [];
    for (let k = 0, count = 1 + Math.floor(r() * 3); k < count; k++) {
      const c = pick(r, all);
      c.apply(d);
      whats.push(c.what);
    }
    const text = stringify(d);
    out.push({ n, what: whats.join('; '), text, result: validateText(text, `property-${n}.yaml`) });
  }
  return out;
}

const CASES = corpus();
const ACCEPTED = CASES.filter((c) => c.result.valid);
/** Evenly spread over the accepted cases, so a sample sees different changes. */
const sample = (k: number) => ACCEPTED.filter((_, i) => i % Math.max(1, Math.floor(ACCEPTED.length / k)) === 0).slice(0, k);

describe(`pipeline property: validate accepts => every output builds (${INTENTS} intents, seed ${SEED})`, () => {
  test('the corpus has accepted and rejected intents, and validation never crashes', () => {
    expect(ACCEPTED.length).toBeGreaterThan(CHART_SAMPLE);
    expect(CASES.length - ACCEPTED.length).toBeGreaterThan(50);
    expect(CASES.filter((c) => c.result.internalErrors > 0).map((c) => `#${c.n} ${c.what}: ${c.result.findings.map((f) => f.message).join('; ')}`)).toEqual([]);
  });

  test('the rejected intents include those synthesis once crashed on (so the property is tried where it matters)', () => {
    const ids = new Set(CASES.flatMap((c) => c.result.findings.filter((f) => f.level === 'error').map((f) => f.id)));
    for (const id of ['multinic:AdminCidrOpen', 'multinic:KubernetesVersion', 'multinic:NodeLabel', 'multinic:ConstructIdCollision',
      'multinic:DuplicateMountPath', 'multinic:CniConfig', 'multinic:PrefixReservation', 'multinic:SubnetSize', 'multinic:InterfaceName']) {
      expect([id, ids.has(id)]).toEqual([id, true]);
    }
    // AND accepted intents include names that collide once "-" and "/" are dropped (the charts' ids must not)
    expect(ACCEPTED.some((c) => c.what.includes('colliding workloads'))).toBe(true);
    expect(ACCEPTED.some((c) => c.what.includes('colliding bridge networks'))).toBe(true);
    expect(ACCEPTED.some((c) => c.what.includes('colliding config maps'))).toBe(true);
  });

  test(`multinic synth's charts build for ${CHART_SAMPLE} accepted intents`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-property-'));
    const failures: string[] = [];
    try {
      // The spread sample, plus accepted intents whose names collide once "-" and "/" are dropped.
      const colliding = ACCEPTED.filter((c) => c.what.includes('colliding')).slice(0, 4);
      for (const c of [...new Set([...sample(CHART_SAMPLE), ...colliding])]) {
        try {
          synthManifests(c.result.model!, path.join(dir, `out${c.n}`), {}, { withSelftest: c.n % 2 === 0 });
        } catch (e) {
          failures.push(`#${c.n} (${c.what}): ${(e as Error).message}`);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(failures).toEqual([]);
  });

  test(`the cdk8s app (build/bin/cdk8s-app.js) builds ${CDK8S_APP_SAMPLE} accepted intents`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-property-cdk8s-'));
    const failures: string[] = [];
    try {
      for (const c of sample(CDK8S_APP_SAMPLE)) {
        const file = path.join(dir, `i${c.n}.yaml`);
        fs.writeFileSync(file, c.text);
        const p = spawnSync(process.execPath, [CDK8S_APP], { cwd: ROOT, env: { ...process.env, MULTINIC_INTENT: file, CDK8S_OUTDIR: path.join(dir, `out${c.n}`) }, encoding: 'utf8', timeout: 60_000 });
        if (p.status !== 0) failures.push(`#${c.n} (${c.what}): exit ${p.status}: ${p.stderr.slice(0, 400)}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(failures).toEqual([]);
  });

  test(`the CDK app (cdk-nag, CloudFormation validation) builds ${CDK_SAMPLE} accepted intents`, () => {
    const failures: string[] = [];
    const saved = process.env.CDK_VALIDATION;
    try {
      sample(CDK_SAMPLE).forEach((c, i) => {
        // The first with the built-in CloudFormation validation of cdk.json (as the real app runs), the rest without
        // it (seconds per template); cdk-nag runs on all.
        if (i === 0) delete process.env.CDK_VALIDATION;
        else process.env.CDK_VALIDATION = 'false';
        const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-property-cdk-'));
        try {
          const app = new App({ outdir, context: cdkJsonContext() });
          addStacksForIntent(app, { intent: c.result.intent!, model: c.result.model, manifestsDir: MANIFESTS_FIXTURE, eniScript: ENI_SCRIPT_FIXTURE });
          Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
          app.synth();
        } catch (e) {
          failures.push(`#${c.n} (${c.what}): ${(e as Error).message.slice(0, 600)}`);
        } finally {
          fs.rmSync(outdir, { recursive: true, force: true });
        }
      });
    } finally {
      if (saved === undefined) delete process.env.CDK_VALIDATION;
      else process.env.CDK_VALIDATION = saved;
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
