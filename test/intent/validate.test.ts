import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Io } from '../../bin/cli';
import { main } from '../../bin/main';
import { defaultIntentPath } from '../../lib/intent/load';
import { runRules, validateText } from '../../lib/intent/validate';
import { RULES, type Rule } from '../../lib/rules';
import { seedFaithfulIntent } from '../util/default-model';

const boom: Rule = {
  id: 'multinic:Boom', level: 'error', summary: 'a rule that crashes', why: 'a test', fix: 'none',
  check() { throw new TypeError("Cannot read properties of undefined (reading 'x')"); },
};

describe('runRules', () => {
  test('a rule that throws becomes one multinic:InternalError finding naming the rule; the other rules still run', () => {
    // GIVEN a crashing rule before every real one
    const findings = runRules(seedFaithfulIntent(), [boom, ...RULES]);
    // THEN the crash is a finding naming the rule, and the seed-faithful example's own warnings are still there
    const internal = findings.filter((f) => f.id === 'multinic:InternalError');
    expect(internal).toHaveLength(1);
    expect(internal[0].message).toContain('rule multinic:Boom crashed: Cannot read properties of undefined');
    expect(internal[0].level).toBe('error');
    expect(findings.some((f) => f.id === 'multinic:NotRoutableBetweenNodes')).toBe(true);
  });

  test('validateText counts internal errors, so callers can exit 2', () => {
    const r = validateText(fs.readFileSync(defaultIntentPath(), 'utf8'), 'x.yaml', [boom]);
    expect([r.valid, r.internalErrors]).toEqual([false, 1]);
  });
});

describe('the CLI when a rule crashes', () => {
  test.each([['validate'], ['plan'], ['synth']])('%s exits 2 with the finding and no stack trace', async (command) => {
    // GIVEN a real rule whose check throws
    const spy = jest.spyOn(RULES[0], 'check').mockImplementation(() => { throw new Error('boom'); });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-internal-'));
    let text = '';
    const io: Io = { out: (t) => { text += t; }, err: (t) => { text += t; } };
    try {
      // WHEN the command runs on the default intent
      const code = await main([command, '-i', defaultIntentPath(), ...(command === 'synth' ? ['-o', path.join(dir, 'out')] : [])], io);
      // THEN exit 2, the finding names the rule, no stack trace, nothing written
      expect(code).toBe(2);
      expect(text).toContain(`multinic:InternalError`);
      expect(text).toContain(`rule ${RULES[0].id} crashed: boom`);
      expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    } finally {
      spy.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
