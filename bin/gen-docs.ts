/**
 * Regenerates docs/validation.md from the rules' metadata and examples produced by running validation on the bad
 * intents under test/fixtures (`node build/bin/gen-docs.js`, or `--check` to fail when the file is stale).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderCatalogue } from '../lib/docs/catalogue';
import { type Example, exampleFor } from '../lib/docs/example';
import { STRUCTURAL_CHECKS } from '../lib/docs/structural';
import { RULES } from '../lib/rules';

/** The repository root, from bin/ (ts) or build/bin/ (compiled). */
export const ROOT = path.resolve(__dirname, '..', fs.existsSync(path.resolve(__dirname, '..', 'package.json')) ? '' : '..');
export const CATALOGUE_FILE = path.join(ROOT, 'docs', 'validation.md');

/**
 * One example per id: the first fixture (by directory, then file name) announcing that id in its `# expect:` header
 * and not marked `known-bug`, validated now.
 */
export function fixtureExamples(root = ROOT): Map<string, Example> {
  const examples = new Map<string, Example>();
  for (const dir of ['invalid', 'warning']) {
    const base = path.join(root, 'test', 'fixtures', dir);
    for (const file of fs.readdirSync(base).filter((f) => f.endsWith('.yaml')).sort()) {
      const text = fs.readFileSync(path.join(base, file), 'utf8');
      const id = /^# expect: (\S+)$/m.exec(text)?.[1];
      if (!id || examples.has(id) || /^# known-bug:/m.test(text)) continue;
      const example = exampleFor(id, text, `test/fixtures/${dir}/${file}`);
      if (example) examples.set(id, example);
    }
  }
  return examples;
}

/** The catalogue as it should be committed. */
export function generateCatalogue(root = ROOT): string {
  return renderCatalogue(STRUCTURAL_CHECKS, RULES, fixtureExamples(root));
}

if (require.main === module) {
  const text = generateCatalogue();
  const rel = path.relative(process.cwd(), CATALOGUE_FILE);
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(CATALOGUE_FILE) ? fs.readFileSync(CATALOGUE_FILE, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`${rel} is stale: run node build/bin/gen-docs.js\n`);
      process.exitCode = 1;
    }
  } else {
    fs.mkdirSync(path.dirname(CATALOGUE_FILE), { recursive: true });
    fs.writeFileSync(CATALOGUE_FILE, text);
    process.stdout.write(`wrote ${rel}\n`);
  }
}
