import pg from 'pg';
import type { Db, Row } from './db';

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
    else await pool.query('SELECT 1');
    return new PgDb(pool, pool);
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
      const out = await fn(new PgDb(client, null));
      await client.query('COMMIT');
      return out;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.pool !== null) await this.pool.end();
  }
}
