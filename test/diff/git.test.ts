import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readAtRef } from '../../lib/diff/git';
import { MultinicError } from '../../lib/errors';

/** A throw-away repository with `sub/intent.yaml` committed as "v1", then changed in the working tree. */
function repo(): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-git-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  fs.mkdirSync(path.join(dir, 'sub'));
  const file = path.join(dir, 'sub', 'intent.yaml');
  fs.writeFileSync(file, 'v1\n');
  git('add', '.');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'v1');
  fs.writeFileSync(file, 'v2\n');
  return { dir, file };
}

describe('readAtRef', () => {
  test('the file as committed at the ref, found relative to the file (not the repository root)', () => {
    const { file } = repo();
    expect(readAtRef('main', file)).toEqual({ text: 'v1\n' });
    expect(readAtRef('HEAD', file)).toEqual({ text: 'v1\n' });
  });

  test('a file the ref does not have is reported as missing (a new intent file)', () => {
    const { dir } = repo();
    const other = path.join(dir, 'sub', 'new.yaml');
    fs.writeFileSync(other, 'x\n');
    const r = readAtRef('main', other);
    expect(r).toEqual({ missing: expect.stringContaining('new.yaml') });
  });

  test('an unknown ref is a MultinicError naming it', () => {
    const { file } = repo();
    expect(() => readAtRef('no-such-branch', file)).toThrow(MultinicError);
    expect(() => readAtRef('no-such-branch', file)).toThrow(/"no-such-branch" is not a git revision in .*; use a branch, tag or commit, e\.g\. origin\/main/);
  });

  test('a ref that looks like an option is refused before git sees it', () => {
    const { file } = repo();
    expect(() => readAtRef('--output=/tmp/x', file)).toThrow('--git --output=/tmp/x: a ref cannot start with "-"');
  });
});
