/**
 * Start-up checks that run before the store is opened (PGlite takes seconds to open; a silent
 * database server would take forever): each failure is one {@link StartupError} line naming what
 * to fix, within a few seconds.
 */
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { resolveKek } from '../crypto/kek';
import { StartupError, type ServeConfig } from './serve-config';

/** How long the first connection to DATABASE_URL may take (TCP, TLS and start-up handshake). */
export const DB_CONNECT_TIMEOUT_MS = 2_000;

/** A non-secret identifier of a KEK, kept beside a PGlite database to recognise a wrong key at once. */
const KEK_ID_FILE = 'kek.id';

function code(error: unknown): string {
  const c = (error as { code?: unknown }).code;
  return typeof c === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(c) ? c : 'error';
}

/** The data directory exists (or is created), is a directory, and takes a file. */
export function checkDataDir(config: ServeConfig): void {
  if (config.dataDir === 'memory://') return;
  const dir = resolve(config.dataDir);
  const name = `${config.dataDirSetting} (${dir})`;
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
    if (!isDir) throw new StartupError(`${name} is a file, not a directory.`);
  } catch (error) {
    if (error instanceof StartupError) throw error;
    if (code(error) !== 'ENOENT') throw new StartupError(`${name} cannot be read (${code(error)}).`);
  }
  if (!isDir) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new StartupError(`${name} cannot be created (${code(error)}).`);
    }
  }
  // A real write, not access(2): root passes every permission check but not a read-only mount.
  const probe = join(dir, `.write-test-${process.pid}`);
  try {
    writeFileSync(probe, '', { mode: 0o600 });
    rmSync(probe, { force: true });
  } catch (error) {
    throw new StartupError(`${name} is not writable (${code(error)}).`);
  }
}

function kekSetting(env: NodeJS.ProcessEnv, dir: string | null): string {
  if (env.CARDVAULT_KEK) return 'CARDVAULT_KEK';
  if (env.CARDVAULT_KEK_FILE) return `CARDVAULT_KEK_FILE (${env.CARDVAULT_KEK_FILE})`;
  return dir === null ? 'the key-encryption key' : `the key file ${join(dir, 'kek')}`;
}

function kekId(bytes: Uint8Array): string {
  return createHmac('sha256', bytes).update('cardvault:kek-id:v1').digest('hex').slice(0, 32);
}

/**
 * Checks the key-encryption key before the database is opened: well formed, readable, present when
 * a database already exists (a new key would be generated and match nothing), and, on PGlite, the
 * key this data directory was created with (its `kek.id`).
 */
export function checkKek(config: ServeConfig, env: NodeJS.ProcessEnv): void {
  const dir = config.dataDir === 'memory://' ? null : resolve(config.dataDir);
  if (env.CARDVAULT_KEK_FILE && !env.CARDVAULT_KEK) {
    try {
      readFileSync(env.CARDVAULT_KEK_FILE);
    } catch (error) {
      throw new StartupError(`CARDVAULT_KEK_FILE (${env.CARDVAULT_KEK_FILE}) cannot be read (${code(error)}).`);
    }
  }
  if (env.CARDVAULT_KEK || env.CARDVAULT_KEK_FILE) {
    try {
      resolveKek(env, null); // well formed: base64 of 32 bytes (the message names the variable)
    } catch (error) {
      throw new StartupError((error as Error).message);
    }
  }
  if (dir === null) return;
  const pglite = config.databaseUrl === undefined;
  const hasDatabase = pglite && (existsSync(join(dir, 'pgdata')) || existsSync(join(dir, KEK_ID_FILE)));
  if (!env.CARDVAULT_KEK && !env.CARDVAULT_KEK_FILE && hasDatabase && !existsSync(join(dir, 'kek'))) {
    throw new StartupError(
      `No key-encryption key: ${join(dir, 'kek')} is missing but ${dir} holds a database. Restore that file, or set CARDVAULT_KEK or CARDVAULT_KEK_FILE.`,
    );
  }
  if (!pglite || !hasDatabase) return;
  let bytes: Uint8Array;
  try {
    bytes = resolveKek(env, dir).bytes;
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
  const idPath = join(dir, KEK_ID_FILE);
  if (existsSync(idPath) && readFileSync(idPath, 'utf8').trim() !== kekId(bytes)) {
    throw new StartupError(`${kekSetting(env, dir)} is not the key-encryption key ${dir} was created with.`);
  }
}

/** After the KEK opened a PGlite data directory: remembers which KEK that is (see checkKek). */
export function rememberKek(dataDir: string, env: NodeJS.ProcessEnv): void {
  if (dataDir === 'memory://') return;
  const dir = resolve(dataDir);
  const idPath = join(dir, KEK_ID_FILE);
  if (existsSync(idPath)) return;
  writeFileSync(idPath, `${kekId(resolveKek(env, dir).bytes)}\n`, { mode: 0o600 });
}

/** The port can be bound (nothing else listens on it), checked before the slow store opening. */
export async function checkPort(config: ServeConfig): Promise<void> {
  if (config.port === 0) return;
  const probe = createServer();
  await new Promise<void>((done, fail) => {
    probe.once('error', (error) => {
      const c = code(error);
      const why = c === 'EADDRINUSE' ? 'is already in use' : c === 'EACCES' ? 'needs privileges to bind' : `cannot be bound (${c})`;
      const setting = c === 'EADDRNOTAVAIL' || c === 'ENOTFOUND' ? '--host' : config.portSetting;
      fail(new StartupError(`${setting}: ${config.host}:${config.port} ${why}.`));
    });
    probe.listen(config.port, config.host, () => probe.close(() => done()));
  });
}

/** DATABASE_URL answers within {@link DB_CONNECT_TIMEOUT_MS}; and, when it holds data keys, a KEK is set. */
export async function checkDatabase(config: ServeConfig, env: NodeJS.ProcessEnv): Promise<void> {
  if (config.databaseUrl === undefined) return;
  const url = new URL(config.databaseUrl);
  const where = `${url.hostname || 'localhost'}:${url.port || '5432'}`;
  const client = new pg.Client({
    connectionString: config.databaseUrl,
    connectionTimeoutMillis: DB_CONNECT_TIMEOUT_MS,
    query_timeout: DB_CONNECT_TIMEOUT_MS,
  });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    const c = code(error);
    const message = (error as Error).message ?? '';
    if (/timeout/i.test(message)) throw new StartupError(`DATABASE_URL: ${where} did not complete a connection within ${DB_CONNECT_TIMEOUT_MS / 1000} s.`);
    if (c === 'ENOTFOUND' || c === 'EAI_AGAIN') throw new StartupError(`DATABASE_URL: the host ${url.hostname} was not found (${c}).`);
    if (c === '28P01' || c === '28000') throw new StartupError(`DATABASE_URL: ${where} refused the user name or password (${c}).`);
    if (c === '3D000') throw new StartupError(`DATABASE_URL: the database ${url.pathname.slice(1)} does not exist (${c}).`);
    throw new StartupError(`DATABASE_URL: cannot connect to ${where} (${c}).`);
  }
  try {
    let keys = 0;
    try {
      keys = Number((await client.query('SELECT count(*) AS n FROM data_keys')).rows[0]?.n ?? 0);
    } catch (error) {
      if (code(error) !== '42P01') throw error; // no table yet: a new database
    }
    const dir = config.dataDir === 'memory://' ? null : resolve(config.dataDir);
    if (keys > 0 && !env.CARDVAULT_KEK && !env.CARDVAULT_KEK_FILE && (dir === null || !existsSync(join(dir, 'kek')))) {
      throw new StartupError(
        `No key-encryption key: the database at DATABASE_URL holds data keys, but neither CARDVAULT_KEK nor CARDVAULT_KEK_FILE is set${dir === null ? '' : ` and ${join(dir, 'kek')} is missing`}.`,
      );
    }
  } catch (error) {
    if (error instanceof StartupError) throw error;
    throw new StartupError(`DATABASE_URL: ${where} did not answer a query (${code(error)}).`);
  } finally {
    await client.end().catch(() => {});
  }
}
