import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateText } from '../../lib/intent/validate';
import { RULES } from '../../lib/rules';
import { STRUCTURAL_IDS, validate } from '../util/intent';

describe('RULES', () => {
  test('every rule has a unique, namespaced id, a level, and says what, why and how to fix', () => {
    // THEN ids are unique and never collide with the structural ids
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => STRUCTURAL_IDS.includes(id))).toEqual([]);
    for (const r of RULES) {
      expect(r.id).toMatch(/^multinic:[A-Z][A-Za-z0-9]+$/);
      expect(['error', 'warning']).toContain(r.level);
      expect([r.id, r.summary.length > 10, r.why.length > 10, r.fix.length > 5]).toEqual([r.id, true, true, true]);
    }
  });

  test('the shared base intent is valid and raises no finding at all', () => {
    // GIVEN test/util/intent.ts baseIntent(), which every rule test mutates
    // WHEN it is validated
    const r = validate();
    // THEN nothing fires, so every finding a rule test sees comes from its own mutation
    expect(r.findings).toEqual([]);
    expect(r.valid).toBe(true);
  });

  test('the embedded default intent is valid, with only the warning about its service network', () => {
    // GIVEN network-intent.yaml at the repository root
    const text = readFileSync(join(__dirname, '../../network-intent.yaml'), 'utf8');
    // WHEN it is validated
    const r = validateText(text, 'network-intent.yaml');
    // THEN it has no error
    expect(r.valid).toBe(true);
    expect(r.findings.map((f) => f.id)).toEqual(['multinic:ServiceNetworkNotProxied']);
  });
});
