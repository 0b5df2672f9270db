#!/usr/bin/env node
// npm test: typecheck, build, boundary and size checks, then every vitest project (unit, server,
// browser). Ends with one plain line "tests: N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const step = (title, cmd, args) => {
  console.log(`\n== ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n${title} failed`);
    console.log('tests: 0 passed, 1 failed');
    process.exit(1);
  }
};

step('typecheck (strict)', 'npm', ['run', '--silent', 'typecheck']);
step('build', 'node', ['scripts/build.mjs']);
step('boundary check', 'node', ['scripts/check-boundary.mjs']);
step('size budgets', 'node', ['scripts/check-size.mjs']);

mkdirSync(join(root, '.tmp'), { recursive: true });
const report = join(root, '.tmp', 'vitest.json');
console.log('\n== vitest (unit, server, browser)');
const args = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const r = spawnSync(bin('vitest'), args, { cwd: root, stdio: 'inherit' });
let passed = 0;
let failed = 0;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests;
  failed = json.numFailedTests + (json.numFailedTestSuites ?? 0);
} catch {
  failed = Math.max(failed, 1);
}
if (r.status !== 0 && failed === 0) failed = 1;
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(r.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
