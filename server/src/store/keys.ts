/**
 * API-key lineage: what created each key, and revoking a key together with the keys it created.
 * Runs on the same {@link Db} as the rest of the store; {@link SqlStore} delegates here.
 */
import type { Db } from './db';

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
   * depth (following `created_by`, through keys already revoked too). One statement: a key created
   * while it runs either exists before it (and is revoked) or is refused its parent's revocation by
   * authentication. Returns the keys this call revoked, `id` first when it was still active.
   */
  revokeApiKeys(id: string, at: number, cascade: boolean): Promise<RevokedKeyRef[]>;
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
  const rows = await db.query(cascade ? REVOKE_TREE : REVOKE_ONE, [id, at]);
  const refs = rows.map((r) => ({ id: String(r.id), lookupHash: String(r.lookup_hash) }));
  return refs.sort((a, b) => (a.id === id ? -1 : b.id === id ? 1 : a.id.localeCompare(b.id)));
}
