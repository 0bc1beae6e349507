/**
 * The packed CLI: `scripts/pack.js` (run by `scripts/build.js` after compiling) writes every module `multinic` can
 * load (build/ and node_modules, less the AWS SDK and aws-cdk-lib) into one script, build/multinic.pack.js, with a
 * V8 code cache made by running `validate` and `synth` of the default intent. Starting from it costs one file read
 * and a cache load instead of resolving, reading and compiling some 450 modules one by one: about half of
 * `multinic synth`'s time (bench/README.md).
 *
 * Nothing else changes: each module keeps its own `__filename`, `__dirname`, `module` and `require` (a request the
 * pack does not hold goes to Node's own `require` from the module's real file), and lands in Node's module cache under
 * its real path, so code loaded outside the pack shares the same instances. The pack is used only while every file
 * in it still has the size and modification time it had when packed; otherwise, with MULTINIC_NO_PACK set, or with
 * MULTINIC_DEBUG set (stack traces then name the real files), the modules load as compiled.
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** The repository root: this file is build/bin/private/packed.js (bin/private/packed.ts in tests). */
const ROOT = ((up) => (path.basename(up) === 'build' ? path.dirname(up) : up))(path.resolve(__dirname, '..', '..'));

/** Files of the pack, in build/. */
export const PACK_FILES = {
  script: path.join(ROOT, 'build', 'multinic.pack.js'),
  manifest: path.join(ROOT, 'build', 'multinic.pack.json'),
  cache: path.join(ROOT, 'build', 'multinic.pack.cache'),
} as const;

/** What `scripts/pack.js` records beside the pack: each packed file (from the root), its size and mtime. */
export interface PackManifest {
  readonly node: string;
  readonly files: ReadonlyArray<readonly [file: string, size: number, mtimeMs: number]>;
}

/** The value of the pack script: the module functions and, per module, its requests that the pack holds. */
interface PackContents {
  readonly defs: ReadonlyArray<(this: unknown, exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void>;
  readonly edges: ReadonlyArray<Readonly<Record<string, number>>>;
}

interface LoadedPack {
  readonly script: vm.Script;
  /** Loads the packed module `file` (from the root), as `require` would. */
  load(file: string): unknown;
}

/** The pack, when there is one and every file in it is as packed; undefined otherwise. */
export function openPack(files = PACK_FILES): LoadedPack | undefined {
  let manifest: PackManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(files.manifest, 'utf8')) as PackManifest;
  } catch {
    return undefined;
  }
  if (manifest.node !== process.version) return undefined;
  for (const [file, size, mtimeMs] of manifest.files) {
    const st = fs.statSync(path.join(ROOT, file), { throwIfNoEntry: false });
    if (!st || st.size !== size || st.mtimeMs !== mtimeMs) return undefined;
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(files.cache);
  } catch {
    // no code cache: compiled as it runs
  }
  const script = new vm.Script(fs.readFileSync(files.script, 'utf16le'), { // written as UTF-16LE by scripts/pack.js
    filename: files.script,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const { defs, edges } = script.runInThisContext() as PackContents;
  const abs = manifest.files.map(([file]) => path.join(ROOT, file));
  const index = new Map(manifest.files.map(([file], i) => [file, i]));
  const cache = (Module as unknown as { _cache: Record<string, Module> })._cache;

  const loadIndex = (i: number, parent: Module | undefined): unknown => {
    const filename = abs[i];
    const cached = cache[filename];
    if (cached) return cached.exports;
    const m = new Module(filename, parent);
    m.filename = filename;
    m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(filename));
    cache[filename] = m;
    const req = ((id: string) => {
      const j = edges[i][id];
      return j === undefined ? m.require(id) : loadIndex(j, m);
    }) as NodeJS.Require;
    Object.assign(req, {
      resolve: Object.assign((id: string, options?: { paths?: string[] }) => (Module as unknown as { _resolveFilename(id: string, m: Module, isMain: boolean, options?: object): string })._resolveFilename(id, m, false, options), { paths: (id: string) => (Module as unknown as { _resolveLookupPaths(id: string, m: Module): string[] | null })._resolveLookupPaths(id, m) }),
      cache,
      main: require.main,
      extensions: require.extensions,
    });
    try {
      defs[i].call(m.exports, m.exports, req, m, filename, path.dirname(filename));
    } catch (e) {
      delete cache[filename];
      throw e;
    }
    m.loaded = true;
    return m.exports;
  };

  return {
    script,
    load(file) {
      const i = index.get(file);
      if (i === undefined) throw new Error(`${file} is not in the pack`);
      return loadIndex(i, require.main);
    },
  };
}

/** Runs the packed module `entry` (from the root, e.g. `build/bin/run.js`); false when there is no usable pack. */
export function runPacked(entry: string): boolean {
  if (process.env.MULTINIC_NO_PACK || process.env.MULTINIC_DEBUG) return false;
  let pack: LoadedPack | undefined;
  try {
    pack = openPack();
  } catch {
    return false; // an unreadable or damaged pack: the modules, as compiled (nothing of the CLI has run yet)
  }
  if (!pack) return false;
  pack.load(entry); // errors of the CLI itself propagate: it must not run twice
  return true;
}

/**
 * Runs `commands` through the pack (their output thrown away) and writes its V8 code cache, which then holds every
 * function those commands compiled: what `scripts/pack.js` runs after packing.
 */
export async function writePackCache(commands: readonly string[][], files = PACK_FILES): Promise<void> {
  fs.rmSync(files.cache, { force: true });
  const pack = openPack(files);
  if (!pack) throw new Error(`${files.script}: no usable pack to make a code cache for`);
  const { main } = pack.load('build/bin/main.js') as typeof import('../main');
  const quiet = { out: () => undefined, err: () => undefined };
  for (const args of commands) await main([...args], quiet);
  fs.writeFileSync(files.cache, pack.script.createCachedData());
}
