import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Io } from '../../bin/cli';
import { planFormat } from '../../bin/commands/plan';
import { main } from '../../bin/main';
import { baseIntent, yamlOf } from '../util/intent';

/** A fixed intent (test/util's base, no finding at all), so the assertions do not move with the default intent. */
const BASE_TEXT = yamlOf(baseIntent());

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => { out += t; }, err: (t) => { err += `${t}\n`; } };
  const code = await main(argv, io);
  return { code, out, err };
}

function intentFile(text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-plan-')), 'intent.yaml');
  fs.writeFileSync(file, text);
  return file;
}

describe('multinic plan', () => {
  test('prints the Markdown plan on stdout, exit 0', async () => {
    // GIVEN an intent file
    const file = intentFile(BASE_TEXT);
    // WHEN
    const r = await cli('plan', '-i', file);
    // THEN
    expect(r.code).toBe(0);
    expect(r.out.startsWith('# Network plan: rules-test\n\n3 nodes in 2 node groups, 5 ENIs, 2 networks, 3 pods in 2 workloads.')).toBe(true);
    expect(r.out).toContain('```mermaid\nflowchart LR\n');
    expect(r.out).toContain('| dcjeon/whereabouts-eth1-conf | ipvlan (l2) | multus0 | whereabouts | 10.4.128.0/24: 10.4.128.1-10.4.128.254, excl 10.4.128.0/30 | 251 addresses in the cluster | 2 | workers | dcjeon |');
    expect(r.err).not.toContain(': error ');
  });

  test('without -i: the embedded default intent, every network on eni-prefix; on stderr only the policy daemon image warning', async () => {
    const r = await cli('plan');
    expect(r.code).toBe(0);
    expect(r.out.startsWith('# Network plan: seed-lab\n')).toBe(true);
    expect(r.out).toContain('| workers | worker | m6i.large | 2 | a | 1 | multus0 | multus-a (10.0.128.0/24) | 4 |');
    expect(r.out.match(/\| ipvlan \(l2\) \| multus0 \| eni-prefix \| - \| 16 addresses per node \|/g)).toHaveLength(4);
    expect(r.err).toContain('warning multinic:PolicyDaemonImage');
    expect(r.err).not.toContain('multinic:NotRoutableBetweenNodes');
  });

  test('-i examples/seed-faithful.yaml: the seed\'s warnings on stderr', async () => {
    const r = await cli('plan', '-i', path.join(__dirname, '..', '..', 'examples', 'seed-faithful.yaml'));
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning multinic:ServiceNetworkNotProxied');
    expect(r.err).toContain('warning multinic:NotRoutableBetweenNodes');
  });

  test('--format json prints the plan object, warnings included', async () => {
    const file = intentFile(BASE_TEXT.replace('privileged: false', 'privileged: true'));
    const r = await cli('plan', '-i', file, '--format', 'json');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out);
    expect(plan.totals).toEqual({ nodes: 3, enis: 5, networks: 2, pods: 3 });
    expect(plan.warnings.map((w: { id: string }) => w.id)).toContain('multinic:PrivilegedContainer');
  });

  test('an invalid intent prints its findings and no plan, exit 1', async () => {
    const file = intentFile(BASE_TEXT.replace('type: whereabouts', 'type: whereaboutsss'));
    const r = await cli('plan', '-i', file);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('unknown IPAM plugin "whereaboutsss"; did you mean "whereabouts"?');
    expect(r.err).toContain(`${file}: invalid (1 error, 0 warnings); no plan`);
  });

  test('an unknown format is a usage error, exit 2', async () => {
    const r = await cli('plan', '--format', 'xml');
    expect(r.code).toBe(2);
    expect(r.err).toBe('multinic plan: --format must be one of md, json, got "xml"\n');
  });

  test.each([[undefined, 'md'], ['md', 'md'], ['json', 'json']])('planFormat(%s) = %s', (flag, format) => {
    expect(planFormat(flag)).toBe(format);
  });
});

describe('multinic synth writes PLAN.md', () => {
  test('the same document `multinic plan` prints, beside the manifests', async () => {
    // GIVEN
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-synth-plan-')), 'dist');
    // WHEN
    const file = intentFile(BASE_TEXT);
    const r = await cli('synth', '-i', file, '-o', out);
    // THEN
    expect(r.code).toBe(0);
    expect(fs.readdirSync(out)).toContain('PLAN.md');
    expect(fs.readFileSync(path.join(out, 'PLAN.md'), 'utf8')).toBe((await cli('plan', '-i', file)).out);
  });
});
