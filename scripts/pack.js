#!/usr/bin/env node
/**
 * Packs the compiled CLI (build/bin/run.js and every module it can require, from build/ and node_modules) into one
 * script, build/multinic.pack.js (UTF-16LE), with build/multinic.pack.json (each file's size and mtime: the pack is used only
 * while they match) and a V8 code cache, build/multinic.pack.cache, made by running `validate` and `synth` of the
 * default intent through it. bin/private/packed.ts loads it; see there for why and what stays the same.
 *
 *   node scripts/pack.js          # pack unless the pack is current
 *   node scripts/pack.js --force  # pack anyway
 *
 * Left out, loaded by Node as usual when a command needs them: builtins, the AWS SDK, aws-cdk-lib, ES modules, and
 * any request that is not a string literal. scripts/build.js runs this after compiling the shipped code.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createRequire, isBuiltin } = require('node:module');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const ENTRY = 'build/bin/run.js';
const OUT = { script: 'build/multinic.pack.js', manifest: 'build/multinic.pack.json', cache: 'build/multinic.pack.cache' };
/** Large, and loaded only by commands that talk to AWS or build CloudFormation. */
const EXTERNAL = /[\\/]node_modules[\\/](aws-cdk-lib|aws-cdk|@aws-sdk|@smithy|@aws-crypto|@aws-cdk|typescript)[\\/]/;
const REQUIRE = /\brequire\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/** The `type` of the package a file belongs to (ES modules cannot go into a CommonJS pack). */
function packageType(file) {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        return JSON.parse(fs.readFileSync(pj, 'utf8')).type ?? 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (path.dirname(dir) === dir) return 'commonjs';
  }
}

function packable(file) {
  if (EXTERNAL.test(file) || !file.startsWith(`${root}${path.sep}`)) return false;
  if (file.endsWith('.json') || file.endsWith('.cjs')) return true;
  return file.endsWith('.js') && packageType(file) !== 'module';
}

/** Every module reachable from the entry through string-literal requires, in the order first reached. */
function collect() {
  const files = [];
  const index = new Map();
  const edges = [];
  const visit = (file) => {
    if (index.has(file)) return index.get(file);
    const i = files.length;
    index.set(file, i);
    files.push(file);
    edges.push({});
    if (file.endsWith('.json')) return i;
    const text = fs.readFileSync(file, 'utf8');
    const resolve = createRequire(file).resolve;
    for (const [, , request] of text.matchAll(REQUIRE)) {
      if (isBuiltin(request) || request in edges[i]) continue;
      let target;
      try {
        target = resolve(request);
      } catch {
        continue; // not resolvable from here (a string in a comment, an optional dependency): Node decides at run time
      }
      if (isBuiltin(target) || !packable(target)) continue;
      edges[i][request] = visit(target);
    }
    return i;
  };
  visit(path.join(root, ENTRY));
  return { files, edges };
}

/** One module as the function Node would wrap it in (a hashbang line kept as a comment, inline source maps dropped). */
function wrap(file) {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const body = file.endsWith('.json')
    ? `module.exports = JSON.parse(${JSON.stringify(text)});`
    : text.replace(/^#!/, '//#!').replace(/^\/\/# sourceMappingURL=data:.*$/gm, '');
  return `// ${path.relative(root, file)}\nfunction (exports, require, module, __filename, __dirname) {\n${body}\n}`;
}

/** This script's own hash: a pack made by another version of it is not current. */
function packerHash() {
  return require('node:crypto').createHash('sha256').update(fs.readFileSync(__filename)).digest('hex');
}

/** True when the pack, its manifest and cache exist, this script made it, and every packed file is as packed. */
function packCurrent() {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(root, OUT.manifest), 'utf8'));
  } catch {
    return false;
  }
  if (manifest.node !== process.version || manifest.packer !== packerHash() || !fs.existsSync(path.join(root, OUT.script)) || !fs.existsSync(path.join(root, OUT.cache))) return false;
  return manifest.files.every(([file, size, mtimeMs]) => {
    const st = fs.statSync(path.join(root, file), { throwIfNoEntry: false });
    return st !== undefined && st.size === size && st.mtimeMs === mtimeMs;
  });
}

/** Writes the pack, its manifest and its code cache. Returns an exit status. */
function pack(force = false) {
  if (!fs.existsSync(path.join(root, ENTRY))) return 0; // nothing compiled to pack
  if (!force && packCurrent()) return 0;
  for (const f of Object.values(OUT)) fs.rmSync(path.join(root, f), { force: true });
  const { files, edges } = collect();
  const manifest = {
    node: process.version,
    packer: packerHash(),
    files: files.map((f) => {
      const st = fs.statSync(f);
      return [path.relative(root, f), st.size, st.mtimeMs];
    }),
  };
  const script = `(function () {\nreturn {\ndefs: [\n${files.map(wrap).join(',\n')}\n],\nedges: ${JSON.stringify(edges)}\n};\n})()\n`;
  // UTF-16: the text V8 holds anyway (some modules are not ASCII), read without decoding UTF-8 (~7 ms per start).
  fs.writeFileSync(path.join(root, OUT.script), script, 'utf16le');
  fs.writeFileSync(path.join(root, OUT.manifest), `${JSON.stringify(manifest)}\n`);
  // The code cache: run what people run most, through the pack, then keep what V8 compiled.
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-pack-'));
  try {
    const code = `require(${JSON.stringify(path.join(root, 'build/bin/private/packed.js'))}).writePackCache([['validate'], ['synth', '-o', ${JSON.stringify(path.join(out, 'dist'))}]]).catch((e) => { console.error(e); process.exit(1); })`;
    const env = { ...process.env };
    delete env.MULTINIC_INTENT; // the default intent
    const r = spawnSync(process.execPath, ['-e', code], { cwd: root, stdio: 'inherit', env });
    if (r.status !== 0) {
      for (const f of Object.values(OUT)) fs.rmSync(path.join(root, f), { force: true });
      process.stderr.write('scripts/pack.js: making the code cache failed; the CLI runs from its modules\n');
      return r.status ?? 1;
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
  return 0;
}

module.exports = { pack, packCurrent, collect };

if (require.main === module) process.exit(pack(process.argv.includes('--force')));
