/**
 * Token retention: unused tokens whose lifetime has ended are deleted with their sealed card (CVC
 * included) and their idempotency records. Run by every vault's sweeper (lifecycle/retention.ts).
 */
import { num, numOrNull, type Db } from './db';
import type { ExpiredTokensDeleted } from './types';

// One statement: the tokens and the idempotency records that point at them go together, so a replay
// of a deleted token's request never finds a record without its token. The outer conditions are
// re-checked on the row as it is when the lock is taken (PostgreSQL's READ COMMITTED re-evaluates
// them after waiting): a charge that consumed the token first wins, and the token is kept. Several
// vaults sweeping one database at once only delete each row once; no lock or leader is needed.
const DELETE_EXPIRED = `
WITH gone AS (
  DELETE FROM tokens
  WHERE id IN (SELECT id FROM tokens WHERE used_at IS NULL AND expires_at <= $1 ORDER BY expires_at LIMIT $2)
    AND used_at IS NULL AND expires_at <= $1
  RETURNING id, expires_at
), idem AS (
  DELETE FROM idempotency_keys WHERE token_id IN (SELECT id FROM gone) RETURNING token_id
)
SELECT count(*) AS deleted, min(expires_at) AS oldest FROM gone`;

/** Deletes at most `limit` unused tokens that expired at or before `now`. */
export async function deleteExpiredTokens(db: Db, now: number, limit: number): Promise<ExpiredTokensDeleted> {
  const rows = await db.query(DELETE_EXPIRED, [now, limit], 'tokens_delete_expired');
  const row = rows[0] ?? {};
  return { deleted: num(row.deleted ?? 0), oldestExpiredAt: numOrNull(row.oldest) };
}
