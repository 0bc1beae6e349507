/**
 * Jest reporter that ends the run with, in this order on stderr:
 * - each reason tests were skipped for (test/util/require-tool.ts puts `[skipped: needs X (install command)]` in
 *   their titles), once, with how many tests it skipped;
 * - the wall time of the run (of the whole `npm test` when scripts/test.js started jest, with its steps) and the
 *   slowest suites (files), so a slow change shows up in every run;
 * - one plain line, `jest: N passed, N failed, N skipped`, so CI logs say how many tests ran in a form any reader
 *   (human or tool) understands. It stays the last line.
 */
const path = require('node:path');

const MARK = '[skipped: ';
const SLOWEST = 5;

/** The skip reason in a title, or undefined. */
function reasonOf(title) {
  const i = title.lastIndexOf(MARK);
  return i < 0 ? undefined : title.slice(i + MARK.length, title.endsWith(']') ? -1 : undefined);
}

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig?.rootDir ?? process.cwd();
    this.started = Date.now();
  }

  onRunStart() {
    this.started = Date.now();
  }

  onRunComplete(_contexts, results) {
    const lines = [''];
    const reasons = new Map();
    for (const file of results.testResults) {
      for (const t of file.testResults) {
        if (t.status !== 'pending' && t.status !== 'skipped') continue;
        const reason = [t.title, ...t.ancestorTitles].map(reasonOf).find((r) => r !== undefined);
        if (reason) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
    for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) {
      lines.push(`skipped ${n} test${n === 1 ? '' : 's'}: ${reason}`);
    }
    const started = Number(process.env.MULTINIC_TEST_STARTED) || this.started;
    let steps = [];
    try {
      steps = JSON.parse(process.env.MULTINIC_TEST_PHASES ?? '[]');
    } catch {
      // not started by scripts/test.js
    }
    const jestSeconds = (Date.now() - this.started) / 1000;
    const wall = (Date.now() - started) / 1000;
    const parts = [...steps, ['jest', jestSeconds]].map(([name, s]) => `${name} ${Number(s).toFixed(1)} s`).join(', ');
    const suites = results.testResults
      .filter((f) => f.perfStats && f.perfStats.end > 0)
      .map((f) => ({ file: path.relative(this.rootDir, f.testFilePath), s: (f.perfStats.end - f.perfStats.start) / 1000 }))
      .sort((a, b) => b.s - a.s)
      .slice(0, SLOWEST);
    lines.push(`${steps.length ? 'npm test' : 'jest'} wall time ${wall.toFixed(1)} s${steps.length ? ` (${parts})` : ''}`);
    lines.push(`slowest suites: ${suites.map((x) => `${x.file} ${x.s.toFixed(1)} s`).join(', ') || 'none'}`);
    const skipped = results.numPendingTests + results.numTodoTests;
    lines.push(`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`);
    process.stderr.write(`${lines.join('\n')}\n`);
  }
}
module.exports = SummaryReporter;
