/**
 * Leases on the shared rate buckets (PostgreSQL): a vault takes a busy bucket's tokens several at a
 * time and spends them in this process, so a hot bucket costs one database trip per lease instead
 * of one per request. See {@link Leases}.
 */
import type { BucketSpec } from './abuse';
import { num } from './db';

// The refilled bucket, written once for the SET clauses below (every SET expression sees the old row).
const REFILL = 'LEAST(EXCLUDED.burst, o.tokens + GREATEST(0, EXCLUDED.at - o.at) * EXCLUDED.rate / 1000.0)';
// What the upsert grants: up to the asked lease (EXCLUDED.granted), never more than the whole tokens in it.
const GRANT = `CASE WHEN ${REFILL} >= 1 THEN LEAST(EXCLUDED.granted, floor(${REFILL})) ELSE 0 END`;

// Buckets are upserted in name order, so two statements never wait on each other's rows crosswise.
// $1-$3 names, rates, bursts; $4 now; `want` the parameter holding how many tokens each asks for.
export const bucketsCte = (want: string): string => `b AS (
  INSERT INTO abuse_buckets AS o (name, tokens, at, rate, burst, ok, granted)
  SELECT n, burst - w, $4::bigint, rate, burst, true, w FROM unnest($1::text[], $2::float8[], $3::float8[], ${want}::float8[]) AS x(n, rate, burst, w)
  ON CONFLICT (name) DO UPDATE SET
    ok = ${REFILL} >= 1,
    granted = ${GRANT},
    tokens = ${REFILL} - ${GRANT},
    at = GREATEST(o.at, EXCLUDED.at), rate = EXCLUDED.rate, burst = EXCLUDED.burst
  RETURNING name, ok, tokens, rate, granted
)`;

/** A bucket as asked of the database: how many tokens this trip takes from it. */
export interface Ask extends BucketSpec {
  want: number;
}

export function bucketColumns(asks: readonly Ask[]): [string[], number[], number[], number[]] {
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
export class Leases {
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

