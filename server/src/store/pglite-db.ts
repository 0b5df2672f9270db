import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Db, Row } from './db';

/** Wraps one PGlite instance. PGlite is single-connection: it serialises queries itself. */
export class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  constructor(private readonly pg: PGlite | Transaction) {}

  static async open(dataDir: string): Promise<PgliteDb> {
    // PGlite writes through to the data dir on every commit, so a SIGKILL loses nothing that returned.
    return new PgliteDb(await PGlite.create(dataDir));
  }

  async query<T = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.pg.query<T>(text, params as unknown[]);
    return result.rows;
  }

  async transaction<R>(fn: (tx: Db) => Promise<R>): Promise<R> {
    if (!(this.pg instanceof PGlite)) return fn(this);
    return this.pg.transaction((tx) => fn(new PgliteDb(tx)));
  }

  async close(): Promise<void> {
    if (this.pg instanceof PGlite && !this.pg.closed) await this.pg.close();
  }
}
