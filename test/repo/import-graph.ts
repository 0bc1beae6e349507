/**
 * The import graph of a source tree, read with the TypeScript compiler's own pre-processor (`ts.preProcessFile`:
 * every `import`, `export ... from`, `import type` and `require`), so the layer test needs no extra tool.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';

/** File (repo-relative, `/`-separated) -> what it imports: other files of the tree, or bare package names. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Resolves a relative specifier the way Node + tsc do here (`x.ts`, then `x/index.ts`); packages stay as named. */
function resolve(root: string, from: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  const base = join(dirname(join(root, from)), spec);
  const hit = [`${base}.ts`, join(base, 'index.ts'), base].find((p) => existsSync(p)) ?? base;
  return relative(root, hit).split('\\').join('/');
}

/** The import graph of every `.ts` file under `root/dir`. */
export function importGraph(root: string, dir: string): ImportGraph {
  const graph = new Map<string, string[]>();
  for (const abs of tsFiles(join(root, dir)).sort()) {
    const file = relative(root, abs).split('\\').join('/');
    const info = ts.preProcessFile(readFileSync(abs, 'utf8'), true, true);
    graph.set(file, info.importedFiles.map((i) => resolve(root, file, i.fileName)));
  }
  return graph;
}

/** The import cycles of `graph` (strongly connected components of more than one file, or a file importing itself). */
export function importCycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
