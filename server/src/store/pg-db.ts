import pg from 'pg';
import type { Db, Row } from './db';
import { listenPg } from './pg-listener';

export interface PgDbOptions {
  connectionString: string;
  /** A schema to use as search_path (tests use a fresh one per run). */
  schema?: string;
  max?: number;
}

type Queryable = pg.Pool | pg.PoolClient;

/** PostgreSQL (and Postgres-wire engines) through the `pg` driver's pool. */
export class PgDb implements Db {
  readonly kind = 'postgres' as const;
  private constructor(
    private readonly q: Queryable,
    private readonly pool: pg.Pool | null,
    private readonly config: pg.PoolConfig,
    readonly scope: string,
  ) {}

  static async open(options: PgDbOptions): Promise<PgDb> {
    const config: pg.PoolConfig = { connectionString: options.connectionString, max: options.max ?? 10 };
    if (options.schema !== undefined) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new Error('Invalid schema name.');
      config.options = `-c search_path=${options.schema}`;
    }
    const pool = new pg.Pool(config);
    // An idle client losing its server must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    if (options.schema !== undefined) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
    const rows = await pool.query<{ s: string | null }>('SELECT current_schema() AS s');
    return new PgDb(pool, pool, config, options.schema ?? rows.rows[0]?.s ?? 'public');
  }

  async query<T = Row>(text: string, params: readonly unknown[] = [], name?: string): Promise<T[]> {
    const config: pg.QueryConfig = { text, values: params as unknown[] };
    if (name !== undefined) config.name = name;
    const result = await this.q.query(config);
    return result.rows as T[];
  }

  async transaction<R>(fn: (tx: Db) => Promise<R>): Promise<R> {
    if (this.pool === null) return fn(this);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(new PgDb(client, null, this.config, this.scope));
      await client.query('COMMIT');
      return out;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async exclusive<R>(name: string, fn: () => Promise<R>): Promise<{ held: true; value: R } | { held: false }> {
    // A connection of its own (not the pool's): a session advisory lock lives exactly as long as the
    // session, so a killed holder frees it and the pool's connections never carry it by mistake.
    // Keyed by the scope (schema): test schemas sharing one database never block each other.
    const client = new pg.Client(this.config);
    client.on('error', () => {});
    await client.connect();
    try {
      const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok', [name, this.scope]);
      if (got.rows[0]?.ok !== true) return { held: false };
      return { held: true, value: await fn() };
    } finally {
      await client.end().catch(() => {});
    }
  }

  listen(channel: string, handlers: { message(payload: string): void; reset(): void }): Promise<() => Promise<void>> {
    const { max: _max, ...clientConfig } = this.config;
    return listenPg(clientConfig, channel, handlers);
  }

  async notify(channel: string, payload: string): Promise<void> {
    await this.q.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  async close(): Promise<void> {
    if (this.pool !== null) await this.pool.end();
  }
}
