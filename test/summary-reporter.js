/**
 * Jest reporter that ends the run with one plain line, `jest: N passed, N failed, N skipped`, so CI logs say how many
 * tests ran in a form any reader (human or tool) understands.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stderr.write(`\njest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
