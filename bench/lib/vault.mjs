// Starts the vault for the bench in its own process (bench/vault-child.mjs), on 127.0.0.1 and an
// ephemeral port, and gets a publishable test key from the vault's own seeding helper.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('../vault-child.mjs', import.meta.url));

/**
 * @param {{ root: string, store: 'pglite' | 'postgres', dataDir?: string, databaseUrl?: string, log: (s: string) => void }} o
 * @returns {Promise<{ url: string, publishableKey: string, describe: string, close(): Promise<void> }>}
 */
export function startVault({ root, store, dataDir, databaseUrl, log }) {
  // BENCH_VAULT_MODULE points at another vault build (for developing the harness); the report names it.
  const override = process.env.BENCH_VAULT_MODULE;
  // The built vault; failing that, its TypeScript source through tsx (said in the report).
  const built = join(root, 'dist-server', 'index.mjs');
  const source = join(root, 'server', 'src', 'index.ts');
  const fromSource = !override && !existsSync(built) && existsSync(source);
  const entry = override || (fromSource ? source : built);
  if (!existsSync(entry)) return Promise.reject(new Error('dist-server/index.mjs is not built and server/src/index.ts does not exist'));
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], {
      execArgv: fromSource ? ['--import', 'tsx'] : [],
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, BENCH_VAULT_ENTRY: entry, BENCH_VAULT_STORE: store, BENCH_VAULT_DATA_DIR: dataDir ?? '', BENCH_VAULT_DATABASE_URL: databaseUrl ?? '' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-4000);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the vault did not start in 60 s: ${stderr.trim().split('\n').pop() ?? ''}`));
    }, 60_000);
    const close = () =>
      new Promise((r) => {
        if (child.exitCode !== null || child.signalCode) return r();
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          r();
        });
        child.send({ type: 'close' });
      });
    child.on('message', (m) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        log(`vault (${store}) ready at ${m.url}, pid ${child.pid}`);
        resolve({ url: m.url, publishableKey: m.publishableKey, describe: override ? `${m.describe} — BENCH_VAULT_MODULE=${override}` : fromSource ? `${m.describe}, vault run from server/src via tsx (dist-server not built)` : m.describe, pid: child.pid, close });
      } else if (m.type === 'error') {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(m.error));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the vault exited (${code}) before it was ready: ${stderr.trim().split('\n').slice(-2).join(' ')}`));
    });
  });
}

/**
 * A PostgreSQL database for the bench: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local
 * test server. A fresh database (cardvault_bench_<time>) is created when the role may, and dropped
 * afterwards, so the bench never touches the test suite's data.
 */
export async function postgresTarget(log) {
  const base =
    process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://cardvault:cardvault@127.0.0.1:5432/cardvault_test';
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`PostgreSQL not reachable at ${redact(base)}: ${e.message}`);
  }
  const version = (await admin.query('show server_version')).rows[0].server_version;
  const name = `cardvault_bench_${Date.now().toString(36)}`;
  try {
    await admin.query(`create database ${name}`);
  } catch (e) {
    await admin.end();
    log(`PostgreSQL: cannot create a database (${e.message}); using ${redact(base)} as is`);
    return { url: base, describe: `PostgreSQL ${version}, existing database`, drop: async () => {} };
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  log(`PostgreSQL ${version}: fresh database ${name}`);
  return {
    url: url.toString(),
    describe: `PostgreSQL ${version} on 127.0.0.1, fresh database`,
    drop: async () => {
      try {
        await admin.query(`drop database if exists ${name} with (force)`);
      } catch (e) {
        log(`PostgreSQL: could not drop ${name}: ${e.message}`);
      } finally {
        await admin.end();
      }
    },
  };
}

const redact = (u) => u.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
