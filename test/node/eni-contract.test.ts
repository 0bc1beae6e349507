/**
 * lib/node/eni-contract.ts, the one owner of what the ENI script shares with TypeScript, and the file generated
 * from it (infra/node/eni/constants.sh, `npm run gen:node`): no drift, and no copy of a shared value in the script.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eniScriptParts } from '../../infra/eni-script';
import { NODE_CONFIG_PATH } from '../../lib/node/node-config';
import { NODE_SCRIPT_PATH } from '../../lib/node/node-files';
import { ENI_PATHS, ENI_READY_PATH, eniConstantsScript, eniScriptConstants, ROUTE_TABLE_BASE, ROUTE_TABLE_MAX } from '../../lib/node/eni-contract';
import { ENI_READY_MARKER } from '../../lib/readiness';

const NODE_DIR = join(__dirname, '..', '..', 'infra', 'node');
const CONSTANTS = join(NODE_DIR, 'eni', 'constants.sh');
const PARTS = readdirSync(join(NODE_DIR, 'eni')).filter((f) => f.endsWith('.sh')).sort();
const code = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter((l) => !/^\s*#/.test(l));

describe('infra/node/eni/constants.sh', () => {
  test('is what `npm run gen:node` renders from lib/node/eni-contract.ts (run it after changing the contract)', () => {
    // GIVEN / WHEN / THEN
    expect(readFileSync(CONSTANTS, 'utf8')).toBe(eniConstantsScript());
  });

  test('bash reads every constant back as TypeScript has it', () => {
    // GIVEN the generated file WHEN bash sources it and prints each constant
    const names = eniScriptConstants().map(([n]) => n);
    const r = spawnSync('bash', ['-c', `. "$0"; for n in ${names.join(' ')}; do printf '%s\\n' "\${!n}"; done`, CONSTANTS], { encoding: 'utf8' });
    // THEN the values are TypeScript's
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').slice(0, -1)).toEqual(eniScriptConstants().map(([, v]) => String(v)));
  });

  test.each(["it's", 'a b', '$(reboot)', 'x`y`'])('refuses a value that would need quoting in bash: %j', (value) => {
    // GIVEN / WHEN / THEN
    expect(() => eniConstantsScript([['X', value, 'doc']])).toThrow(`internal: ENI constant X="${value}" is not a plain path, name or number`);
  });
});

describe('one owner per fact', () => {
  test('TypeScript takes the shared values from the contract', () => {
    // GIVEN / WHEN / THEN
    expect(ENI_READY_MARKER).toBe(ENI_READY_PATH);
    expect(ENI_READY_PATH).toBe('/run/multinic/eni-ready');
    expect(NODE_CONFIG_PATH).toBe(ENI_PATHS.nodeConfig);
    expect(NODE_SCRIPT_PATH).toBe(ENI_PATHS.script);
    expect([ROUTE_TABLE_BASE, ROUTE_TABLE_MAX]).toEqual([10000, 11599]);
  });

  test.each(PARTS.filter((p) => p !== 'constants.sh').map((p) => [`eni/${p}`, join(NODE_DIR, 'eni', p)]).concat([['multinic-eni.sh', join(NODE_DIR, 'multinic-eni.sh')]]))(
    '%s spells no shared value itself (it uses constants.sh)', (_name, file) => {
      // GIVEN the shared values that are specific enough to find
      const values = eniScriptConstants().map(([, v]) => String(v)).filter((v) => v.includes('/') || v.includes('-') || /^\d{5}$/.test(v));
      // WHEN the code lines (not comments) are searched THEN none holds one
      const hits = code(file).flatMap((l) => values.filter((v) => l.includes(v)).map((v) => `${v} in: ${l.trim()}`));
      expect(hits).toEqual([]);
    });

  test('the defaults the entry point documents are the contract\'s', () => {
    // GIVEN the usage comment's `MULTINIC_X [default]` lines
    const doc = readFileSync(join(NODE_DIR, 'multinic-eni.sh'), 'utf8');
    const documented = Object.fromEntries([...doc.matchAll(/^# {3}(MULTINIC_[A-Z_]+)\s+\[([^\]]+)\]/gm)].map((m) => [m[1], m[2]]));
    // WHEN / THEN
    expect(documented).toMatchObject({
      MULTINIC_NODE_CONFIG: ENI_PATHS.nodeConfig, MULTINIC_CNI_DIR: ENI_PATHS.cniDir, MULTINIC_LINK_DIR: ENI_PATHS.linkDir,
      MULTINIC_UDEV_DIR: ENI_PATHS.udevDir, MULTINIC_STATE_DIR: ENI_PATHS.stateDir, MULTINIC_RUN_DIR: ENI_PATHS.runDir,
    });
  });

  test('the entry point sources every part under infra/node/eni, each once', () => {
    // GIVEN / WHEN / THEN
    const sourced = eniScriptParts(NODE_DIR);
    expect([...sourced].sort()).toEqual(PARTS);
    expect(new Set(sourced).size).toBe(sourced.length);
    expect(sourced[0]).toBe('constants.sh');
  });

  test.each([['bash multinic-eni.sh', 'infra/node'], ['bash infra/node/multinic-eni.sh', '.'], ['./multinic-eni.sh', 'infra/node']])(
    'the entry point finds its parts however it is started: %s (from %s)', (command, cwd) => {
      // GIVEN / WHEN
      const r = spawnSync('bash', ['-c', `${command} --help`], { cwd: join(__dirname, '..', '..', cwd), encoding: 'utf8' });
      // THEN it sourced every part and printed its usage
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('Usage: multinic-eni.sh [--dry-run] [--config FILE]');
    });
});
