/**
 * The corpus of broken intents: every file under `test/fixtures/invalid/` must be rejected, every file under
 * `test/fixtures/warning/` accepted with a warning, each with the finding its header announces:
 *
 *   # expect: multinic:UnknownIpamPlugin
 *   # message: spec.networks[1].ipam.type: unknown IPAM plugin "whereaboutsss"; did you mean "whereabouts"? Known: ...
 *   # line: 57                       (optional: the finding points at this line of the file)
 *   # known-bug: line|message ...    (optional: that assertion states the correct behaviour and fails today)
 *
 * A `known-bug` fixture runs its named assertion with `test.failing`: when the bug is fixed the test fails, telling
 * whoever fixed it to delete the `known-bug` line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateText } from '../lib/intent/validate';
import { RULES } from '../lib/rules';
import { STRUCTURAL_IDS } from './util/intent';

interface Fixture {
  readonly file: string;
  readonly text: string;
  readonly expect: string;
  readonly message: string;
  readonly line?: number;
  readonly knownBug?: { readonly what: 'line' | 'message'; readonly why: string };
}

const ROOT = join(__dirname, 'fixtures');

function header(text: string, key: string): string | undefined {
  const m = new RegExp(`^# ${key}: (.*)$`, 'm').exec(text);
  return m?.[1];
}

function load(dir: string): Fixture[] {
  return readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.yaml')).sort().map((file) => {
    const text = readFileSync(join(ROOT, dir, file), 'utf8');
    const expect = header(text, 'expect');
    const message = header(text, 'message');
    if (!expect || !message) throw new Error(`${dir}/${file}: needs "# expect:" and "# message:" header lines`);
    const line = header(text, 'line');
    const bug = header(text, 'known-bug');
    const knownBug = bug ? { what: bug.split(' ')[0] as 'line' | 'message', why: bug.slice(bug.indexOf(' ') + 1) } : undefined;
    if (knownBug && knownBug.what !== 'line' && knownBug.what !== 'message') throw new Error(`${dir}/${file}: known-bug must start with "line" or "message"`);
    return { file, text, expect, message, line: line === undefined ? undefined : Number(line), knownBug };
  });
}

describe.each([
  ['invalid', false],
  ['warning', true],
] as const)('fixtures/%s', (dir, valid) => {
  const fixtures = load(dir);

  test(`holds the corpus (${fixtures.length} files) with a fixture for every ${valid ? 'warning' : 'error'} id`, () => {
    // GIVEN every id multinic can report at this level
    const ids = [...(valid ? [] : STRUCTURAL_IDS), ...RULES.filter((r) => r.level === (valid ? 'warning' : 'error')).map((r) => r.id)];
    // THEN the corpus is not silently empty, and each id has at least one fixture
    expect(fixtures.length).toBeGreaterThanOrEqual(valid ? ids.length : 60);
    expect(ids.filter((id) => !fixtures.some((f) => f.expect === id))).toEqual([]);
  });

  describe.each(fixtures.map((f) => [f.file, f] as const))('%s', (_file, fx) => {
    // WHEN the file is validated the way `multinic validate` does (once, shared by the tests below)
    let memo: ReturnType<typeof validateText> | undefined;
    const result = () => (memo ??= validateText(fx.text, fx.file));
    const bug = (what: 'line' | 'message') => (fx.knownBug?.what === what ? ` (known bug: ${fx.knownBug.why})` : '');
    const messageTest = fx.knownBug?.what === 'message' ? test.failing : test;
    const lineTest = fx.knownBug?.what === 'line' ? test.failing : test;

    test(`is ${valid ? 'accepted with a warning' : 'rejected with an error'} of ${fx.expect}`, () => {
      const r = result();
      // THEN the intent is rejected (invalid/) or accepted with warnings only (warning/)
      expect(r.valid).toBe(valid);
      // AND a finding of the announced id is there, at the level the directory stands for, saying how to fix it
      const found = r.findings.filter((x) => x.id === fx.expect);
      expect(found.map((x) => x.level)).toContain(valid ? 'warning' : 'error');
      expect(found.every((x) => x.fix.length > 0)).toBe(true);
    });

    messageTest(`says it word for word${bug('message')}`, () => {
      const r = result();
      // THEN the announced message is there, exactly (on failure jest lists every finding it got)
      expect(r.findings.map((x) => `${x.id} ${x.message}`)).toContain(`${fx.expect} ${fx.message}`);
    });

    if (fx.line !== undefined) {
      lineTest(`points at line ${fx.line}${bug('line')}`, () => {
        // (a fixture whose message is a known bug is matched by its id alone, so its line is still checked)
        const f = result().findings.find((x) => x.id === fx.expect && (x.message === fx.message || fx.knownBug?.what === 'message'));
        // THEN the finding carries the line of the offending value
        expect(f?.line).toBe(fx.line);
      });
    }
  });
});
