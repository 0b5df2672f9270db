#!/usr/bin/env node
// npm test: typecheck, build, boundary and size checks, then every vitest project (unit, server,
// browser). Ends with one plain line "tests: N passed, N failed" that counts tests only; failed
// test files are named on their own line above it (scripts/test-summary.mjs).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarise } from './test-summary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const step = (title, cmd, args) => {
  console.log(`\n== ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n${title} failed`);
    console.log(`not run: ${title} failed first`);
    console.log('tests: 0 passed, 0 failed');
    process.exit(1);
  }
};

step('typecheck (strict)', 'npm', ['run', '--silent', 'typecheck']);
step('build', 'node', ['scripts/build.mjs']);
step('boundary check', 'node', ['scripts/check-boundary.mjs']);
step('size budgets', 'node', ['scripts/check-size.mjs']);

mkdirSync(join(root, '.tmp'), { recursive: true });
const report = join(root, '.tmp', 'vitest.json');
// A report left by an earlier run must not stand in for this one.
rmSync(report, { force: true });
console.log('\n== vitest (unit, server, browser)');
const args = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const r = spawnSync(bin('vitest'), args, { cwd: root, stdio: 'inherit' });
let json = null;
try {
  json = JSON.parse(readFileSync(report, 'utf8'));
} catch {
  json = null;
}
const summary = summarise(json, root);
for (const line of summary.lines) console.log(line);
process.exit(r.status === 0 && !summary.failed ? 0 : 1);
