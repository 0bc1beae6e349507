import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_COMMENT_CHARS, REVIEW_MARKER, reviewComment, runReview } from '../../lib/diff/review';
import { validateText } from '../../lib/intent/validate';
import { baseIntent, specOf, yamlOf } from '../util/intent';

// The script the workflow calls: plain CommonJS, tested here with the TypeScript review module injected.
const script = require('../../scripts/pr-review.js') as { run(argv: string[], review: unknown, io: { out(t: string): void; err(t: string): void }): number };

const BASE = yamlOf(baseIntent());
const MORE = (() => { const i = baseIntent(); specOf(i).nodeGroups[1].count = 3; return yamlOf(i); })();
const BROKEN = BASE.replace('type: whereabouts', 'type: whereaboutsss');

describe('reviewComment', () => {
  test('a valid change: marker first, valid line, the diff against the base, the plan folded; exit 0', () => {
    // GIVEN
    const r = reviewComment({ file: 'network-intent.yaml', baseRef: 'origin/main', head: validateText(MORE), base: validateText(BASE) });
    // THEN
    expect(r.exitCode).toBe(0);
    const lines = r.body.split('\n');
    expect(lines.slice(0, 5)).toEqual([REVIEW_MARKER, '', '## Network intent review', '', ':white_check_mark: `network-intent.yaml` is valid (0 errors, 2 warnings).'].map((l) => l));
    expect(r.body).toContain('### Changes against `origin/main`\n\n3 changes from origin/main to this pull request: 1 node group changed, 2 capacities changed.');
    expect(r.body).toContain('| changed | workers | count: 2 -> 3 | The Auto Scaling group scales from 2 to 3 nodes; existing nodes stay. |');
    expect(r.body).toContain('<details><summary>Plan (ENIs, subnets, networks, workloads, diagram)</summary>\n\n## Network plan: rules-test\n');
    expect(r.body).toContain('### Diagram\n\n```mermaid\nflowchart LR\n');
    expect(r.body.endsWith('</details>\n')).toBe(true);
  });

  test('an invalid head: the findings in a text block, no diff, no plan; exit 1', () => {
    const r = reviewComment({ file: 'network-intent.yaml', baseRef: 'origin/main', head: validateText(BROKEN, 'network-intent.yaml'), base: validateText(BASE) });
    expect(r.exitCode).toBe(1);
    expect(r.body).toContain(':x: `network-intent.yaml` is invalid (1 error, 0 warnings). This check fails until the errors are fixed');
    expect(r.body).toMatch(/### Findings\n\n```text\nnetwork-intent\.yaml:\d+:\d+: error multinic:UnknownIpamPlugin\n/);
    expect(r.body).not.toContain('### Changes');
    expect(r.body).not.toContain('<details>');
  });

  test('an invalid base: said so, the plan still shown; exit 0', () => {
    const r = reviewComment({ file: 'i.yaml', baseRef: 'origin/main', head: validateText(BASE), base: validateText(BROKEN) });
    expect(r.exitCode).toBe(0);
    expect(r.body).toContain('The base version of `i.yaml` is invalid (1 error), so there is nothing to compare with; the plan below is the whole intent.');
    expect(r.body).toContain('<details>');
  });

  test('a new file: everything added', () => {
    const r = reviewComment({ file: 'i.yaml', baseRef: 'origin/main', head: validateText(BASE), base: 'missing' });
    expect(r.body).toContain('`i.yaml` is new in this pull request.\n\n### Changes against `origin/main`\n\n12 changes from origin/main to this pull request: 1 cluster setting added, 3 subnets added, 2 node groups added, 2 networks added, 2 workloads added, 1 Service added, 1 ConfigMap added.');
  });

  test('a plan too large for a comment is replaced by how to get it', () => {
    const i = baseIntent();
    for (let n = 0; n < 600; n++) specOf(i).networks.push({ name: `net-${n}`, namespace: 'default', type: 'ipvlan', master: 'multus0', ipam: { type: 'whereabouts', range: `10.${100 + Math.floor(n / 250)}.${n % 250}.0/24` } });
    const big = yamlOf(i);
    specOf(i).nodeGroups[1].count = 3;
    // WHEN the diff is small but the plan is not
    const r = reviewComment({ file: 'i.yaml', baseRef: 'origin/main', head: validateText(yamlOf(i)), base: validateText(big) });
    // THEN
    expect(r.body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(r.body).toContain('| changed | workers | count: 2 -> 3 |');
    expect(r.body).toContain('The plan is too large for a comment: run `multinic plan -i i.yaml`, or see `dist/PLAN.md` from `multinic synth`.');
    // 600 networks on the ENI warn 600 times (and once that its ENI needs more security groups than the quota): the
    // comment lists 40 and counts the rest
    expect(r.body).toContain('563 more findings: run `multinic validate -i i.yaml`.');
    // WHEN the diff alone is too large (600 networks added)
    const huge = reviewComment({ file: 'i.yaml', baseRef: 'origin/main', head: validateText(big), base: validateText(BASE) });
    // THEN it is cut, with how to see it all
    expect(huge.body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS + 200);
    expect(huge.body.endsWith('_Truncated: run `multinic validate -i i.yaml` and `multinic diff --git origin/main -i i.yaml` locally._\n')).toBe(true);
  });
});

describe('runReview and scripts/pr-review.js', () => {
  function repo(committed: string, working: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-review-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(dir, 'network-intent.yaml'), committed);
    git('add', '.');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'base');
    fs.writeFileSync(path.join(dir, 'network-intent.yaml'), working);
    return path.join(dir, 'network-intent.yaml');
  }

  test('runReview reads the working tree and the base ref', () => {
    const file = repo(BASE, MORE);
    const r = runReview(file, 'main');
    expect(r.exitCode).toBe(0);
    expect(r.body).toContain('| changed | workers | count: 2 -> 3 |');
  });

  test.each([
    ['valid', 0, MORE, 'has no errors'],
    ['invalid', 1, BROKEN, 'has errors'],
  ])('the script on a %s intent writes the body to --out and exits %d', async (_what, code, working, says) => {
    // GIVEN
    const file = repo(BASE, working);
    const out = path.join(path.dirname(file), 'review.md');
    let err = '';
    // WHEN
    const exit = script.run(['--base', 'main', '-i', file, '--out', out], await import('../../lib/diff/review'), { out: () => undefined, err: (t) => { err += t; } });
    // THEN
    expect(exit).toBe(code);
    expect(fs.readFileSync(out, 'utf8').startsWith(`${REVIEW_MARKER}\n`)).toBe(true);
    expect(err).toBe(`pr-review: ${file} ${says}; comment body in ${out}\n`);
  });

  test.each([
    [[], 'pr-review: --base REF is required (the pull request\'s base, e.g. origin/main)'],
    [['--base', 'main', '--bogus'], 'pr-review: Unknown option \'--bogus\''],
  ])('usage errors exit 2: %j', async (argv, message) => {
    let err = '';
    const exit = script.run(argv, await import('../../lib/diff/review'), { out: () => undefined, err: (t) => { err += t; } });
    expect(exit).toBe(2);
    expect(err.startsWith(message)).toBe(true);
  });

  test('an unknown base ref: one line, exit 1, no stack', async () => {
    const file = repo(BASE, BASE);
    let err = '';
    const exit = script.run(['--base', 'nope', '-i', file], await import('../../lib/diff/review'), { out: () => undefined, err: (t) => { err += t; } });
    expect(exit).toBe(1);
    expect(err).toMatch(/^pr-review: "nope" is not a git revision in .*\n$/);
  });
});
