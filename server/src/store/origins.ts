/**
 * Origin claims: which account a live origin belongs to. The operator claims an origin for an
 * account after verifying that the account controls it; a live key or client token may then list
 * it, and no other account's can. {@link SqlStore} delegates here.
 */
import { num, strOrNull, type Db, type Row } from './db';

export interface OriginClaimRow {
  /** A canonical web origin, as browsers send it in `Origin` (e.g. `https://shop.example`). */
  origin: string;
  accountId: string;
  claimedAt: number;
  /** How the operator verified ownership, for audit (free text), or null. */
  note: string | null;
}

/** The origin-claim part of the {@link Store} interface. */
export interface OriginClaimStore {
  /**
   * Claims `row.origin` for `row.accountId` unless some account already holds it (the primary key
   * decides between concurrent claims). Returns the claim that holds the origin afterwards: the
   * new one, or the earlier one, which may be another account's.
   */
  claimOrigin(row: OriginClaimRow): Promise<OriginClaimRow>;
  /** Deletes the claim on `origin`; returns it, or null when there was none. */
  releaseOrigin(origin: string): Promise<OriginClaimRow | null>;
  /** Claims on these origins (those that exist). */
  getOriginClaims(origins: readonly string[]): Promise<OriginClaimRow[]>;
  /** Every claim, or one account's; ordered by origin. */
  listOriginClaims(accountId?: string): Promise<OriginClaimRow[]>;
}

function toClaim(r: Row): OriginClaimRow {
  return { origin: String(r.origin), accountId: String(r.account_id), claimedAt: num(r.claimed_at), note: strOrNull(r.note) };
}

export async function claimOrigin(db: Db, c: OriginClaimRow): Promise<OriginClaimRow> {
  // ON CONFLICT DO NOTHING: a second account's claim changes nothing; the read tells who holds it.
  await db.query('INSERT INTO origin_claims (origin, account_id, claimed_at, note) VALUES ($1, $2, $3, $4) ON CONFLICT (origin) DO NOTHING', [
    c.origin,
    c.accountId,
    c.claimedAt,
    c.note,
  ]);
  const held = await getOriginClaims(db, [c.origin]);
  if (!held[0]) throw new Error('Origin claim vanished after insert.');
  return held[0];
}

export async function releaseOrigin(db: Db, origin: string): Promise<OriginClaimRow | null> {
  const rows = await db.query('DELETE FROM origin_claims WHERE origin = $1 RETURNING *', [origin]);
  return rows[0] ? toClaim(rows[0]) : null;
}

export async function getOriginClaims(db: Db, origins: readonly string[]): Promise<OriginClaimRow[]> {
  if (origins.length === 0) return [];
  // One parameter per origin (no array parameter): portable across Postgres-wire engines.
  const params = origins.map((_, i) => `$${i + 1}`).join(', ');
  return (await db.query(`SELECT * FROM origin_claims WHERE origin IN (${params})`, [...origins])).map(toClaim);
}

export async function listOriginClaims(db: Db, accountId?: string): Promise<OriginClaimRow[]> {
  const rows =
    accountId === undefined
      ? await db.query('SELECT * FROM origin_claims ORDER BY origin')
      : await db.query('SELECT * FROM origin_claims WHERE account_id = $1 ORDER BY origin', [accountId]);
  return rows.map(toClaim);
}
