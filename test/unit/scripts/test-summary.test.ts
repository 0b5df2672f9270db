/** The closing lines of `npm test` (scripts/test-summary.mjs): tests counted as tests, suites apart. */
import { describe, expect, it } from 'vitest';
import { summarise } from '../../../scripts/test-summary.mjs';

const ROOT = '/repo';
/** A vitest JSON report: `files` maps a path to its status and its tests' statuses. */
function report(files: Record<string, { status: 'passed' | 'failed'; tests: Array<'passed' | 'failed'>; message?: string }>) {
  const all = Object.values(files).flatMap((f) => f.tests);
  return {
    numPassedTests: all.filter((t) => t === 'passed').length,
    numFailedTests: all.filter((t) => t === 'failed').length,
    numFailedTestSuites: Object.values(files).filter((f) => f.status === 'failed').length,
    testResults: Object.entries(files).map(([name, f]) => ({
      name: `${ROOT}/${name}`,
      status: f.status,
      message: f.message ?? '',
      assertionResults: f.tests.map((status) => ({ status })),
    })),
  };
}

describe('npm test closing lines', () => {
  it('counts tests only; a suite that failed gets its own line and still fails the run', () => {
    const out = summarise(
      report({
        'test/a.test.ts': { status: 'failed', tests: ['passed', 'failed'] },
        'test/b.test.ts': { status: 'failed', tests: [], message: 'Failed to load url ./missing' },
        'test/c.test.ts': { status: 'passed', tests: ['passed', 'passed'] },
      }),
      ROOT,
    );
    expect(out.lines.at(-1)).toBe('tests: 3 passed, 1 failed');
    expect(out.lines.slice(0, -1)).toEqual(['suites: 2 failed (test/a.test.ts, test/b.test.ts)']);
    expect(out.failed).toBe(true);
  });

  it('fails the run on a failed suite even when every test passed', () => {
    const out = summarise(report({ 'test/a.test.ts': { status: 'failed', tests: ['passed'] } }), ROOT);
    expect(out.lines).toEqual(['suites: 1 failed (test/a.test.ts)', 'tests: 1 passed, 0 failed']);
    expect(out.failed).toBe(true);
  });

  it('passes a clean run with one line', () => {
    expect(summarise(report({ 'test/a.test.ts': { status: 'passed', tests: ['passed', 'passed'] } }), ROOT)).toEqual({ lines: ['tests: 2 passed, 0 failed'], failed: false });
  });

  it('fails a run without a report or without a single test, and counts no made-up test', () => {
    expect(summarise(null, ROOT)).toEqual({ lines: ['vitest wrote no readable report', 'tests: 0 passed, 0 failed'], failed: true });
    expect(summarise(report({}), ROOT).failed).toBe(true);
  });
});
