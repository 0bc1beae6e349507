import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Io } from '../../bin/cli';
import { main } from '../../bin/main';
import { parseAllDocuments } from 'yaml';

/** The seed's networks as the notes had them (host-local, Whereabouts): the default intent moved them to eni-prefix. */
const SEED_TEXT = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'seed-faithful.yaml'), 'utf8');
const SEED_FILE = path.join(__dirname, '..', '..', 'examples', 'seed-faithful.yaml');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; } };
  const code = await main(argv, io);
  return { code, out, err };
}

function intentFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-cli-'));
  const file = path.join(dir, 'intent.yaml');
  fs.writeFileSync(file, text);
  return file;
}

/** The seed notes' failures, each made in the seed-faithful example. */
const SEED_FAILURES: Array<[string, string, string, string]> = [
  ['misspelt IPAM plugin', 'type: whereabouts\n        range: 10.4.128.0/24', 'type: whereaboutsss\n        range: 10.4.128.0/24',
    'unknown IPAM plugin "whereaboutsss"; did you mean "whereabouts"?'],
  ['network defined in another namespace', 'networks: [whereabouts-eth1-conf]', 'networks: [ipvlan-conf]',
    'spec.workloads[1].networks[0]: network "dcjeon/ipvlan-conf" is not defined (an unqualified name resolves to the workload\'s namespace "dcjeon"); it exists as "default/ipvlan-conf"'],
  ['master no node carries (the pod on a node without eth1)', 'master: multus0\n      mode: l2\n      ipam:\n        type: host-local', 'master: eth1\n      mode: l2\n      ipam:\n        type: host-local',
    'spec.networks[0].master: no node group carries interface "eth1"'],
  ['macvlan between nodes', 'type: ipvlan\n      master: multus0\n      mode: l2\n      ipam:\n        type: whereabouts\n        range: 10.4', 'type: macvlan\n      master: multus0\n      mode: bridge\n      ipam:\n        type: whereabouts\n        range: 10.4',
    'spec.networks[1].type: macvlan over ENI "multus0" cannot carry traffic between nodes'],
];

describe('multinic validate', () => {
  test('the default intent is valid: exit 0; every network routes between nodes, the one warning is the policy daemon image', async () => {
    const r = await cli('validate');
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning multinic:PolicyDaemonImage');
    expect(r.err).not.toContain('multinic:NotRoutableBetweenNodes');
    expect(r.err).not.toContain('multinic:ServiceNetworkNotProxied');
    expect(r.err).toMatch(/valid \(0 errors, 1 warning\)/);
  });

  test('the seed-faithful example is valid: exit 0, its warnings printed', async () => {
    const r = await cli('validate', '-i', SEED_FILE);
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning multinic:ServiceNetworkNotProxied');
    expect(r.err).toContain('warning multinic:NotRoutableBetweenNodes');
    expect(r.err).toContain('warning multinic:PolicyDaemonImage');
    expect(r.err).toMatch(/valid \(0 errors, 5 warnings\)/);
  });

  test.each(SEED_FAILURES)('seed failure, %s: finding printed, exit 1', async (_what, from, to, message) => {
    // GIVEN
    expect(SEED_TEXT).toContain(from);
    const file = intentFile(SEED_TEXT.replace(from, to));
    // WHEN
    const r = await cli('validate', '-i', file);
    // THEN
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
    expect(r.err).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error multinic:`));
    expect(r.err).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
  });

  test('--json prints machine-readable findings on stdout', async () => {
    const file = intentFile(SEED_TEXT.replace('master: multus0\n      mode: l2\n      ipam:\n        type: host-local', 'master: eth1\n      mode: l2\n      ipam:\n        type: host-local'));
    const r = await cli('validate', '-i', file, '--json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.valid).toBe(false);
    expect(json.findings.map((f: { id: string }) => f.id)).toContain('multinic:MasterNotOnAnyNode');
  });

  test('--strict fails on warnings', async () => {
    expect((await cli('validate', '--strict', '-i', SEED_FILE)).code).toBe(1);
    expect((await cli('validate', '--strict', '-i', path.join(__dirname, '..', 'fixtures', 'cluster', 'default-macvlan.yaml'))).code).toBe(0);
  });

  test('a missing file is one clear line, exit 1', async () => {
    const r = await cli('validate', '-i', '/nonexistent/intent.yaml');
    expect(r.code).toBe(1);
    expect(r.err).toBe('multinic validate: cannot read intent file /nonexistent/intent.yaml: no such file. Pass an existing file with -i FILE.\n');
  });

  test('an unknown flag is a usage error, exit 2', async () => {
    const r = await cli('validate', '--bogus');
    expect(r.code).toBe(2);
    expect(r.err).toContain("Unknown option '--bogus'");
  });
});

describe('multinic synth', () => {
  test('writes the manifests', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-synth-')), 'dist');
    const r = await cli('synth', '-o', out);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(out)).toEqual(['0000-multus.k8s.yaml', '0002-networks.k8s.yaml', '0003-workloads.k8s.yaml', 'PLAN.md']);
  });

  test('an invalid intent leaves the output directory untouched', async () => {
    // GIVEN an output directory from an earlier good run
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-synth-')), 'dist');
    await cli('synth', '-o', out);
    const before = fs.readdirSync(out).map((f) => fs.readFileSync(path.join(out, f), 'utf8'));
    // WHEN
    const file = intentFile(SEED_TEXT.replace('type: whereabouts\n        range: 10.4.128.0/24', 'type: whereaboutsss\n        range: 10.4.128.0/24'));
    const r = await cli('synth', '-i', file, '-o', out);
    // THEN
    expect(r.code).toBe(1);
    expect(r.err).toContain(`nothing written to ${out}`);
    expect(fs.readdirSync(out).map((f) => fs.readFileSync(path.join(out, f), 'utf8'))).toEqual(before);
  });
});

describe('multinic', () => {
  test('an unknown command lists the commands', async () => {
    const r = await cli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command "frobnicate". Commands: validate, synth/);
  });
});

describe('command registry', () => {
  test('each lazily registered command has the summary its module declares', () => {
    const { COMMANDS } = require('../../bin/commands');
    for (const c of COMMANDS as Array<{ name: string; summary: string; usage: string }>) {
      expect(c.usage).toMatch(new RegExp(`multinic ${c.name}`));
    }
    const fs2 = require('node:fs') as typeof import('node:fs');
    for (const c of COMMANDS as Array<{ name: string; summary: string }>) {
      const file = fs2.readdirSync(`${__dirname}/../../bin/commands`).find((f) => f === `${c.name}.ts`);
      expect(file).toBe(`${c.name}.ts`);
      expect(fs2.readFileSync(`${__dirname}/../../bin/commands/${file}`, 'utf8')).toContain(`summary: '${c.summary.replace(/'/g, "\\'")}'`);
    }
  });

  test('validate loads neither cdk8s nor the AWS SDK', async () => {
    const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
    const script = "require('./build/bin/main.js').main(['validate'],{out(){},err(){}}).then(()=>{const m=Object.keys(require.cache);console.log(JSON.stringify({cdk8s:m.some(k=>k.includes('/node_modules/cdk8s/')),sdk:m.some(k=>k.includes('@aws-sdk'))}))})";
    const out = execFileSync(process.execPath, ['-e', script], { cwd: `${__dirname}/../..`, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ cdk8s: false, sdk: false });
  });
});

describe('multinic verify', () => {
  test('without --aws or --k8s it is a usage error', async () => {
    const r = await cli('verify');
    expect(r.code).toBe(2);
    expect(r.err).toBe('multinic verify: say what to verify: --aws (EC2 instances and ENIs) or --k8s (pods and nodes)\n');
  });

  test('--k8s is dispatched: a missing kubeconfig is one clear line, exit 1', async () => {
    const r = await cli('verify', '--k8s', '--kubeconfig', '/nonexistent/kubeconfig');
    expect(r.code).toBe(1);
    expect(r.err).toContain('/nonexistent/kubeconfig');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  test('--help shows both modes', async () => {
    const r = await cli('verify', '--help');
    expect(r.out).toContain('--aws');
    expect(r.out).toContain('--kubeconfig');
  });
});

describe('multinic synth --with-selftest', () => {
  test('adds the self-test chart last, numbered after the workloads', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-synth-')), 'dist');
    const r = await cli('synth', '--with-selftest', '-o', out);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(out)).toEqual(['0000-multus.k8s.yaml', '0002-networks.k8s.yaml', '0003-workloads.k8s.yaml', '0004-selftest.k8s.yaml', 'PLAN.md']);
    const docs = parseAllDocuments(fs.readFileSync(path.join(out, '0004-selftest.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    expect(docs.every((d) => d.kind === 'Namespace' || d.metadata.namespace === 'multinic-selftest')).toBe(true);
    // Every network of the default intent is predicted to reach server B (another node) over net1 from the attached client.
    const attached = docs.filter((d) => d.kind === 'Job' && d.metadata.name.endsWith('-attached'));
    const cases = attached.map((j) => j.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'CASES').value as string);
    expect(attached.map((j) => j.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'NETWORK').value)).toEqual([
      'default/ipvlan-conf', 'dcjeon/whereabouts-eth1-conf', 'redhet-demo/ipvlan-whereabouts-net-attach-def', 'redhet-demo/routable-net',
    ]);
    for (const c of cases) expect(c).toMatch(/-server-b:net1:pass( |$)/);
  });
});
