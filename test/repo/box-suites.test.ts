import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// scripts/box-suites.js is plain CommonJS run by scripts/test.js and jest.config.js before any build.
const { boxSuites, optInReason } = require('../../scripts/box-suites') as {
  boxSuites(root: string): string[]; optInReason(file: string): string | undefined;
};

// Spelt in pieces: this file must not look like a box suite (or an opt-in one) to the scanner it tests.
const START = ['start', 'Box'].join('');
const SEED = ['upSeed', 'Box'].join('');
const OPT_IN = ['@box-suite', 'opt-in:'].join(' ');

describe('scripts/box-suites.js', () => {
  test('finds the suites that start a box, and reads an opt-in reason from the file', () => {
    // GIVEN a tree with a box suite, an opt-in box suite and a suite without a box
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-box-suites-'));
    try {
      fs.mkdirSync(path.join(root, 'test', 'cluster'), { recursive: true });
      fs.writeFileSync(path.join(root, 'test', 'cluster', 'a.test.ts'), `beforeAll(async () => { box = await ${START}({}); });\n`);
      fs.writeFileSync(path.join(root, 'test', 'cluster', 'b.test.ts'), `/** ${OPT_IN} not yet green twice */\n${SEED}({});\n`);
      fs.writeFileSync(path.join(root, 'test', 'c.test.ts'), 'test("x", () => expect(1).toBe(1));\n');
      // WHEN
      const suites = boxSuites(root).map((f) => path.relative(root, f));
      // THEN
      expect(suites).toEqual(['test/cluster/a.test.ts', 'test/cluster/b.test.ts']);
      expect(optInReason(path.join(root, 'test', 'cluster', 'a.test.ts'))).toBeUndefined();
      expect(optInReason(path.join(root, 'test', 'cluster', 'b.test.ts'))).toBe('not yet green twice');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
