import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Db, Row } from './db';

/** Wraps one PGlite instance. PGlite is single-connection: it serialises queries itself. */
export class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  readonly scope = 'pglite';
  /** Locks held in this process: PGlite has one process (the data dir's lock file sees to that). */
  private readonly held: Set<string>;

  constructor(
    private readonly pg: PGlite | Transaction,
    held?: Set<string>,
  ) {
    this.held = held ?? new Set();
  }

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
    return this.pg.transaction((tx) => fn(new PgliteDb(tx, this.held)));
  }

  async exclusive<R>(name: string, fn: () => Promise<R>): Promise<{ held: true; value: R } | { held: false }> {
    if (this.held.has(name)) return { held: false };
    this.held.add(name);
    try {
      return { held: true, value: await fn() };
    } finally {
      this.held.delete(name);
    }
  }

  // One process owns a PGlite database: the admin channel runs every change inside the serving
  // vault, which updates its own caches; there is nobody else to tell.
  async listen(): Promise<() => Promise<void>> {
    return async () => {};
  }

  async notify(): Promise<void> {}

  async close(): Promise<void> {
    if (this.pg instanceof PGlite && !this.pg.closed) await this.pg.close();
  }
}
