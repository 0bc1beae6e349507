/** Where the repository's own files are, whether this runs from source (jest) or from build/ (the CLI). */
import * as fs from 'node:fs';
import * as path from 'node:path';

let root: string | undefined;

/** The directory holding package.json, found upwards from this file. */
export function repoRoot(): string {
  if (root !== undefined) return root;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'build') {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the repository root above ${__dirname}`);
    dir = up;
  }
  root = dir;
  return dir;
}

export const repoPath = (...parts: string[]): string => path.join(repoRoot(), ...parts);
