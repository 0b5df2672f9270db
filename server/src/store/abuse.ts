/**
 * Storage for the abuse controls (rate buckets, distinct-card and failure counters, blocks).
 *
 * Two implementations of one interface:
 * - {@link MemoryAbuseStore}: this process's memory. Enough for PGlite, which is one process.
 * - {@link SqlAbuseStore}: tables in the database (migration 5), so N vault processes on one
 *   PostgreSQL enforce what one does. Each call is ONE statement (one round trip); the counters are
 *   UNLOGGED tables (no WAL, no fsync per request: a database crash forgets them, which only resets
 *   the windows), the blocks an ordinary table.
 *
 * No card data is ever stored here: cards appear only as the account-keyed HMAC fingerprint.
 * Counters use fixed windows (`win` = floor(now / window)); the policy lives in ../abuse.ts.
 */
import type { Db } from './db';
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

// The refilled bucket, written once for the SET clauses below (every SET expression sees the old row).
const REFILL = 'LEAST(EXCLUDED.burst, o.tokens + GREATEST(0, EXCLUDED.at - o.at) * EXCLUDED.rate / 1000.0)';
// What the upsert grants: up to the asked lease (EXCLUDED.granted), never more than the whole tokens in it.
const GRANT = `CASE WHEN ${REFILL} >= 1 THEN LEAST(EXCLUDED.granted, floor(${REFILL})) ELSE 0 END`;

// Buckets are upserted in name order, so two statements never wait on each other's rows crosswise.
// $1-$3 names, rates, bursts; $4 now; `want` the parameter holding how many tokens each asks for.
const bucketsCte = (want: string): string => `b AS (
  INSERT INTO abuse_buckets AS o (name, tokens, at, rate, burst, ok, granted)
  SELECT n, burst - w, $4::bigint, rate, burst, true, w FROM unnest($1::text[], $2::float8[], $3::float8[], ${want}::float8[]) AS x(n, rate, burst, w)
  ON CONFLICT (name) DO UPDATE SET
    ok = ${REFILL} >= 1,
    granted = ${GRANT},
    tokens = ${REFILL} - ${GRANT},
    at = GREATEST(o.at, EXCLUDED.at), rate = EXCLUDED.rate, burst = EXCLUDED.burst
  RETURNING name, ok, tokens, rate, granted
)`;

// $1-$4 buckets and now, $5 block scopes, $6 tokens asked per bucket.
const GATE = `
WITH ${bucketsCte('$6')}
SELECT 'bucket' AS t, name AS scope, ok, tokens, rate, granted, NULL::text AS ip, NULL::text AS principal, NULL::text AS reason, 0 AS level, 0::bigint AS until, 0::bigint AS created_at FROM b
UNION ALL
SELECT 'block', scope, false, 0, 0, 0, ip, principal, reason, level, until, created_at FROM abuse_blocks WHERE scope = ANY($5::text[]) AND until > $4::bigint`;

// $1-$3 buckets, $4 now, $5 block scopes (as GATE); $6-$8 scopes, $9 fingerprint, $10 window,
// $11 tokens asked per bucket.
const ADMIT = `
WITH ${bucketsCte('$11')},
x AS (SELECT * FROM unnest($6::text[], $7::text[], $8::text[]) AS x(scope, ip, principal)),
s AS (
  INSERT INTO abuse_seen (scope, fingerprint, win, ip, principal)
  SELECT scope, $9, $10::bigint, ip, principal FROM x
  ON CONFLICT (scope, fingerprint, win) DO NOTHING
  RETURNING scope
),
c AS (
  INSERT INTO abuse_counts AS o (scope, kind, ip, principal, win, n)
  SELECT x.scope, 'cards', x.ip, x.principal, $10::bigint, 1 FROM x JOIN s ON s.scope = x.scope
  ON CONFLICT (scope, kind) DO UPDATE SET n = CASE WHEN o.win >= EXCLUDED.win THEN o.n + 1 ELSE 1 END, win = GREATEST(o.win, EXCLUDED.win)
  RETURNING scope, ip, principal, n
)
SELECT 'bucket' AS t, name AS scope, ok, tokens, rate, granted, NULL::text AS ip, NULL::text AS principal, 0 AS n, NULL::text AS reason, 0 AS level, 0::bigint AS until, 0::bigint AS created_at FROM b
UNION ALL
SELECT 'count', scope, false, 0, 0, 0, ip, principal, n, NULL, 0, 0, 0 FROM c
UNION ALL
SELECT 'block', scope, false, 0, 0, 0, ip, principal, 0, reason, level, until, created_at FROM abuse_blocks WHERE scope = ANY($5::text[]) AND until > $4::bigint`;

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

/** A bucket as asked of the database: how many tokens this trip takes from it. */
interface Ask extends BucketSpec {
  want: number;
}

function bucketColumns(asks: readonly Ask[]): [string[], number[], number[], number[]] {
  const sorted = [...asks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [sorted.map((b) => b.name), sorted.map((b) => b.rate), sorted.map((b) => b.burst), sorted.map((b) => b.want)];
}

/** The most tokens a vault takes from one shared bucket in one database trip. */
const LEASE_MAX = 50;
/** Leased tokens this process has not used after this long are dropped (the bucket refilled them long ago). */
const LEASE_MS = 1_000;
const MAX_LEASES = 10_000;

/**
 * How many tokens a vault takes from a shared bucket per trip: at most 1/20 of the burst and 100 ms
 * of the rate (and {@link LEASE_MAX}), so a small bucket (a test's, or a strict operator's) is
 * taken one token at a time exactly as before.
 */
export function leaseSize(spec: BucketSpec): number {
  return Math.max(1, Math.min(LEASE_MAX, Math.floor(spec.burst / 20), Math.floor(spec.rate / 10)));
}

interface Lease {
  tokens: number;
  until: number;
  rate: number;
  burst: number;
  /** The trip taking this bucket's next lease, while it is out: others wait for it, not the row. */
  refill: Promise<void> | null;
}

/**
 * This process's leases on the shared buckets. Every request to one vault from one client IP, and
 * every request with one key, takes a token from the same database row: under load that row is
 * where the requests queue (each upsert waits for the one before to commit). A lease takes up to
 * {@link leaseSize} tokens in one trip and spends them here, so a hot bucket costs one trip per
 * lease. Tokens are taken from the database BEFORE they are spent: N vaults never admit more than
 * the bucket holds; they can refuse up to N × (lease − 1) tokens early, which expire unspent.
 */
class Leases {
  private readonly map = new Map<string, Lease>();

  private entry(spec: BucketSpec, now: number): Lease {
    let l = this.map.get(spec.name);
    if (l === undefined) {
      if (this.map.size >= MAX_LEASES) for (const [k, v] of this.map) if (v.refill === null) this.map.delete(k);
      l = { tokens: 0, until: 0, rate: spec.rate, burst: spec.burst, refill: null };
      this.map.set(spec.name, l);
    }
    if (l.until <= now || l.rate !== spec.rate || l.burst !== spec.burst) Object.assign(l, { tokens: 0, rate: spec.rate, burst: spec.burst });
    return l;
  }

  /**
   * Spends a leased token of each bucket that has one (waiting for a lease already on its way) and
   * returns what to ask the database for, with `settle` to call with its answer (or none, on error).
   */
  async take(buckets: readonly BucketSpec[], now: number): Promise<{ asks: Ask[]; settle: (rows: readonly Record<string, unknown>[] | null) => void }> {
    const asks: Ask[] = [];
    const resolvers: (() => void)[] = [];
    // In name order, as the statement upserts them: a request holding one bucket's refill only ever
    // waits for a later bucket's, so two requests never wait on each other.
    const sorted = [...buckets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const spec of sorted) {
      const size = leaseSize(spec);
      if (size <= 1) {
        asks.push({ ...spec, want: 1 });
        continue;
      }
      let l = this.entry(spec, now);
      if (l.tokens < 1 && l.refill !== null) {
        await l.refill;
        l = this.entry(spec, now);
      }
      if (l.tokens >= 1) {
        l.tokens -= 1;
        continue;
      }
      if (l.refill !== null) {
        asks.push({ ...spec, want: 1 });
        continue;
      }
      l.refill = new Promise<void>((resolve) => resolvers.push(resolve));
      asks.push({ ...spec, want: size });
    }
    const settle = (rows: readonly Record<string, unknown>[] | null): void => {
      for (const ask of asks) {
        if (ask.want <= 1) continue;
        const l = this.entry(ask, now);
        const row = rows?.find((r) => r.t === 'bucket' && r.scope === ask.name);
        const extra = row === undefined ? 0 : num(row.granted) - 1;
        if (extra > 0) (l.tokens += extra), (l.until = now + LEASE_MS);
        l.refill = null;
      }
      // Refused by the database while a lease came in meanwhile: spend from it rather than refuse.
      for (const row of rows ?? []) {
        if (row.t !== 'bucket' || row.ok === true) continue;
        const l = this.map.get(String(row.scope));
        if (l !== undefined && l.tokens >= 1 && l.until > now) (l.tokens -= 1), (row.ok = true);
      }
      for (const resolve of resolvers) resolve();
    };
    return { asks, settle };
  }
}

/** The abuse state in the database: shared by every vault process on it. */
export class SqlAbuseStore implements AbuseStore {
  private readonly leases = new Leases();

  constructor(private readonly db: Db) {}

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
    return this.withBuckets(a.buckets, a.now, false, ([n, r, b, w]) =>
      this.db.query(ADMIT, [n, r, b, a.now, a.blockScopes, ...columns(a.scopes), a.fingerprint, a.win, w], 'abuse_admit'),
    );
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
