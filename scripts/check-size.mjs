#!/usr/bin/env node
// Fails when a shipped file is over its gzip budget (size-budgets.json), and prints every file's size.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure } from './sizes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const budgets = JSON.parse(readFileSync(join(root, 'size-budgets.json'), 'utf8'));
const sri = JSON.parse(readFileSync(join(root, 'dist', 'sri.json'), 'utf8'));
let failed = 0;
const rows = [];
for (const rel of Object.keys(sri.files).filter((f) => /\.m?js$/.test(f))) {
  const path = join(root, 'dist', rel);
  const min = rel.replace(/\.js$/, '.min.js');
  const s = measure(path);
  const budget = budgets[`dist/${rel}`];
  const over = budget !== undefined && s.gzip > budget;
  if (over) failed++;
  rows.push({ file: `dist/${rel}`, raw: s.raw, gzip: s.gzip, brotli: s.brotli, budget: budget ?? '', status: budget === undefined ? '' : over ? 'OVER' : 'ok' });
  void min;
}
for (const key of Object.keys(budgets).filter((k) => k.startsWith('dist/'))) {
  if (!existsSync(join(root, key))) {
    console.error(`size budget names ${key}, which the build did not produce`);
    failed++;
  }
}
console.table(rows);
if (failed) {
  console.error(`size check: ${failed} file(s) over budget or missing`);
  process.exit(1);
}
console.log('size check: every budgeted file is within budget');
