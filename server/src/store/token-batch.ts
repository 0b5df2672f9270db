/**
 * Token inserts for several tokenizations at once (PostgreSQL).
 *
 * A tokenization's insert was its own statement: its own socket write, transaction and WAL flush.
 * Under load the vault's one thread spent about a fifth of its time writing statements to
 * PostgreSQL, and that thread is what limits its tokens/s (decision 0011). The batcher sends the
 * first insert at once; inserts that arrive while {@link MAX_IN_FLIGHT} statements
 * are out wait and go together in the next one: one statement, one commit, for many tokens.
 *
 * Each insert gets what its own statement would have told it: created, a replay of its idempotency
 * key, or that its data key is no longer active (the caller seals again). Two inserts with one
 * idempotency key never share a statement (the second waits for the next), and if a statement fails
 * as a whole (it wrote nothing), each of its inserts runs alone, so one bad row fails only itself.
 */
import type { Db } from './db';
import { num } from './db';
import type { TokenRow } from './types';

type Row = Record<string, unknown>;

/** Statements out at once per vault; more inserts wait for the next one. */
const MAX_IN_FLIGHT = 2;
/** Inserts per statement at most. */
const MAX_BATCH = 64;

/** One insert: the token, and its idempotency key (with `ttl` = created_at minus the stale bound). */
export interface BatchedInsert {
  token: TokenRow;
  idempotency?: { key: string; requestHash: string; ttl: number };
}

/** What an insert's own statement would have told it. */
export type BatchedOutcome = 'created' | 'replay' | 'stale_key';

// The ACTIVE_KEY rule of sql-store.ts for many rows: every data key the batch writes under is
// share-locked as active in the statement that writes, and rows under a key that is not active
// write nothing. $1-$13 the token columns, $14-$15 the idempotency key and request hash (NULL for
// none), $16 the idempotency records' lifetime. Idempotency records are written in key order, so two
// vaults' statements never wait on each other's records crosswise.
const INSERT_TOKENS_BATCH = `
WITH x AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
    $9::integer[], $10::integer[], $11::text[], $12::bigint[], $13::bigint[], $14::text[], $15::text[])
  WITH ORDINALITY AS x(id, account_id, livemode, card_sealed, data_key_id, fingerprint, brand, last4, exp_month, exp_year,
    client_token_id, created_at, expires_at, idem_key, request_hash, ord)
),
k AS (SELECT id FROM data_keys WHERE id IN (SELECT DISTINCT data_key_id FROM x) AND status = 'active' FOR SHARE),
idem AS (
  INSERT INTO idempotency_keys AS o (account_id, idempotency_key, request_hash, token_id, created_at)
  SELECT account_id, idem_key, request_hash, id, created_at FROM x
  WHERE idem_key IS NOT NULL AND data_key_id IN (SELECT id FROM k) ORDER BY account_id, idem_key
  ON CONFLICT (account_id, idempotency_key) DO UPDATE
    SET request_hash = EXCLUDED.request_hash, token_id = EXCLUDED.token_id, created_at = EXCLUDED.created_at
    WHERE o.created_at < EXCLUDED.created_at - $16::bigint
  RETURNING token_id
),
ins AS (
  INSERT INTO tokens (id, account_id, livemode, card_sealed, data_key_id, fingerprint, brand, last4, exp_month, exp_year, client_token_id, created_at, expires_at)
  SELECT id, account_id, livemode, card_sealed, data_key_id, fingerprint, brand, last4, exp_month, exp_year, client_token_id, created_at, expires_at
  FROM x WHERE data_key_id IN (SELECT id FROM k) AND (idem_key IS NULL OR id IN (SELECT token_id FROM idem))
  RETURNING id
)
SELECT x.ord, x.data_key_id IN (SELECT id FROM k) AS key_ok, x.id IN (SELECT id FROM ins) AS inserted FROM x`;

interface Pending {
  insert: BatchedInsert;
  resolve: (outcome: BatchedOutcome) => void;
  reject: (error: unknown) => void;
}

/** Batches one vault process's token inserts (see the module comment). */
export class TokenInsertBatcher {
  private readonly queue: Pending[] = [];
  private inFlight = 0;

  /** `alone` runs one insert as its own statement (the path a failed batch falls back to). */
  constructor(
    private readonly db: Db,
    private readonly alone: (insert: BatchedInsert) => Promise<BatchedOutcome>,
  ) {}

  insert(insert: BatchedInsert): Promise<BatchedOutcome> {
    return new Promise<BatchedOutcome>((resolve, reject) => {
      this.queue.push({ insert, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** The next statement's inserts: in arrival order, one lifetime, each idempotency key once. */
  private take(): Pending[] {
    const batch: Pending[] = [];
    const keys = new Set<string>();
    let ttl: number | undefined;
    for (let i = 0; i < this.queue.length && batch.length < MAX_BATCH; ) {
      const { token, idempotency } = this.queue[i]!.insert;
      if (idempotency !== undefined) {
        const id = `${token.accountId}\u0000${idempotency.key}`;
        if (keys.has(id) || (ttl !== undefined && idempotency.ttl !== ttl)) {
          i++;
          continue;
        }
        keys.add(id);
        ttl = idempotency.ttl;
      }
      batch.push(...this.queue.splice(i, 1));
    }
    return batch;
  }

  private async run(batch: Pending[]): Promise<void> {
    if (batch.length === 1) return settle(batch[0]!, this.alone(batch[0]!.insert));
    let rows: Row[];
    try {
      rows = await this.db.query(INSERT_TOKENS_BATCH, params(batch), 'token_insert_batch');
    } catch {
      // The statement wrote nothing: each insert runs alone and meets its own error, if any.
      await Promise.all(batch.map((p) => settle(p, this.alone(p.insert))));
      return;
    }
    for (const r of rows) {
      const p = batch[num(r.ord) - 1]!;
      if (r.key_ok !== true) p.resolve('stale_key');
      else if (r.inserted === true) p.resolve('created');
      else if (p.insert.idempotency !== undefined) p.resolve('replay');
      else p.reject(new Error('Token insert wrote nothing.'));
    }
  }
}

async function settle(p: Pending, outcome: Promise<BatchedOutcome>): Promise<void> {
  try {
    p.resolve(await outcome);
  } catch (error) {
    p.reject(error);
  }
}

/** A token's parameters in the tokens table's column order ($1-$13 of every token insert). */
export function tokenParams(t: TokenRow): unknown[] {
  return [
    t.id,
    t.accountId,
    t.livemode,
    t.cardSealed,
    t.dataKeyId,
    t.fingerprint,
    t.brand,
    t.last4,
    t.expMonth,
    t.expYear,
    t.clientTokenId,
    t.createdAt,
    t.expiresAt,
  ];
}

function params(batch: readonly Pending[]): unknown[] {
  // One array per column ($1-$15), each in the batch's order.
  const rows = batch.map(({ insert: { token, idempotency } }) => [...tokenParams(token), idempotency?.key ?? null, idempotency?.requestHash ?? null]);
  const columns = rows[0]!.map((_, c) => rows.map((r) => r[c]));
  return [...columns, batch.find((p) => p.insert.idempotency !== undefined)?.insert.idempotency?.ttl ?? 0];
}
