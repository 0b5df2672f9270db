/**
 * The tokenization's abuse statement (`admit`) for several requests at once (PostgreSQL).
 *
 * Every tokenization records its card as seen by its IP, key and (IP, key), counts the cards new to
 * each, and looks up blocks: one database trip each. Under load those trips were half of the vault's
 * trips, and every one of them updated the same per-key count row. The batcher sends the first
 * request at once; requests that arrive while {@link MAX_IN_FLIGHT} statements are out wait and go
 * together in the next one. A lone request waits for nothing; a busy vault makes one trip for many.
 *
 * Each request gets exactly what its own statement would have given it: its bucket tokens in arrival
 * order, its cards new to a scope in arrival order (the count after ITS card, so the request that
 * crosses a limit is the one refused), and the live blocks on its own scopes.
 */
import type { AdmitInput } from './abuse';
import { bucketColumns, bucketsCte, type Ask } from './abuse-leases';
import type { Db } from './db';
import { num } from './db';

type Row = Record<string, unknown>;

/** Statements out at once per vault; more requests wait for the next one. */
const MAX_IN_FLIGHT = 2;
/** Requests per statement at most. */
const MAX_BATCH = 64;

// $1-$3 buckets (summed per name), $4 now for the buckets; $5 block scopes, $12 the earliest now
// for blocks; $6-$9 the (scope, ip, principal, fingerprint) pairs, deduplicated, in arrival order;
// $10 window; $11 tokens asked per bucket. Counts are upserted in scope order, so two vaults'
// statements never wait on each other's rows crosswise.
const ADMIT_BATCH = `
WITH ${bucketsCte('$11')},
x AS (SELECT * FROM unnest($6::text[], $7::text[], $8::text[], $9::text[]) WITH ORDINALITY AS x(scope, ip, principal, fp, ord)),
s AS (
  INSERT INTO abuse_seen (scope, fingerprint, win, ip, principal)
  SELECT scope, fp, $10::bigint, ip, principal FROM x ORDER BY scope, fp
  ON CONFLICT (scope, fingerprint, win) DO NOTHING
  RETURNING scope, fingerprint
),
agg AS (
  SELECT s.scope, min(x.ip) AS ip, min(x.principal) AS principal, count(*)::int AS k
  FROM s JOIN x ON x.scope = s.scope AND x.fp = s.fingerprint GROUP BY s.scope
),
c AS (
  INSERT INTO abuse_counts AS o (scope, kind, ip, principal, win, n)
  SELECT scope, 'cards', ip, principal, $10::bigint, k FROM agg ORDER BY scope
  ON CONFLICT (scope, kind) DO UPDATE SET n = CASE WHEN o.win >= EXCLUDED.win THEN o.n + EXCLUDED.n ELSE EXCLUDED.n END, win = GREATEST(o.win, EXCLUDED.win)
  RETURNING scope, ip, principal, n
)
SELECT 'bucket' AS t, name AS scope, ok, tokens, rate, granted, NULL::text AS ip, NULL::text AS principal, NULL::text AS fingerprint, 0 AS n, 0 AS k, NULL::text AS reason, 0 AS level, 0::bigint AS until, 0::bigint AS created_at FROM b
UNION ALL
SELECT 'seen', scope, false, 0, 0, 0, NULL, NULL, fingerprint, 0, 0, NULL, 0, 0, 0 FROM s
UNION ALL
SELECT 'count', c.scope, false, 0, 0, 0, c.ip, c.principal, NULL, c.n, agg.k, NULL, 0, 0, 0 FROM c JOIN agg ON agg.scope = c.scope
UNION ALL
SELECT 'block', scope, false, 0, 0, 0, ip, principal, NULL, 0, 0, reason, level, until, created_at FROM abuse_blocks WHERE scope = ANY($5::text[]) AND until > $12::bigint`;

interface Pending {
  input: AdmitInput;
  asks: Ask[];
  resolve: (rows: Row[]) => void;
  reject: (error: unknown) => void;
}

/** Batches the `admit` statements of one vault process (see the module comment). */
export class AdmitBatcher {
  private readonly queue: Pending[] = [];
  private inFlight = 0;

  constructor(private readonly db: Db) {}

  /** The rows `input`'s own statement would have returned (buckets asked as `asks`). */
  admit(input: AdmitInput, asks: Ask[]): Promise<Row[]> {
    return new Promise<Row[]>((resolve, reject) => {
      this.queue.push({ input, asks, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      // One window per statement: a request of the next window waits for the next statement.
      const win = this.queue[0]!.input.win;
      const batch: Pending[] = [];
      while (batch.length < MAX_BATCH && this.queue.length > 0 && this.queue[0]!.input.win === win) batch.push(this.queue.shift()!);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(batch: Pending[]): Promise<void> {
    let rows: Row[];
    try {
      rows = await this.db.query(ADMIT_BATCH, params(batch), 'abuse_admit_batch');
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    const answers = split(batch, rows);
    batch.forEach((p, i) => p.resolve(answers[i]!));
  }
}

function params(batch: readonly Pending[]): unknown[] {
  // One ask per bucket name, for what the whole batch asks of it.
  const asks = new Map<string, Ask>();
  for (const p of batch) {
    for (const a of p.asks) {
      const sum = asks.get(a.name);
      asks.set(a.name, sum === undefined ? { ...a } : { ...sum, want: sum.want + a.want });
    }
  }
  const [names, rates, bursts, wants] = bucketColumns([...asks.values()]);
  // A (scope, card) pair once: the first request to send it is the one it is new for.
  const pairs = new Map<string, { scope: string; ip: string | null; principal: string | null; fp: string }>();
  for (const p of batch) {
    for (const s of p.input.scopes) {
      const id = `${s.scope}\u0000${p.input.fingerprint}`;
      if (!pairs.has(id)) pairs.set(id, { scope: s.scope, ip: s.ip, principal: s.principal, fp: p.input.fingerprint });
    }
  }
  const seen = [...pairs.values()];
  const blockScopes = [...new Set(batch.flatMap((p) => p.input.blockScopes))];
  const nows = batch.map((p) => p.input.now);
  return [
    names,
    rates,
    bursts,
    Math.max(...nows),
    blockScopes,
    seen.map((x) => x.scope),
    seen.map((x) => x.ip),
    seen.map((x) => x.principal),
    seen.map((x) => x.fp),
    batch[0]!.input.win,
    wants,
    Math.min(...nows),
  ];
}

/** Gives each request of the batch its own rows, in arrival order. */
function split(batch: readonly Pending[], rows: readonly Row[]): Row[][] {
  const buckets = new Map<string, { row: Row; left: number }>();
  const fresh = new Set<string>();
  const counts = new Map<string, { row: Row; next: number }>();
  const blocks: Row[] = [];
  for (const r of rows) {
    if (r.t === 'bucket') buckets.set(String(r.scope), { row: r, left: num(r.granted) });
    else if (r.t === 'seen') fresh.add(`${String(r.scope)}\u0000${String(r.fingerprint)}`);
    // The count before this batch's cards: each new card adds one, in arrival order.
    else if (r.t === 'count') counts.set(String(r.scope), { row: r, next: num(r.n) - num(r.k) + 1 });
    else blocks.push(r);
  }
  return batch.map((p) => {
    const out: Row[] = [];
    for (const a of p.asks) {
      const b = buckets.get(a.name);
      if (b === undefined) continue;
      const got = Math.min(a.want, b.left);
      b.left -= got;
      out.push({ ...b.row, ok: got >= 1, granted: got });
    }
    for (const s of p.input.scopes) {
      const id = `${s.scope}\u0000${p.input.fingerprint}`;
      if (!fresh.delete(id)) continue;
      const c = counts.get(s.scope);
      if (c !== undefined) out.push({ ...c.row, n: c.next++ });
    }
    const mine = new Set(p.input.blockScopes);
    for (const b of blocks) if (mine.has(String(b.scope)) && num(b.until) > p.input.now) out.push(b);
    return out;
  });
}
