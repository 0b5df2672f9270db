/**
 * Storage for the abuse controls (rate buckets, distinct-card and failure counters, blocks).
 *
 * Two implementations of one interface:
 * - {@link MemoryAbuseStore}: this process's memory. Enough for PGlite, which is one process.
 * - {@link SqlAbuseStore}: tables in the database (migration 5), so N vault processes on one
 *   PostgreSQL enforce what one does. Each call is at most ONE statement (one round trip); the
 *   counters are UNLOGGED tables (no WAL, no fsync per request: a database crash forgets them, which
 *   only resets the windows), the blocks an ordinary table. A busy vault takes bucket tokens a lease
 *   at a time (abuse-leases.ts) and sends concurrent tokenizations' statements together
 *   (abuse-batch.ts): under load, a fraction of a trip per request.
 *
 * No card data is ever stored here: cards appear only as the account-keyed HMAC fingerprint.
 * Counters use fixed windows (`win` = floor(now / window)); the policy lives in ../abuse.ts.
 */
import type { Db } from './db';
import { AdmitBatcher } from './abuse-batch';
import { bucketColumns, bucketsCte, Leases } from './abuse-leases';
import { num, strOrNull } from './db';

/** A counter or block subject: `ip:…`, `key:…`, `ipkey:… …` or `card:…`, with its parts for listing. */
export interface Scope {
  scope: string;
  ip: string | null;
  /** The publishable key id or `ct:<client token id>`. */
  principal: string | null;
}

export interface BucketSpec {
  name: string;
  /** Tokens per second. */
  rate: number;
  burst: number;
}

export interface BlockRow {
  scope: string;
  ip: string | null;
  principal: string | null;
  reason: string;
  /** 1 for a first block; +1 each time it is imposed again soon after the previous one ended. */
  level: number;
  until: number;
  createdAt: number;
}

export interface GateResult {
  /** Seconds to wait for the emptiest bucket, or 0. */
  bucketWait: number;
  /** The live block (among the scopes asked) that ends last, if any. */
  block: BlockRow | null;
}

export interface Count {
  scope: string;
  ip: string | null;
  principal: string | null;
  n: number;
}

export interface AdmitInput {
  buckets: readonly BucketSpec[];
  blockScopes: readonly string[];
  scopes: readonly Scope[];
  fingerprint: string;
  win: number;
  now: number;
}

export interface BlockInput {
  scope: Scope;
  reason: string;
  now: number;
  baseMs: number;
  maxMs: number;
  /** A block imposed within this long after the previous one ended doubles it. */
  memoryMs: number;
}

export interface AbuseStore {
  /** Takes one token from each bucket and finds the live block among `scopes`: one round trip. */
  gate(buckets: readonly BucketSpec[], scopes: readonly string[], now: number): Promise<GateResult>;
  /**
   * A tokenization, once its card is fingerprinted, in one round trip: takes one token from each
   * bucket, records that `scopes` tokenized `fingerprint` in window `win`, and returns the
   * distinct-card count of each scope for which the card was new in the window and the live block
   * among `blockScopes` that ends last.
   */
  admit(input: AdmitInput): Promise<GateResult & { counts: Count[] }>;
  /**
   * Counts one failure on each scope and, with `fingerprint`, on every scope that tokenized that card
   * in the window (a decline is reported by the merchant's server, not by the browser that sent the
   * card). Returns the new counts.
   */
  addFailure(scopes: readonly Scope[], win: number, fingerprint?: string): Promise<Count[]>;
  /** Imposes (or escalates) a block; an existing live block is left as it is. */
  block(input: BlockInput): Promise<BlockRow>;
  listBlocks(now: number): Promise<BlockRow[]>;
  /** Deletes the blocks (and resets the counters) of an IP, a key, both, or all; returns blocks deleted. */
  clear(filter: { ip?: string; principal?: string }): Promise<number>;
  /** Forgets full buckets, ended windows and blocks past their memory. */
  purge(now: number, win: number, memoryMs: number): Promise<void>;
}

function escalate(prev: BlockRow | undefined, b: BlockInput): BlockRow {
  if (prev && prev.until > b.now) return prev;
  const again = prev !== undefined && prev.until > b.now - b.memoryMs;
  const level = again ? prev.level + 1 : 1;
  const ms = Math.min(b.maxMs, b.baseMs * 2 ** (level - 1));
  return { scope: b.scope.scope, ip: b.scope.ip, principal: b.scope.principal, reason: b.reason, level, until: b.now + ms, createdAt: b.now };
}

const MAX_ENTRIES = 100_000;

/** One process's abuse state (PGlite, tests). Bounded: an IP-spraying client cannot grow it forever. */
export class MemoryAbuseStore implements AbuseStore {
  private readonly buckets = new Map<string, { tokens: number; at: number; rate: number; burst: number }>();
  private readonly seen = new Map<string, { win: number; scope: Scope }>();
  private readonly counts = new Map<string, Count & { win: number }>();
  private readonly blocks = new Map<string, BlockRow>();

  async gate(buckets: readonly BucketSpec[], scopes: readonly string[], now: number): Promise<GateResult> {
    let wait = 0;
    for (const spec of buckets) {
      let b = this.buckets.get(spec.name);
      if (!b) {
        if (this.buckets.size >= MAX_ENTRIES) this.purgeBuckets(now);
        b = { tokens: spec.burst, at: now, rate: spec.rate, burst: spec.burst };
        this.buckets.set(spec.name, b);
      }
      b.tokens = Math.min(spec.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * spec.rate);
      b.at = Math.max(b.at, now);
      b.rate = spec.rate;
      b.burst = spec.burst;
      if (b.tokens >= 1) b.tokens -= 1;
      else wait = Math.max(wait, Math.max(1, Math.ceil((1 - b.tokens) / spec.rate)));
    }
    return { bucketWait: wait, block: this.liveBlock(scopes, now) };
  }

  private liveBlock(scopes: readonly string[], now: number): BlockRow | null {
    let found: BlockRow | null = null;
    for (const s of scopes) {
      const b = this.blocks.get(s);
      if (b && b.until > now && (found === null || b.until > found.until)) found = b;
    }
    return found;
  }

  private bump(s: Scope, kind: string, win: number): Count {
    const id = `${kind}\u0000${s.scope}`;
    let c = this.counts.get(id);
    if (!c || c.win < win) {
      if (!c && this.counts.size >= MAX_ENTRIES) this.purgeWindows(win);
      c = { scope: s.scope, ip: s.ip, principal: s.principal, n: 0, win };
      this.counts.set(id, c);
    }
    c.n++;
    return { scope: c.scope, ip: c.ip, principal: c.principal, n: c.n };
  }

  async admit(a: AdmitInput): Promise<GateResult & { counts: Count[] }> {
    const gate = await this.gate(a.buckets, a.blockScopes, a.now);
    const counts: Count[] = [];
    for (const s of a.scopes) {
      const id = `${s.scope}\u0000${a.fingerprint}`;
      const prev = this.seen.get(id);
      if (prev && prev.win >= a.win) continue;
      if (!prev && this.seen.size >= MAX_ENTRIES) this.purgeWindows(a.win);
      this.seen.set(id, { win: a.win, scope: s });
      counts.push(this.bump(s, 'cards', a.win));
    }
    return { ...gate, counts };
  }

  async addFailure(scopes: readonly Scope[], win: number, fingerprint?: string): Promise<Count[]> {
    const all = new Map(scopes.map((s) => [s.scope, s]));
    if (fingerprint !== undefined) {
      const suffix = `\u0000${fingerprint}`;
      for (const [id, v] of this.seen) if (v.win === win && id.endsWith(suffix)) all.set(v.scope.scope, v.scope);
    }
    return [...all.values()].map((s) => this.bump(s, 'failures', win));
  }

  async block(input: BlockInput): Promise<BlockRow> {
    const row = escalate(this.blocks.get(input.scope.scope), input);
    this.blocks.set(row.scope, row);
    return row;
  }

  async listBlocks(now: number): Promise<BlockRow[]> {
    return [...this.blocks.values()].filter((b) => b.until > now).sort((a, b) => b.until - a.until);
  }

  async clear(filter: { ip?: string; principal?: string }): Promise<number> {
    const hit = (s: { ip: string | null; principal: string | null }): boolean =>
      (filter.ip === undefined || s.ip === filter.ip) && (filter.principal === undefined || s.principal === filter.principal);
    let n = 0;
    for (const [k, b] of this.blocks) if (hit(b)) (this.blocks.delete(k), n++);
    for (const [k, c] of this.counts) if (hit(c)) this.counts.delete(k);
    return n;
  }

  async purge(now: number, win: number, memoryMs: number): Promise<void> {
    this.purgeBuckets(now);
    this.purgeWindows(win);
    for (const [k, b] of this.blocks) if (b.until < now - memoryMs) this.blocks.delete(k);
  }

  private purgeBuckets(now: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + ((now - b.at) / 1000) * b.rate >= b.burst) this.buckets.delete(k);
    // Still full of live buckets: an IP-spraying client. Forgetting them only refills their buckets.
    if (this.buckets.size >= MAX_ENTRIES) this.buckets.clear();
  }

  private purgeWindows(win: number): void {
    for (const [k, v] of this.seen) if (v.win < win) this.seen.delete(k);
    for (const [k, c] of this.counts) if (c.win < win) this.counts.delete(k);
    if (this.seen.size >= MAX_ENTRIES) this.seen.clear();
    if (this.counts.size >= MAX_ENTRIES) this.counts.clear();
  }
}

// $1-$4 buckets and now, $5 block scopes, $6 tokens asked per bucket.
const GATE = `
WITH ${bucketsCte('$6')}
SELECT 'bucket' AS t, name AS scope, ok, tokens, rate, granted, NULL::text AS ip, NULL::text AS principal, NULL::text AS reason, 0 AS level, 0::bigint AS until, 0::bigint AS created_at FROM b
UNION ALL
SELECT 'block', scope, false, 0, 0, 0, ip, principal, reason, level, until, created_at FROM abuse_blocks WHERE scope = ANY($5::text[]) AND until > $4::bigint`;

const ADD_FAILURE = `
WITH x AS (
  SELECT scope, ip, principal FROM unnest($1::text[], $2::text[], $3::text[]) AS u(scope, ip, principal)
  UNION
  SELECT scope, ip, principal FROM abuse_seen WHERE $5::text IS NOT NULL AND fingerprint = $5::text AND win = $4::bigint
)
INSERT INTO abuse_counts AS o (scope, kind, ip, principal, win, n)
SELECT scope, 'failures', ip, principal, $4::bigint, 1 FROM x
ON CONFLICT (scope, kind) DO UPDATE SET n = CASE WHEN o.win >= EXCLUDED.win THEN o.n + 1 ELSE 1 END, win = GREATEST(o.win, EXCLUDED.win)
RETURNING scope, ip, principal, n`;

// A live block stays as it is; one imposed within `memory` ($8) of the last one's end doubles it.
const BLOCK = `
INSERT INTO abuse_blocks AS b (scope, ip, principal, reason, level, until, created_at)
VALUES ($1, $2, $3, $4, 1, $5::bigint + $6::bigint, $5::bigint)
ON CONFLICT (scope) DO UPDATE SET
  level = CASE WHEN b.until > EXCLUDED.created_at THEN b.level WHEN b.until > EXCLUDED.created_at - $8::bigint THEN b.level + 1 ELSE 1 END,
  until = CASE WHEN b.until > EXCLUDED.created_at THEN b.until
               WHEN b.until > EXCLUDED.created_at - $8::bigint THEN EXCLUDED.created_at + LEAST($7::float8, $6::float8 * power(2, b.level))::bigint
               ELSE EXCLUDED.until END,
  reason = CASE WHEN b.until > EXCLUDED.created_at THEN b.reason ELSE EXCLUDED.reason END,
  created_at = CASE WHEN b.until > EXCLUDED.created_at THEN b.created_at ELSE EXCLUDED.created_at END
RETURNING scope, ip, principal, reason, level, until, created_at`;

function toBlock(r: Record<string, unknown>): BlockRow {
  return {
    scope: String(r.scope),
    ip: strOrNull(r.ip),
    principal: strOrNull(r.principal),
    reason: String(r.reason),
    level: num(r.level),
    until: num(r.until),
    createdAt: num(r.created_at),
  };
}

function toCount(r: Record<string, unknown>): Count {
  return { scope: String(r.scope), ip: strOrNull(r.ip), principal: strOrNull(r.principal), n: num(r.n) };
}

function columns(scopes: readonly Scope[]): [string[], (string | null)[], (string | null)[]] {
  return [scopes.map((s) => s.scope), scopes.map((s) => s.ip), scopes.map((s) => s.principal)];
}

function read(rows: readonly Record<string, unknown>[]): GateResult & { counts: Count[] } {
  let wait = 0;
  let block: BlockRow | null = null;
  const counts: Count[] = [];
  for (const r of rows) {
    if (r.t === 'bucket') {
      if (r.ok !== true) wait = Math.max(wait, Math.max(1, Math.ceil((1 - num(r.tokens)) / num(r.rate))));
    } else if (r.t === 'count') counts.push(toCount(r));
    else if (block === null || num(r.until) > block.until) block = toBlock(r);
  }
  return { bucketWait: wait, block, counts };
}

/** The abuse state in the database: shared by every vault process on it. */
export class SqlAbuseStore implements AbuseStore {
  private readonly leases = new Leases();
  private readonly batcher: AdmitBatcher;

  constructor(private readonly db: Db) {
    this.batcher = new AdmitBatcher(db);
  }

  /** Runs `sql` with the buckets' asks as its bucket parameters, spending and refilling leases. */
  private async withBuckets(
    buckets: readonly BucketSpec[],
    now: number,
    skip: boolean,
    run: (columns: [string[], number[], number[], number[]]) => Promise<Record<string, unknown>[]>,
  ): Promise<GateResult & { counts: Count[] }> {
    const { asks, settle } = await this.leases.take(buckets, now);
    if (asks.length === 0 && skip) return { bucketWait: 0, block: null, counts: [] };
    let rows: Record<string, unknown>[] | null = null;
    try {
      rows = await run(bucketColumns(asks));
    } finally {
      settle(rows);
    }
    return read(rows ?? []);
  }

  async gate(buckets: readonly BucketSpec[], scopes: readonly string[], now: number): Promise<GateResult> {
    const { bucketWait, block } = await this.withBuckets(buckets, now, scopes.length === 0, ([n, r, b, w]) =>
      this.db.query(GATE, [n, r, b, now, scopes, w], 'abuse_gate'),
    );
    return { bucketWait, block };
  }

  async admit(a: AdmitInput): Promise<GateResult & { counts: Count[] }> {
    const { asks, settle } = await this.leases.take(a.buckets, a.now);
    let rows: Record<string, unknown>[] | null = null;
    try {
      rows = await this.batcher.admit(a, asks);
    } finally {
      settle(rows);
    }
    return read(rows ?? []);
  }

  async addFailure(scopes: readonly Scope[], win: number, fingerprint?: string): Promise<Count[]> {
    return (await this.db.query(ADD_FAILURE, [...columns(scopes), win, fingerprint ?? null], 'abuse_add_failure')).map(toCount);
  }

  async block(b: BlockInput): Promise<BlockRow> {
    const rows = await this.db.query(BLOCK, [b.scope.scope, b.scope.ip, b.scope.principal, b.reason, b.now, b.baseMs, b.maxMs, b.memoryMs]);
    return toBlock(rows[0]!);
  }

  async listBlocks(now: number): Promise<BlockRow[]> {
    return (await this.db.query('SELECT * FROM abuse_blocks WHERE until > $1 ORDER BY until DESC', [now])).map(toBlock);
  }

  async clear(filter: { ip?: string; principal?: string }): Promise<number> {
    const where = '($1::text IS NULL OR ip = $1::text) AND ($2::text IS NULL OR principal = $2::text)';
    const params = [filter.ip ?? null, filter.principal ?? null];
    return this.db.transaction(async (tx) => {
      await tx.query(`DELETE FROM abuse_counts WHERE ${where}`, params);
      return (await tx.query(`DELETE FROM abuse_blocks WHERE ${where} RETURNING scope`, params)).length;
    });
  }

  async purge(now: number, win: number, memoryMs: number): Promise<void> {
    await this.db.query('DELETE FROM abuse_buckets WHERE tokens + ($1::bigint - at) * rate / 1000.0 >= burst', [now]);
    await this.db.query('DELETE FROM abuse_seen WHERE win < $1::bigint', [win]);
    await this.db.query('DELETE FROM abuse_counts WHERE win < $1::bigint', [win]);
    await this.db.query('DELETE FROM abuse_blocks WHERE until < $1::bigint', [now - memoryMs]);
  }
}
