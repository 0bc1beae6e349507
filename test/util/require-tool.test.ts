import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CNI, gate, hasTool, installHint, missingReason, requireTools, tagged } from './require-tool';

const SummaryReporter = require('../summary-reporter.js');

const dir = mkdtempSync(join(tmpdir(), 'multinic-tools-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'shellcheck'), '#!/bin/sh\n');
chmodSync(join(dir, 'shellcheck'), 0o755);
writeFileSync(join(dir, 'nft'), 'not executable');

describe('hasTool', () => {
  test('finds an executable in PATH, not a plain file, not an absent one', () => {
    expect(hasTool('shellcheck', dir)).toBe(true);
    expect(hasTool('nft', dir)).toBe(false);
    expect(hasTool('ping', dir)).toBe(false);
    expect(hasTool('shellcheck', `/nonexistent:${dir}`)).toBe(true);
  });

  test('an absolute path is checked as it is', () => {
    expect(hasTool(join(dir, 'shellcheck'), '')).toBe(true);
    expect(hasTool(CNI('no-such-plugin'), '')).toBe(false);
  });
});

describe('missingReason', () => {
  test('names each missing tool and one apt-get line for their packages', () => {
    expect(missingReason(['shellcheck', 'nft', 'ping', CNI('no-such-plugin')], { path: dir }))
      .toBe(`needs nft, ping, ${CNI('no-such-plugin')} (apt-get install nftables iputils-ping containernetworking-plugins)`);
  });

  test('root, when asked for, comes first with what it is for', () => {
    expect(missingReason(['shellcheck'], { path: dir, root: 'network namespaces', uid: 1000 })).toBe('needs root (for network namespaces)');
    expect(missingReason(['ip'], { path: dir, root: 'network namespaces', uid: 1000 }))
      .toBe('needs root (for network namespaces) and ip (apt-get install iproute2)');
    expect(missingReason(['shellcheck'], { path: dir, root: 'network namespaces', uid: 0 })).toBeUndefined();
  });

  test('tools from elsewhere get their own install command', () => {
    expect(installHint(['cfn-lint', 'jq'])).toBe('apt-get install jq; pip install cfn-lint');
  });
});

describe('requireTools', () => {
  test('all present: plain describe and test', () => {
    const g = requireTools(['shellcheck'], { path: dir });
    expect([g.ok, g.reason]).toEqual([true, undefined]);
    expect(g.describe).toBe(describe);
    expect(g.test).toBe(test);
  });

  test('a gate that skips appends the reason to every title, also through .each', () => {
    const calls: unknown[][] = [];
    const record = Object.assign((...args: unknown[]) => { calls.push(args); }, {
      each: (table: unknown[]) => (name: string, fn: unknown) => { calls.push([name, fn, table]); },
    }) as unknown as jest.It;
    const t = tagged(record, 'needs nft (apt-get install nftables)');
    const body = () => {};
    t('a test', body);
    t.each([1, 2])('case %s', body);
    expect(calls).toEqual([
      ['a test [skipped: needs nft (apt-get install nftables)]', body],
      ['case %s [skipped: needs nft (apt-get install nftables)]', body, [1, 2]],
    ]);
    expect(gate('why').ok).toBe(false);
    expect(gate(undefined).test).toBe(test);
  });

  test('a missing tool gives ok false and the reason', () => {
    expect(requireTools(['no-such-tool-xyz'], { path: dir })).toMatchObject({ ok: false, reason: 'needs no-such-tool-xyz (install no-such-tool-xyz)' });
  });
});

describe('summary reporter', () => {
  const file = (tests: Array<{ title: string; ancestorTitles?: string[]; status: string }>, start: number, end: number, path: string) => ({
    testFilePath: `/repo/${path}`, perfStats: { start, end },
    testResults: tests.map((t) => ({ ancestorTitles: [], ...t })),
  });

  test('prints each skip reason once with its count, the slowest suites, and the plain count line last', () => {
    const out: string[] = [];
    const env = { started: process.env.MULTINIC_TEST_STARTED, phases: process.env.MULTINIC_TEST_PHASES };
    delete process.env.MULTINIC_TEST_STARTED;
    delete process.env.MULTINIC_TEST_PHASES;
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((t) => { out.push(String(t)); return true; });
    try {
      const r = new SummaryReporter({ rootDir: '/repo' });
      r.onRunComplete(new Set(), {
        numPassedTests: 3, numFailedTests: 0, numPendingTests: 3, numTodoTests: 0,
        testResults: [
          file([{ title: 'a [skipped: needs nft (apt-get install nftables)]', status: 'pending' },
            { title: 'b', ancestorTitles: ['suite [skipped: needs nft (apt-get install nftables)]'], status: 'pending' },
            { title: 'c', status: 'passed' }], 0, 2500, 'test/a.test.ts'),
          file([{ title: 'd [skipped: needs root (for network namespaces)]', status: 'pending' }, { title: 'e', status: 'passed' }], 0, 9000, 'test/b.test.ts'),
        ],
      });
    } finally {
      spy.mockRestore();
      if (env.started !== undefined) process.env.MULTINIC_TEST_STARTED = env.started;
      if (env.phases !== undefined) process.env.MULTINIC_TEST_PHASES = env.phases;
    }
    const lines = out.join('').trim().split('\n');
    expect(lines[0]).toBe('skipped 2 tests: needs nft (apt-get install nftables)');
    expect(lines[1]).toBe('skipped 1 test: needs root (for network namespaces)');
    expect(lines[2]).toMatch(/^jest wall time \d+\.\d s$/);
    expect(lines[3]).toBe('slowest suites: test/b.test.ts 9.0 s, test/a.test.ts 2.5 s');
    expect(lines.at(-1)).toBe('jest: 3 passed, 0 failed, 3 skipped');
  });
});
