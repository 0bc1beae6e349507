import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openPack, PACK_FILES } from '../../bin/private/packed';

const ROOT = path.resolve(__dirname, '../..');
const MULTINIC = path.join(ROOT, 'build/bin/multinic.js');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-pack-'));
const readAll = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

/** A pack of one module standing for the repository file `file` (its size and mtime as recorded, or `mtimeMs`). */
function fakePack(file: string, mtimeMs?: number): typeof PACK_FILES {
  const dir = tmp();
  const st = fs.statSync(path.join(ROOT, file));
  const files = { script: path.join(dir, 'p.js'), manifest: path.join(dir, 'p.json'), cache: path.join(dir, 'p.cache') };
  fs.writeFileSync(files.script, '(function () { return { defs: [function (exports, require, module, __filename, __dirname) { module.exports = { answer: 42, __filename, __dirname }; }], edges: [{}] }; })()', 'utf16le');
  fs.writeFileSync(files.manifest, JSON.stringify({ node: process.version, files: [[file, st.size, mtimeMs ?? st.mtimeMs]] }));
  return files;
}

describe('openPack', () => {
  test('loads a packed module under its real file name, once', () => {
    // GIVEN a pack whose one file is as recorded
    const pack = openPack(fakePack('bench/README.md'));
    // WHEN
    const m = pack?.load('bench/README.md') as { answer: number; __filename: string; __dirname: string };
    // THEN it runs with its own __filename and __dirname, and a second load is the cached instance
    expect(m).toEqual({ answer: 42, __filename: path.join(ROOT, 'bench/README.md'), __dirname: path.join(ROOT, 'bench') });
    expect(pack?.load('bench/README.md')).toBe(m);
    expect(() => pack?.load('bench/other.js')).toThrow('bench/other.js is not in the pack');
  });

  test('throws for a damaged pack script (runPacked then runs the modules)', () => {
    const files = fakePack('bench/README.md');
    fs.writeFileSync(files.script, '(function () { return { defs: [function (', 'utf16le');
    let thrown: unknown;
    try {
      openPack(files);
    } catch (e) {
      thrown = e;
    }
    // vm's SyntaxError comes from Node's realm, not jest's: compare by name
    expect((thrown as Error | undefined)?.name).toBe('SyntaxError');
  });

  test('is not used once a file in it changed (another mtime), or without its manifest', () => {
    const files = fakePack('bench/README.md', 1);
    expect(openPack(files)).toBeUndefined();
    fs.rmSync(files.manifest);
    expect(openPack(files)).toBeUndefined();
  });
});

// `npm test` builds (scripts/build.js), which packs the CLI; these run the compiled CLI both ways.
const built = fs.existsSync(MULTINIC) ? describe : describe.skip;
built('the packed CLI (build/multinic.pack.js, made by scripts/build.js)', () => {
  test('is current after the build', () => {
    expect(openPack()).toBeDefined();
  });

  test.each([
    ['the default intent', []],
    ['the several-groups fixture, with the self-test', ['-i', 'test/fixtures/cluster/groups.yaml', '--with-selftest']],
  ])('synth of %s writes the same bytes and prints the same as the modules', (_, args) => {
    const run = (env: NodeJS.ProcessEnv) => {
      const out = path.join(tmp(), 'dist');
      const r = spawnSync(process.execPath, [MULTINIC, 'synth', ...args, '-o', out], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
      return { status: r.status, stderr: r.stderr, stdout: r.stdout.replace(out, 'OUT'), files: readAll(out) };
    };
    const packed = run({});
    expect(packed.status).toBe(0);
    expect(packed).toEqual(run({ MULTINIC_NO_PACK: '1' }));
  });

  test('an invalid intent: the same findings and exit status', () => {
    const run = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [MULTINIC, 'validate', '--json', '-i', 'test/fixtures/invalid/field-mastr.yaml'], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
    const packed = run({});
    expect(packed.status).toBe(1);
    expect(JSON.parse(packed.stdout).errors).toBeGreaterThan(0);
    const modules = run({ MULTINIC_NO_PACK: '1' });
    expect([packed.status, packed.stdout, packed.stderr]).toEqual([modules.status, modules.stdout, modules.stderr]);
  });
});
