/**
 * cfn-lint (AWS's CloudFormation linter, from PyPI) on the templates of the default intent and of the richest one:
 * no errors. Warnings are allowed and listed in the failure message only when errors exist.
 */
process.env.CDK_VALIDATION = 'false';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireTools } from '../util/require-tool';
import { intentWith, richIntent, synth } from './util';

const needs = requireTools(['cfn-lint']);

needs.describe('cfn-lint', () => {
  test.each([['the default intent', intentWith()], ['every AWS feature', richIntent()]])('%s: both templates have no errors', (_what, intent) => {
    // GIVEN the synthesized templates on disk
    const s = synth(intent);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-cfn-lint-'));
    const files = [['network.json', s.network.toJSON()], ['cluster.json', s.cluster.toJSON()]].map(([name, t]) => {
      const file = path.join(dir, name as string);
      fs.writeFileSync(file, JSON.stringify(t, undefined, 1));
      return file;
    });
    // WHEN cfn-lint checks them (parseable output; errors are E*, warnings W*, informational I*)
    const r = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...files], { encoding: 'utf8', timeout: 120000 });
    const findings = r.stdout.split('\n').filter(Boolean);
    const errors = findings.filter((l) => /:E\d{4}:/.test(l));
    // THEN no error (exit status 2 means errors; 4 and 8 are warnings and informational)
    expect(errors).toEqual([]);
    expect(r.status === 0 || (r.status! & 2) === 0).toBe(true);
  }, 180000);

  test('reports an error in a broken template (the check can fail)', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'multinic-cfn-lint-')), 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { NoSuchProperty: 1 } } } }));
    const r = spawnSync('cfn-lint', ['--format', 'parseable', '--', file], { encoding: 'utf8', timeout: 120000 });
    expect(r.stdout).toMatch(/:E\d{4}:/);
  }, 180000);
});
