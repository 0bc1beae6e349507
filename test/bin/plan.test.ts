import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Io } from '../../bin/cli';
import { planFormat } from '../../bin/commands/plan';
import { main } from '../../bin/main';
import { defaultIntentPath } from '../../lib/intent/load';

const DEFAULT_TEXT = fs.readFileSync(defaultIntentPath(), 'utf8');

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
  test('prints the Markdown plan of the default intent on stdout, the warning on stderr, exit 0', async () => {
    // WHEN
    const r = await cli('plan');
    // THEN
    expect(r.code).toBe(0);
    expect(r.out.startsWith('# Network plan: seed-lab\n\n3 nodes in 2 node groups, 5 ENIs, 3 networks, 7 pods in 5 workloads.')).toBe(true);
    expect(r.out).toContain('```mermaid\nflowchart LR\n');
    expect(r.out).toContain('| redhet-demo/ipvlan-whereabouts-net-attach-def | ipvlan (l2) | multus0 | whereabouts | 10.2.130.0/24: 10.2.130.1-10.2.130.254 | 254 addresses in the cluster | 3 | workers | redhet-demo |');
    expect(r.err).toContain('warning multinic:ServiceNetworkNotProxied');
  });

  test('--format json prints the plan object', async () => {
    const r = await cli('plan', '--format', 'json');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out);
    expect(plan.totals).toEqual({ nodes: 3, enis: 5, networks: 3, pods: 7 });
    expect(plan.warnings.map((w: { id: string }) => w.id)).toEqual(['multinic:ServiceNetworkNotProxied']);
  });

  test('an invalid intent prints its findings and no plan, exit 1', async () => {
    const file = intentFile(DEFAULT_TEXT.replace('type: whereabouts\n        range: 10.4.128.0/24', 'type: whereaboutsss\n        range: 10.4.128.0/24'));
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
    const r = await cli('synth', '-o', out);
    // THEN
    expect(r.code).toBe(0);
    expect(fs.readdirSync(out)).toContain('PLAN.md');
    expect(fs.readFileSync(path.join(out, 'PLAN.md'), 'utf8')).toBe((await cli('plan')).out);
  });
});
