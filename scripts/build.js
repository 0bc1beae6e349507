#!/usr/bin/env node
/**
 * Runs `tsc -p PROJECT` only when its inputs changed since the last successful run: an unchanged tree costs a
 * content hash of the sources (tens of milliseconds) instead of tsc's 10-15 s of loading aws-cdk-lib's types, which
 * tsc's own incremental mode still pays on every run.
 *
 *   node scripts/build.js                              # tsconfig.build.json: the shipped code into build/
 *   node scripts/build.js --project tsconfig.json      # the whole repo, type-check only (tests, bench)
 *   node scripts/build.js --project tsconfig.bench.json # the shipped code and bench/ into build/
 *   node scripts/build.js --project bench/tsconfig.floor.json # the benchmarks' floor apps only
 *   node scripts/build.js --force                      # run tsc even when nothing changed
 *
 * Inputs: every .ts/.tsx/.json file under the project's `include` folders (less `exclude`), the tsconfig files it
 * extends, package-lock.json and the compiler's version. The hash of a successful run is kept in build/.stamps/; an
 * emitting project also needs every source's .js to exist in build/ to count as up to date. After compiling the
 * charts it prerenders the committed CRDs (see `prerender` below) and packs the CLI into one script with a code cache
 * (scripts/pack.js; also whenever the pack is missing or older than a file in it). Exits with tsc's status.
 */
'use strict';
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { pack } = require('./pack');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** A tsconfig file and the ones it extends (relative ./ paths only), merged the way tsc does for these keys. */
function readConfig(file) {
  const text = fs.readFileSync(file, 'utf8');
  const cfg = JSON.parse(text);
  const parent = typeof cfg.extends === 'string' && cfg.extends.startsWith('.') ? readConfig(path.resolve(path.dirname(file), cfg.extends)) : { files: [] };
  const here = (list) => list.map((x) => path.resolve(path.dirname(file), x));
  const options = { ...cfg.compilerOptions };
  for (const k of ['outDir', 'rootDir']) if (options[k]) options[k] = path.resolve(path.dirname(file), options[k]);
  return {
    files: [...parent.files, file],
    include: cfg.include ? here(cfg.include) : parent.include ?? [],
    exclude: cfg.exclude ? here(cfg.exclude) : parent.exclude ?? [],
    compilerOptions: { ...parent.compilerOptions, ...options },
  };
}

function walk(dir, excluded, out) {
  let entries;
  try {
    if (!fs.statSync(dir).isDirectory()) {
      out.push(dir);
      return;
    }
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (excluded.has(full)) continue;
    if (e.isDirectory()) walk(full, excluded, out);
    else if (/\.(ts|tsx|json)$/.test(e.name)) out.push(full);
  }
}

/**
 * Builds `project` unless its inputs are unchanged. Returns tsc's status (0 when skipped), the inputs' hash and
 * whether tsc ran.
 */
function build(project = 'tsconfig.build.json', force = false) {
  const cfg = readConfig(path.resolve(root, project));
  const excluded = new Set(cfg.exclude);
  const sources = [];
  for (const inc of cfg.include) walk(inc, excluded, sources);
  sources.sort();
  const tscVersion = require(path.join(root, 'node_modules', 'typescript', 'package.json')).version;

  const hash = createHash('sha256');
  hash.update(`typescript ${tscVersion}\n`);
  for (const f of [...cfg.files, path.join(root, 'package-lock.json'), ...sources]) {
    hash.update(`${path.relative(root, f)}\n`);
    try {
      hash.update(fs.readFileSync(f));
    } catch {
      hash.update('(missing)');
    }
  }
  const key = hash.digest('hex');

  const outDir = cfg.compilerOptions.outDir ?? path.join(root, 'build');
  const stampDir = path.join(root, 'build', '.stamps');
  const stamp = path.join(stampDir, `${path.basename(project, '.json')}.sha256`);
  const emits = cfg.compilerOptions.noEmit !== true;
  const rootDir = cfg.compilerOptions.rootDir ?? root;
  const outputsPresent = () => !emits || sources
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .every((f) => fs.existsSync(path.join(outDir, path.relative(rootDir, f)).replace(/\.ts$/, '.js')));

  let previous = '';
  try {
    previous = fs.readFileSync(stamp, 'utf8').trim();
  } catch {
    // first build
  }
  if (!force && previous === key && outputsPresent()) return { status: prerender(cfg, outDir, false) || packCli(cfg, false), key, ran: false };

  fs.rmSync(stamp, { force: true });
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });
  const status = r.status === 0 && emits ? prerender(cfg, outDir, true) || packCli(cfg, true) : r.status ?? 1;
  if (status === 0) {
    fs.mkdirSync(stampDir, { recursive: true });
    fs.writeFileSync(stamp, `${key}\n`);
  }
  return { status, key, ran: true };
}

/**
 * Renders what does not depend on the intent (the committed CRDs, the Multus and Whereabouts charts) once into
 * build/charts/private/prerendered.json (`writePrerendered` in charts/app.ts), after each compile of the charts and
 * whenever the file is missing: `multinic synth` then reuses those documents instead of parsing and rendering them
 * each run. The charts check the committed files' hashes and each document's JSON, so a stale file costs time, never
 * other output. Returns an exit status.
 */
function prerender(cfg, outDir, compiled) {
  if (cfg.compilerOptions.noEmit === true || !cfg.include.includes(path.join(root, 'charts'))) return 0;
  const app = path.join(outDir, 'charts', 'app.js');
  const file = path.join(outDir, 'charts', 'private', 'prerendered.json');
  if (!fs.existsSync(app) || (!compiled && fs.existsSync(file))) return 0;
  const code = `require(${JSON.stringify(app)}).writePrerendered(${JSON.stringify(file)})`;
  return spawnSync(process.execPath, ['-e', code], { cwd: root, stdio: 'inherit' }).status ?? 1;
}

/**
 * Packs the CLI into one script with a code cache (scripts/pack.js) when the project emits bin/ and the pack is not
 * current (the benchmarks' floor project does not: its build stays what the floor pays).
 */
function packCli(cfg, compiled) {
  const emitsCli = cfg.compilerOptions.noEmit !== true && cfg.include.includes(path.join(root, 'bin'));
  return emitsCli ? pack(compiled) : 0;
}

module.exports = { build };

if (require.main === module) {
  const args = process.argv.slice(2);
  const pi = args.indexOf('--project');
  process.exit(build(pi >= 0 ? args[pi + 1] : undefined, args.includes('--force')).status);
}
