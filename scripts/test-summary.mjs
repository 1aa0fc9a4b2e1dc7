// Adds up the runners' JSON reports into one closing line: "Summary: N passed, N failed, N skipped". Each failed test
// is named just above it, with the first line of its error, so that the tail of a CI log says what failed.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';

let passed = 0, failed = 0, skipped = 0;
const failures = [];
const firstLine = (text) => stripVTControlCharacters(String(text ?? '')).split('\n').find((line) => line.trim() !== '')?.trim().slice(0, 300) ?? '';
const relative = (file) => path.relative(process.cwd(), file);

function playwrightFailures(suite, file) {
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests ?? []) {
      if (test.status !== 'unexpected') continue;
      const error = test.results?.flatMap((result) => result.errors ?? [])[0];
      failures.push(`${spec.file ?? file}:${spec.line ?? ''} › ${spec.title}: ${firstLine(error?.message)}`);
    }
  }
  for (const child of suite.suites ?? []) playwrightFailures(child, suite.file ?? file);
}

for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if ('numPassedTests' in report) { // vitest
    passed += report.numPassedTests; failed += report.numFailedTests; skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    if (report.numFailedTestSuites && !report.numFailedTests) failed += report.numFailedTestSuites;
    for (const suite of report.testResults ?? []) {
      const failedTests = (suite.assertionResults ?? []).filter((test) => test.status === 'failed');
      for (const test of failedTests) failures.push(`${relative(suite.name)} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
      if (suite.status === 'failed' && failedTests.length === 0) failures.push(`${relative(suite.name)}: ${firstLine(suite.message)}`);
    }
  } else if (report.stats) { // playwright
    passed += report.stats.expected + (report.stats.flaky ?? 0); failed += report.stats.unexpected; skipped += report.stats.skipped;
    for (const suite of report.suites ?? []) playwrightFailures(suite, suite.file);
  }
}
if (failures.length) console.log(`\nFailed:\n${failures.map((line) => `  ✗ ${line}`).join('\n')}`);
console.log(`\nSummary: ${passed} passed, ${failed} failed, ${skipped} skipped`);
