import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PgDb } from './pg-db';
import { PgliteDb } from './pglite-db';
import { SqlStore } from './sql-store';

export interface OpenStoreOptions {
  /** PostgreSQL connection string; when set, PGlite is not used. */
  databaseUrl?: string;
  /** With `databaseUrl`: a schema to create and use (tests use a fresh one per run). Default: env CARDVAULT_PG_SCHEMA, else the search_path's. */
  schema?: string;
  /** PGlite data directory, or `memory://` for an in-memory database (tests). Default `./.data/vault`. */
  dataDir?: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

/**
 * Opens the vault's storage and applies pending migrations.
 *
 * @example
 * const store = await openStore({ dataDir: 'memory://' });          // tests
 * const store = await openStore({ databaseUrl: process.env.DATABASE_URL }); // PostgreSQL
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<SqlStore> {
  let store: SqlStore;
  if (options.databaseUrl) {
    // CARDVAULT_PG_SCHEMA: one schema of a shared database (several vault processes on one schema
    // behave as one vault; the tests give each run its own).
    const schema = options.schema ?? (process.env.CARDVAULT_PG_SCHEMA || undefined);
    const db = await PgDb.open({
      connectionString: options.databaseUrl,
      ...(schema !== undefined ? { schema } : {}),
      ...(options.poolSize !== undefined ? { max: options.poolSize } : {}),
    });
    // The data dir still holds the generated KEK file when no CARDVAULT_KEK is set.
    const dir = options.dataDir && options.dataDir !== 'memory://' ? resolve(options.dataDir) : null;
    if (dir !== null) mkdirSync(dir, { recursive: true, mode: 0o700 });
    store = new SqlStore(db, dir);
  } else {
    const dir = options.dataDir ?? './.data/vault';
    if (dir === 'memory://') {
      store = new SqlStore(await PgliteDb.open('memory://'), null);
    } else {
      const abs = resolve(dir);
      mkdirSync(abs, { recursive: true, mode: 0o700 });
      const release = lockDataDir(abs);
      try {
        store = new SqlStore(await PgliteDb.open(`${abs}/pgdata`), abs, async () => release());
      } catch (error) {
        release();
        throw error;
      }
    }
  }
  await store.migrate();
  return store;
}

/**
 * PGlite is one process's database: a second process opening the same directory would corrupt it.
 * A pid lock file refuses that; a lock left by a dead process (a crash) is taken over.
 */
function lockDataDir(dir: string): () => void {
  const path = join(dir, 'vault.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => rmSync(path, { force: true });
    } catch {
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (pid === process.pid) break;
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new Error(
          `The data directory ${dir} is in use by process ${pid} (a running vault?). Stop it first, or administer the running vault over its HTTP API.`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  // Opened twice in this process (tests): no extra lock to release.
  return () => {};
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
