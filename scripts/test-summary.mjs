/**
 * The closing lines of `npm test`, from vitest's JSON report. The last line counts TESTS only
 * ("tests: N passed, N failed"); test files that failed (an import error, a failing hook, or a
 * failed test inside) are named on a line of their own above it, and fail the run either way.
 * @param {any} json the report (`--reporter=json`), or null when vitest wrote none
 * @param {string} root the repository root, cut from file names
 * @returns {{ lines: string[], failed: boolean }}
 */
export function summarise(json, root) {
  if (!json) return { lines: ['vitest wrote no readable report', 'tests: 0 passed, 0 failed'], failed: true };
  const passed = Number(json.numPassedTests ?? 0);
  const failed = Number(json.numFailedTests ?? 0);
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const suites = (json.testResults ?? [])
    .filter((/** @type {{ status: string }} */ file) => file.status === 'failed')
    .map((/** @type {{ name: string }} */ file) => (String(file.name).startsWith(prefix) ? String(file.name).slice(prefix.length) : String(file.name)));
  const lines = [];
  if (suites.length > 0) lines.push(`suites: ${suites.length} failed (${suites.join(', ')})`);
  lines.push(`tests: ${passed} passed, ${failed} failed`);
  return { lines, failed: failed > 0 || suites.length > 0 || passed === 0 };
}
