/**
 * The house of lib/: who may import whom. lib/ is the pure core (no CDK, no cdk8s, never infra/ or charts/); the
 * CNI builders know no intent type; lib/net and the findings are the ground floor; and no file of lib/ is part of
 * an import circle. ESLint's no-restricted-imports covers the CDK part for import statements; this test reads
 * every specifier (also `import type`, `export ... from` and `require`) with the TypeScript pre-processor.
 */
import { join } from 'node:path';
import { importCycles, importGraph, type ImportGraph } from './import-graph';

const ROOT = join(__dirname, '..', '..');
const LIB = importGraph(ROOT, 'lib');

/** `file imports spec` for every edge of `graph` from a file under `from` that `bad` matches. */
function edges(graph: ImportGraph, from: string, bad: (spec: string) => boolean): string[] {
  return [...graph].filter(([file]) => file.startsWith(from)).flatMap(([file, specs]) => specs.filter(bad).map((s) => `${file} imports ${s}`));
}

const isFile = (spec: string): boolean => spec.endsWith('.ts') || spec.includes('/');
const under = (...dirs: string[]) => (spec: string): boolean => dirs.some((d) => spec === d || spec.startsWith(`${d}/`));

describe('the import graph reader', () => {
  test('sees the edges it must see (a reader that saw nothing would pass every rule below)', () => {
    // GIVEN / WHEN / THEN
    expect(LIB.size).toBeGreaterThan(50);
    expect(LIB.get('lib/model/network-cni.ts')).toEqual(expect.arrayContaining(['lib/cni/index.ts', 'lib/intent/types.ts']));
    expect(LIB.get('lib/net/ip.ts')).toEqual(expect.arrayContaining(['ip-address', 'lib/errors.ts']));
  });

  test('finds a circle, also through a type-only import, and a file importing itself', () => {
    // GIVEN
    const graph = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts', 'zod']], ['c.ts', ['a.ts']], ['d.ts', ['d.ts']], ['e.ts', ['a.ts']]]);
    // WHEN / THEN
    expect(importCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
    expect(importCycles(new Map([['a.ts', ['b.ts']], ['b.ts', []]]))).toEqual([]);
  });
});

describe('lib/ layers', () => {
  test('no file of lib/ is part of an import circle (lib/cni included)', () => {
    // GIVEN / WHEN / THEN
    expect(importCycles(LIB)).toEqual([]);
  });

  test('lib/ imports no CDK, cdk8s or constructs package and nothing of infra/, charts/, bin/ or cluster/', () => {
    // GIVEN
    const frameworks = (s: string): boolean => /^(aws-cdk-lib|aws-cdk|constructs|cdk8s|cdk8s-plus-[\d.]+|cdk-nag)(\/|$)/.test(s) || s.startsWith('@aws-cdk/');
    // WHEN / THEN
    expect(edges(LIB, 'lib/', (s) => frameworks(s) || under('infra', 'charts', 'bin', 'cluster')(s))).toEqual([]);
  });

  test('the CNI builders (lib/cni) know no intent type: they import only lib/cni, lib/net and lib/errors.ts', () => {
    // GIVEN / WHEN / THEN
    expect(edges(LIB, 'lib/cni/', (s) => isFile(s) && !under('lib/cni', 'lib/net')(s) && s !== 'lib/errors.ts')).toEqual([]);
  });

  test('lib/net (the one owner of IP math) imports only lib/net and lib/errors.ts', () => {
    // GIVEN / WHEN / THEN
    expect(edges(LIB, 'lib/net/', (s) => isFile(s) && !under('lib/net')(s) && s !== 'lib/errors.ts')).toEqual([]);
  });

  test('the ground floor: findings and errors import nothing; the rule shape imports only findings and the types it checks', () => {
    // GIVEN / WHEN / THEN
    expect(LIB.get('lib/findings.ts')).toEqual([]);
    expect(LIB.get('lib/errors.ts')).toEqual([]);
    expect([...new Set(LIB.get('lib/rules/types.ts'))].sort()).toEqual(['lib/findings.ts', 'lib/intent/types.ts', 'lib/model/model.ts']);
  });
});
