import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Io } from '../../bin/cli';
import { main } from '../../bin/main';
import { baseIntent, specOf, yamlOf } from '../util/intent';

/** Fixed intents (test/util's base and two changes to it), so the assertions do not move with the default intent. */
const DEFAULT_TEXT = yamlOf(baseIntent());
const MORE_WORKERS = (() => { const i = baseIntent(); specOf(i).nodeGroups[1].count = 4; return yamlOf(i); })();
const BROKEN = DEFAULT_TEXT.replace('type: whereabouts', 'type: whereaboutsss');
const BROKEN_LINE = BROKEN.split('\n').findIndex((l) => l.includes('whereaboutsss')) + 1;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => { out += t; }, err: (t) => { err += `${t}\n`; } };
  const code = await main(argv, io);
  return { code, out, err };
}

function files(...texts: string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-diff-'));
  return texts.map((t, i) => {
    const f = path.join(dir, `intent-${i}.yaml`);
    fs.writeFileSync(f, t);
    return f;
  });
}

describe('multinic diff BASE HEAD', () => {
  test('changes: Markdown on stdout, exit 0', async () => {
    const [a, b] = files(DEFAULT_TEXT, MORE_WORKERS);
    const r = await cli('diff', a, b);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`3 changes from ${a} to ${b}: 1 node group changed, 2 capacities changed.`);
    expect(r.out).toContain('| changed | workers | count: 2 -> 4 | The Auto Scaling group scales from 2 to 4 nodes; existing nodes stay. |');
    expect(r.err).toBe('');
  });

  test('no changes: exit 0 too', async () => {
    const [a, b] = files(DEFAULT_TEXT, DEFAULT_TEXT);
    const r = await cli('diff', a, b);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`# Network intent changes\n\nNo semantic changes between ${a} and ${b}.\n`);
  });

  test('--format json', async () => {
    const [a, b] = files(DEFAULT_TEXT, MORE_WORKERS);
    const r = await cli('diff', a, b, '--format', 'json');
    expect(JSON.parse(r.out).changes[0]).toEqual(expect.objectContaining({ subject: 'nodeGroup', key: 'workers', details: ['count: 2 -> 4'] }));
  });

  test.each([['base', 0], ['head', 1]])('an invalid %s: its findings, no diff, exit 1', async (_side, index) => {
    const paths = files(...(index === 0 ? [BROKEN, DEFAULT_TEXT] : [DEFAULT_TEXT, BROKEN]));
    const r = await cli('diff', ...paths);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(new RegExp(`${paths[index]}:${BROKEN_LINE}:\\d+: error multinic:UnknownIpamPlugin`));
    expect(r.err).toContain(`${paths[index]}: invalid (1 error, 0 warnings)`);
  });

  test.each([
    [['diff'], 'give two intent files (BASE HEAD) or --git REF; got 0 argument(s)'],
    [['diff', 'a.yaml'], 'give two intent files (BASE HEAD) or --git REF; got 1 argument(s)'],
    [['diff', '-i', 'a.yaml', 'b.yaml', 'c.yaml'], '-i goes with --git; to compare two files give them as BASE HEAD'],
    [['diff', '--git', 'main', 'b.yaml'], 'with --git, give the file with -i, not "b.yaml"'],
    [['diff', 'a', 'b', '--format', 'html'], '--format must be one of md, json, got "html"'],
  ])('usage error %j, exit 2', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`multinic diff: ${message}\n`);
  });
});

describe('multinic diff --git REF', () => {
  function repo(committed: string, working: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-diff-git-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    const file = path.join(dir, 'network-intent.yaml');
    fs.writeFileSync(file, committed);
    git('add', '.');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'base');
    fs.writeFileSync(file, working);
    return file;
  }

  test('compares the file at REF with the working tree', async () => {
    const file = repo(DEFAULT_TEXT, MORE_WORKERS);
    const r = await cli('diff', '--git', 'main', '-i', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# Network intent changes\n\n3 changes from main:.*network-intent\.yaml to .*network-intent\.yaml: 1 node group changed/);
  });

  test('an unknown ref: one line, exit 1', async () => {
    const file = repo(DEFAULT_TEXT, DEFAULT_TEXT);
    const r = await cli('diff', '--git', 'nope', '-i', file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^multinic diff: "nope" is not a git revision in .*; use a branch, tag or commit, e\.g\. origin\/main\n$/);
  });
});
