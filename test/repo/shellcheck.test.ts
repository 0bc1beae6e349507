import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { requireTools } from '../util/require-tool';

const ROOT = path.resolve(__dirname, '../..');
const needs = requireTools(['shellcheck']);

/** Every shell script in the repository: tracked *.sh files and .ci/run. */
function scripts(): string[] {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.sh', '.ci/run'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n').filter(Boolean);
  return [...new Set(files)].sort();
}

describe('shellcheck', () => {
  test('finds the scripts (the list is not empty by accident)', () => {
    expect(scripts()).toEqual(expect.arrayContaining(['.ci/run', 'bin/import-crds.sh', 'infra/node/multinic-eni.sh', 'infra/bootstrap/boot.sh']));
  });

  // npm test installs shellcheck where it can (scripts/provision.sh); without it these are skipped with its name.
  // The stricter optional checks (masked return values, set -e suppressed) run on the node scripts in their own tests.
  needs.test.each(scripts())('%s is clean', (file) => {
    const r = spawnSync('shellcheck', ['-x', '-P', 'SCRIPTDIR', file], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
