/**
 * The minimal SQL surface the store needs, implemented by PGlite (embedded) and `pg` (a server).
 * Everything above this file is written once, in portable SQL.
 */
export interface Db {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs one statement. `name` makes it a prepared statement on drivers that support it (pg),
   * so the hot path parses and plans its SQL once per connection.
   */
  query<T = Row>(text: string, params?: readonly unknown[], name?: string): Promise<T[]>;
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<R>(fn: (tx: Db) => Promise<R>): Promise<R>;
  close(): Promise<void>;
  /**
   * What one database is to the vault: the PostgreSQL schema (several vaults' schemas may share a
   * database), or `pglite`. Database-wide names (advisory locks, NOTIFY channels) derive from it.
   */
  readonly scope: string;
  /**
   * Runs `fn` holding the lock `name` for this scope, or resolves `{ held: false }` at once when
   * another session holds it. On PostgreSQL a session advisory lock on a dedicated connection: it
   * dies with its holder (a SIGKILLed process frees it), so nothing is left to clean up.
   */
  exclusive<R>(name: string, fn: () => Promise<R>): Promise<{ held: true; value: R } | { held: false }>;
  /** Subscribes to this scope's notifications (see store/events.ts); resolves an unsubscribe. */
  listen(channel: string, handlers: { message(payload: string): void; reset(): void }): Promise<() => Promise<void>>;
  /** Sends a notification to every process listening on `channel` (after the current statement). */
  notify(channel: string, payload: string): Promise<void>;
}

export type Row = Record<string, unknown>;

/** Drivers disagree on bigint (pg: string, PGlite: number); rows go through these. */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

export function strOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
