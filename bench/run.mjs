#!/usr/bin/env node
// npm run bench: measures Cardvault against its peers in one run on this machine and writes
// bench/results.md and bench/results.json. Never part of the tests. Needs `npm run build` first.
// Every section is bounded in count and time; a section that cannot run is written as
// "not measured: <reason>" — figures are never invented or carried over from another run.
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSizes } from './sizes.mjs';
import { runValidation } from './validation.mjs';
import { runBrowser } from './browser.mjs';
import { runThroughput } from './vault-throughput.mjs';
import { startVault, postgresTarget } from './lib/vault.mjs';
import { renderMarkdown } from './lib/report.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const benchDir = fileURLToPath(new URL('.', import.meta.url));
const t0 = Date.now();
/** Hard budget for the whole run (the issue asks for < 10 minutes on 2 cores). */
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS) || 9 * 60_000;
const deadline = t0 + BUDGET_MS;
const quick = process.env.BENCH_QUICK === '1';
const log = (s) => process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${s}\n`);
const tmp = mkdtempSync(join(tmpdir(), 'cardvault-bench-'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const results = {
  meta: {
    version: pkg.version,
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    quick,
    vaultOverride: process.env.BENCH_VAULT_MODULE || undefined,
  },
};

/** Runs a section; a failure becomes { measured: false, reason } instead of a figure. */
async function section(name, fn) {
  const s = Date.now();
  log(`${name}: start`);
  try {
    const r = await fn();
    results[name] = { measured: true, ...r, seconds: (Date.now() - s) / 1000 };
    log(`${name}: done in ${((Date.now() - s) / 1000).toFixed(1)} s`);
  } catch (e) {
    const reason = String(e?.message ?? e).split('\n')[0].slice(0, 300);
    results[name] = { measured: false, reason, seconds: (Date.now() - s) / 1000 };
    log(`${name}: not measured: ${reason}`);
    if (process.env.BENCH_DEBUG) console.error(e);
  }
}

const vaults = [];
try {
  await section('validation', () =>
    runValidation({ root, count: 100_000, rounds: quick ? 3 : 9, budgetMs: 90_000 }),
  );
  await section('sizes', () => runSizes({ root, tmp: join(tmp, 'sizes') }));

  // One PGlite vault serves the browser section and then the PGlite throughput runs.
  let pglite = null;
  let pgliteError = null;
  try {
    log('vault (PGlite): starting');
    pglite = await startVault({ root, store: 'pglite', dataDir: join(tmp, 'pglite'), log });
    vaults.push(pglite);
  } catch (e) {
    pgliteError = String(e?.message ?? e).split('\n')[0].slice(0, 300);
    log(`vault (PGlite) unavailable: ${pgliteError}`);
  }

  await section('browser', async () => {
    return runBrowser({
      root,
      vault: pglite,
      vaultMissing: pgliteError,
      deadline: Math.min(deadline - 150_000, Date.now() + 180_000),
      mountRuns: quick ? 10 : 30,
      tokenRuns: quick ? 20 : 50,
      log,
    });
  });

  const levels = [1, 8, 32];
  const tp = { runs: quick ? 1 : 3, durationMs: quick ? 2000 : 3000, warmupMs: 1000 };
  await section('vaultPglite', async () => {
    if (!pglite) throw new Error(`the vault did not start: ${pgliteError}`);
    return { store: pglite.describe, ...(await runThroughput({ vault: pglite, levels, ...tp, deadline, log })) };
  });
  if (pglite) {
    await pglite.close();
    vaults.splice(vaults.indexOf(pglite), 1);
  }

  await section('vaultPostgres', async () => {
    const target = await postgresTarget(log);
    try {
      const pg = await startVault({ root, store: 'postgres', databaseUrl: target.url, log });
      vaults.push(pg);
      try {
        return { store: `${pg.describe} (${target.describe})`, ...(await runThroughput({ vault: pg, levels, ...tp, deadline, log })) };
      } finally {
        await pg.close();
        vaults.splice(vaults.indexOf(pg), 1);
      }
    } finally {
      await target.drop();
    }
  });
} finally {
  for (const v of vaults) await v.close().catch(() => {});
  rmSync(tmp, { recursive: true, force: true });
}

results.meta.totalSeconds = (Date.now() - t0) / 1000;
writeFileSync(join(benchDir, 'results.json'), `${JSON.stringify(results, (k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
writeFileSync(join(benchDir, 'results.md'), renderMarkdown(results));
log(`wrote bench/results.md and bench/results.json in ${results.meta.totalSeconds.toFixed(0)} s`);
// Child processes are closed above; exit explicitly in case a library left a handle open.
process.exit(0);
