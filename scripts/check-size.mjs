#!/usr/bin/env node
// Fails when a shipped file is over its gzip budget (size-budgets.json), and prints every file's size.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FRAME_LOCALES } from './frame-locales.mjs';
import { measure } from './sizes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const budgets = JSON.parse(readFileSync(join(root, 'size-budgets.json'), 'utf8'));
const sri = JSON.parse(readFileSync(join(root, 'dist', 'sri.json'), 'utf8'));
/** A budget key may name one file or, with `*`, a family (one frame bundle per locale). */
const pattern = (key) => new RegExp(`^${key.replace(/[.]/g, '\\.').replaceAll('*', '[^/]+')}$`);
const budgetOf = (file) => budgets[file] ?? Object.entries(budgets).find(([k]) => k.includes('*') && pattern(k).test(file))?.[1];
let failed = 0;
const rows = [];
const files = Object.keys(sri.files).filter((f) => /\.m?js$/.test(f)).map((f) => `dist/${f}`);
for (const file of files) {
  const s = measure(join(root, file));
  const budget = budgetOf(file);
  const over = budget !== undefined && s.gzip > budget;
  if (over) failed++;
  rows.push({ file, raw: s.raw, gzip: s.gzip, brotli: s.brotli, budget: budget ?? '', status: budget === undefined ? '' : over ? 'OVER' : 'ok' });
}
for (const key of Object.keys(budgets).filter((k) => k.startsWith('dist/'))) {
  if (key.includes('*') ? !files.some((f) => pattern(key).test(f)) : !existsSync(join(root, key))) {
    console.error(`size budget names ${key}, which the build did not produce`);
    failed++;
  }
}
// Every locale's frame must be built and budgeted: a locale whose bundle is missing or escapes the
// pattern would ship unchecked.
for (const locale of FRAME_LOCALES) {
  const file = `dist/frame/cardvault-frame.${locale}.js`;
  if (!files.includes(file) || budgetOf(file) === undefined) {
    console.error(`frame locale ${locale}: ${file} is ${files.includes(file) ? 'not covered by a size budget' : 'missing from the build'}`);
    failed++;
  }
}
console.table(rows);
if (failed) {
  console.error(`size check: ${failed} file(s) over budget or missing`);
  process.exit(1);
}
console.log('size check: every budgeted file is within budget');
