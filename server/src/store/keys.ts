/**
 * API-key lineage: what created each key, and revoking a key together with the keys it created.
 * Runs on the same {@link Db} as the rest of the store; {@link SqlStore} delegates here.
 */
import type { Db } from './db';
import type { ApiKeyRow } from './types';

/** What `created_by` holds for keys the operator made (CLI, admin channel, demo setup). */
export const CREATED_BY_OPERATOR = 'operator';

/** A key a revocation reached: enough to drop it from every in-process cache. */
export interface RevokedKeyRef {
  id: string;
  lookupHash: string;
}

/** The key-lineage part of the {@link Store} interface. */
export interface KeyLineageStore {
  /**
   * Revokes `id` and, with `cascade`, every key it created, and the keys those created, at any
   * depth (following `created_by`, through keys already revoked too). A child a key is making
   * meanwhile ({@link insertApiKeyByKey}) is either revoked with it or refused. Returns the keys this
   * call revoked, `id` first when it was still active.
   */
  revokeApiKeys(id: string, at: number, cascade: boolean): Promise<RevokedKeyRef[]>;
  /**
   * Inserts `row`, made by the key `row.createdBy`, only if that key is still neither revoked nor
   * expired at `now` — checked in the database under a share lock, not in a process's 5 s key cache.
   * False when it no longer is: the key was revoked (by a cascade, perhaps) while this request ran.
   */
  insertApiKeyByKey(row: ApiKeyRow, now: number): Promise<boolean>;
}

/**
 * Locks the creating key `id` (FOR SHARE) if it is still usable at `now`. A cascading revocation
 * locks it FOR UPDATE first (below), so a child is either committed before the revocation reads
 * the tree, or made after it and refused here. Call inside a transaction.
 */
export async function lockUsableCreator(tx: Db, id: string, now: number): Promise<boolean> {
  const rows = await tx.query(
    'SELECT id FROM api_keys WHERE id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2) FOR SHARE',
    [id, now],
  );
  return rows.length > 0;
}

/** Inserts an API key row (every column). */
export async function insertApiKey(db: Db, k: ApiKeyRow): Promise<void> {
  await db.query(
    `INSERT INTO api_keys (id, account_id, kind, livemode, lookup_hash, display, allowed_origins, created_at, expires_at, revoked_at, rolled_to, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      k.id,
      k.accountId,
      k.kind,
      k.livemode,
      k.lookupHash,
      k.display,
      k.allowedOrigins ? JSON.stringify(k.allowedOrigins) : null,
      k.createdAt,
      k.expiresAt,
      k.revokedAt,
      k.rolledTo,
      k.createdBy,
    ],
  );
}

/** See {@link KeyLineageStore.insertApiKeyByKey}. */
export async function insertApiKeyByKey(db: Db, row: ApiKeyRow, now: number): Promise<boolean> {
  const creator = row.createdBy;
  if (creator === null) throw new Error('insertApiKeyByKey needs the creating key in createdBy.');
  return db.transaction(async (tx) => {
    if (!(await lockUsableCreator(tx, creator, now))) return false;
    await insertApiKey(tx, row);
    return true;
  });
}

// UNION (not UNION ALL) stops on a cycle, should a hand-edited row ever make one.
const REVOKE_TREE = `
WITH RECURSIVE tree(id) AS (
  SELECT id FROM api_keys WHERE id = $1
  UNION
  SELECT k.id FROM api_keys k JOIN tree t ON k.created_by = t.id
)
UPDATE api_keys SET revoked_at = $2
WHERE id IN (SELECT id FROM tree) AND revoked_at IS NULL
RETURNING id, lookup_hash`;

const REVOKE_ONE = 'UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id, lookup_hash';

/** See {@link KeyLineageStore.revokeApiKeys}. */
export async function revokeApiKeys(db: Db, id: string, at: number, cascade: boolean): Promise<RevokedKeyRef[]> {
  const rows = !cascade
    ? await db.query(REVOKE_ONE, [id, at])
    : await db.transaction(async (tx) => {
        // Wait for children being made right now (they hold the root FOR SHARE), then read the tree
        // in a later statement, which sees them; later ones find the root revoked and are refused.
        await tx.query('SELECT id FROM api_keys WHERE id = $1 FOR UPDATE', [id]);
        const root = await tx.query(REVOKE_ONE, [id, at]);
        return [...root, ...(await tx.query(REVOKE_TREE, [id, at]))];
      });
  const refs = rows.map((r) => ({ id: String(r.id), lookupHash: String(r.lookup_hash) }));
  return refs.sort((a, b) => (a.id === id ? -1 : b.id === id ? 1 : a.id.localeCompare(b.id)));
}
