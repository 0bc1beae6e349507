/** infra/eni-script.ts: the ENI script as a node gets it, one file with its parts inlined. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eniScriptParts, inlineEniScript } from '../../infra/eni-script';
import { eniScript } from '../../infra/user-data';

const NODE_DIR = join(__dirname, '..', '..', 'infra', 'node');

describe('inlineEniScript', () => {
  test('puts every part where the entry point sources it, in order, and keeps no source line', () => {
    // GIVEN / WHEN
    const text = inlineEniScript(NODE_DIR);
    // THEN no part is sourced any more; each is present once, between its markers, in the entry point's order
    expect(text).not.toMatch(/^\. "\$ENI_PARTS/m);
    expect(text).not.toContain('ENI_PARTS=');
    const parts = eniScriptParts(NODE_DIR);
    const at = parts.map((p) => text.indexOf(`# ---- eni/${p} (inlined) ----`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // AND each part's code is there verbatim (here: the pinning function and the generated constants)
    expect(text).toContain(readFileSync(join(NODE_DIR, 'eni', 'names.sh'), 'utf8').split('\n').find((l) => l.startsWith('pin_name()')));
    expect(text).toContain("readonly TABLE_BASE='10000'");
    // AND the entry point still starts it and ends by running main
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(text.trimEnd().endsWith('main "$@"')).toBe(true);
  });

  test('is what infra/ ships (eniScript)', () => {
    // GIVEN / WHEN / THEN
    expect(eniScript()).toBe(inlineEniScript(NODE_DIR));
  });

  test('a part the entry point sources but that is missing is a MISSING_SOURCE error naming it', () => {
    // GIVEN an entry point that sources a part that is not there
    const dir = mkdtempSync(join(tmpdir(), 'multinic-eni-src-'));
    try {
      mkdirSync(join(dir, 'eni'));
      writeFileSync(join(dir, 'multinic-eni.sh'), '#!/usr/bin/env bash\n. "$ENI_PARTS/gone.sh"\n');
      // WHEN / THEN
      expect(() => inlineEniScript(dir)).toThrow(expect.objectContaining({
        code: 'MISSING_SOURCE', message: 'infra/node/eni/gone.sh is missing; multinic-eni.sh sources it',
      }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
