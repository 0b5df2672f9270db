/**
 * Token inserts on PostgreSQL share statements and commits under load (issue 12, throughput), and
 * each tokenization still gets exactly what its own statement would have told it: created, a replay
 * of its idempotency key, or "seal again" when a rotation made its data key inactive. A statement
 * that fails as a whole falls back to one statement per insert, so one bad row fails only itself.
 * The store runs over a Db that counts statements, on a fresh schema of the CI's PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaleDataKeyError } from '../../server/src/store/events';
import type { Db } from '../../server/src/store/db';
import { PgDb } from '../../server/src/store/pg-db';
import { SqlStore } from '../../server/src/store/sql-store';
import type { TokenRow } from '../../server/src/store/types';

const pgUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
if (!pgUrl) console.warn('\n*** token-batch: PostgreSQL suite NOT run: set TEST_DATABASE_URL. ***\n');

const TTL = 24 * 3_600_000;

/** Counts the token-writing statements that reach the database. */
function counting(db: Db): { db: Db; writes: () => number } {
  let writes = 0;
  const wrapped: Db = Object.create(db) as Db;
  wrapped.query = (text, params, name) => {
    if (/INSERT INTO tokens/.test(text)) writes++;
    return db.query(text, params, name);
  };
  return { db: wrapped, writes: () => writes };
}

describe.skipIf(!pgUrl)('token inserts batched on PostgreSQL', () => {
  const schema = `cv_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  let base: PgDb;
  let count: ReturnType<typeof counting>;
  let store: SqlStore;
  let key = 'dk_a';

  const token = (over: Partial<TokenRow> = {}): TokenRow => ({
    id: `tok_${randomBytes(12).toString('hex')}`,
    accountId: 'acct_batch',
    livemode: false,
    cardSealed: `v1.${key}.AA.AA`,
    dataKeyId: key,
    fingerprint: randomBytes(8).toString('hex'),
    brand: 'visa',
    last4: '4242',
    expMonth: 12,
    expYear: 2034,
    clientTokenId: null,
    createdAt: Date.now(),
    expiresAt: Date.now() + 600_000,
    usedAt: null,
    ...over,
  });
  const idem = (k: string, hash = 'h1', createdAt = Date.now()) => ({ key: k, requestHash: hash, staleBefore: createdAt - TTL });
  const tokensNamed = async (ids: string[]) =>
    (await base.query<{ id: string }>('SELECT id FROM tokens WHERE id = ANY($1::text[])', [ids])).map((r) => r.id);

  beforeAll(async () => {
    base = await PgDb.open({ connectionString: pgUrl!, schema, max: 10 });
    count = counting(base);
    store = new SqlStore(count.db, null);
    await store.migrate();
    await store.insertDataKey({ id: 'dk_a', wrapped: 'x', status: 'active', createdAt: Date.now(), retiredAt: null });
  }, 60_000);
  afterAll(async () => {
    await base?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await base?.close();
  });

  it('200 concurrent tokenizations: every one stored once, in far fewer statements', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => token({ fingerprint: `fp${i}` }));
    const before = count.writes();
    const results = await Promise.all(rows.map((t, i) => store.createToken({ token: t, ...(i % 2 === 0 ? { idempotency: idem(`k-${i}`) } : {}) })));
    const statements = count.writes() - before;
    console.log(`[token-batch] 200 concurrent inserts: ${statements} statements`);
    expect(results.every((r) => r.kind === 'created')).toBe(true);
    expect((await tokensNamed(rows.map((t) => t.id))).sort()).toEqual(rows.map((t) => t.id).sort());
    // One statement per insert before; the first goes alone and the rest wait in batches of up to 64.
    expect(statements).toBeLessThan(50);
  });

  it('one idempotency key sent many times at once: one token, the rest replay it', async () => {
    const now = Date.now();
    const rows = Array.from({ length: 30 }, () => token({ createdAt: now }));
    const results = await Promise.all(rows.map((t) => store.createToken({ token: t, idempotency: idem('same-key', 'h-same', now) })));
    const created = results.filter((r) => r.kind === 'created');
    expect(created).toHaveLength(1);
    const winner = rows[results.findIndex((r) => r.kind === 'created')]!.id;
    for (const r of results.filter((x) => x.kind === 'replay')) expect(r).toEqual({ kind: 'replay', requestHash: 'h-same', tokenId: winner });
    expect(await tokensNamed(rows.map((t) => t.id))).toEqual([winner]);
  });

  it('a key past its lifetime is taken over; a live one is replayed', async () => {
    const now = Date.now();
    await base.query('INSERT INTO idempotency_keys (account_id, idempotency_key, request_hash, token_id, created_at) VALUES ($1, $2, $3, $4, $5), ($1, $6, $3, $7, $8)', [
      'acct_batch', 'old-key', 'h-old', 'tok_gone', now - TTL - 1_000, 'live-key', 'tok_live', now - 1_000,
    ]);
    const filler = Array.from({ length: 20 }, () => token({ createdAt: now }));
    const old = token({ createdAt: now });
    const live = token({ createdAt: now });
    const results = await Promise.all([
      ...filler.map((t) => store.createToken({ token: t })),
      store.createToken({ token: old, idempotency: idem('old-key', 'h-new', now) }),
      store.createToken({ token: live, idempotency: idem('live-key', 'h-new', now) }),
    ]);
    expect(results.at(-2)).toEqual({ kind: 'created' });
    expect(results.at(-1)).toEqual({ kind: 'replay', requestHash: 'h-old', tokenId: 'tok_live' });
    expect(await tokensNamed([old.id, live.id])).toEqual([old.id]);
  });

  it('after a rotation, inserts under the old key write nothing and are told to seal again', async () => {
    await store.insertDataKey({ id: 'dk_b', wrapped: 'x', status: 'decrypt_only', createdAt: Date.now(), retiredAt: null });
    await store.activateDataKey('dk_b');
    const stale = Array.from({ length: 20 }, () => token({ dataKeyId: 'dk_a' }));
    key = 'dk_b';
    const fresh = Array.from({ length: 20 }, () => token());
    const results = await Promise.allSettled([...stale, ...fresh].map((t, i) => store.createToken({ token: t, ...(i % 3 === 0 ? { idempotency: idem(`rot-${i}`) } : {}) })));
    for (const r of results.slice(0, 20)) expect(r.status === 'rejected' && r.reason instanceof StaleDataKeyError).toBe(true);
    for (const r of results.slice(20)) expect(r).toEqual({ status: 'fulfilled', value: { kind: 'created' } });
    expect(await tokensNamed(stale.map((t) => t.id))).toEqual([]);
    expect((await tokensNamed(fresh.map((t) => t.id))).length).toBe(20);
    // The stale inserts' idempotency keys were not claimed: a retry under the new key creates.
    const retry = await store.createToken({ token: token(), idempotency: idem('rot-0') });
    expect(retry).toEqual({ kind: 'created' });
  });

  it('a row that fails its statement fails alone: the others in its batch are stored', async () => {
    const rows = Array.from({ length: 30 }, () => token());
    const twin = { ...rows[5]!, fingerprint: 'twin' };
    const results = await Promise.allSettled([...rows, twin].map((t) => store.createToken({ token: t })));
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(String((failed[0] as PromiseRejectedResult).reason)).toMatch(/duplicate key/);
    expect((await tokensNamed(rows.map((t) => t.id))).length).toBe(30);
  });
});
