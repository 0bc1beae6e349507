import * as fs from 'node:fs';
import { CATALOGUE_FILE, fixtureExamples, generateCatalogue } from '../../bin/gen-docs';
import { anchor, NO_EXAMPLE, renderCatalogue } from '../../lib/docs/catalogue';
import { exampleFor } from '../../lib/docs/example';
import { STRUCTURAL_CHECKS } from '../../lib/docs/structural';
import { RULES } from '../../lib/rules';

describe('docs/validation.md', () => {
  let generated = '';
  beforeAll(() => { generated = generateCatalogue(); });

  test('is what bin/gen-docs.ts generates (run `node build/bin/gen-docs.js` after changing a rule or a fixture)', () => {
    expect(fs.readFileSync(CATALOGUE_FILE, 'utf8')).toBe(generated);
  });

  test('has one entry per structural check and per rule, in run order, each with level, what, why, fix and example', () => {
    const headings = generated.split('\n').filter((l) => l.startsWith('### ')).map((l) => l.slice(4));
    expect(headings).toEqual([...STRUCTURAL_CHECKS, ...RULES].map((r) => r.id));
    const examples = fixtureExamples();
    for (const r of RULES.filter((x) => examples.has(x.id))) {
      const body = generated.slice(generated.indexOf(`### ${r.id}\n`)).split('\n### ')[0];
      const applies = r.flavours ? `**Applies to:** flavour ${r.flavours.join(', ')} only (\`spec.cluster.flavour\`); skipped otherwise.\n\n` : '';
      expect(body).toContain(`**Level:** ${r.level}\n\n${applies}**What:** ${r.summary}\n\n**Why it matters:** ${r.why}\n\n**Fix:** ${r.fix}\n\n**Example:** `);
      expect(body).toMatch(new RegExp(`\`\`\`text\\ntest/fixtures/(invalid|warning)/[a-z0-9-]+\\.yaml:\\d+:\\d+: ${r.level} ${r.id}\\n`));
    }
  });

  test('every structural check and every rule has an example from test/fixtures', () => {
    const examples = fixtureExamples();
    expect([...STRUCTURAL_CHECKS, ...RULES].map((r) => r.id).filter((id) => !examples.has(id))).toEqual([]);
  });

  test('every example\'s finding is the one the validator prints for it now', () => {
    const examples = fixtureExamples();
    for (const [id, ex] of examples) {
      const again = exampleFor(id, fs.readFileSync(ex.source, 'utf8'), ex.source);
      expect(again?.finding).toEqual(ex.finding);
      expect(generated).toContain(`  ${ex.finding.message}\n`);
    }
  });
});

describe('renderCatalogue', () => {
  test('an id without an example says so (and the test below fails for it)', () => {
    const md = renderCatalogue([], [{ id: 'multinic:Nope', level: 'error', summary: 's', why: 'w', fix: 'f' }], new Map());
    expect(md).toContain(`### multinic:Nope\n\n**Level:** error\n\n**What:** s\n\n**Why it matters:** w\n\n**Fix:** f\n\n**Example:** ${NO_EXAMPLE}\n`);
  });

  test.each([['multinic:UnknownIpamPlugin', 'multinicunknownipamplugin'], ['multinic:Schema', 'multinicschema']])('anchor(%s) = %s', (id, a) => {
    expect(anchor(id)).toBe(a);
  });
});
