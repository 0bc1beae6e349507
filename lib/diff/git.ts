/**
 * Reading the base side of a diff from git: `git show REF:./FILE`, run in the file's directory so the path is
 * resolved the way the user sees it (relative to where the file is, not to the repository root).
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { MultinicError } from '../errors';

/** What `readAtRef` found: the text, or that the file does not exist at that ref (a new file). */
export type AtRef = { readonly text: string } | { readonly missing: string };

/**
 * The content of `file` at git `ref`. Throws `MultinicError('GIT')` when git cannot run or `ref` is not a
 * revision; returns `{ missing }` when the ref exists but has no such file.
 */
export function readAtRef(ref: string, file: string): AtRef {
  const dir = path.dirname(path.resolve(file));
  const git = (args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  if (ref.startsWith('-')) throw new MultinicError('USAGE', `--git ${ref}: a ref cannot start with "-"`);
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch (e) {
    const err = e as { code?: string; stderr?: string };
    if (err.code === 'ENOENT') throw new MultinicError('GIT', 'git is not installed; pass two files instead: multinic diff BASE HEAD');
    throw new MultinicError('GIT', `"${ref}" is not a git revision in ${dir}${err.stderr ? ` (${err.stderr.trim().split('\n')[0]})` : ''}; use a branch, tag or commit, e.g. origin/main`);
  }
  try {
    return { text: git(['show', `${ref}:./${path.basename(file)}`]) };
  } catch (e) {
    return { missing: ((e as { stderr?: string }).stderr ?? '').trim().split('\n')[0] || `${file} does not exist at ${ref}` };
  }
}
