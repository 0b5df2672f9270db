/**
 * Spending a token on a charge: one transaction marks the token used, replaces its sealed card with
 * one without the CVC and inserts the charge. A crash or a stop at any point leaves either all of it
 * or none of it: never a used token without its charge, never a CVC on a used token.
 */
import type { Db } from './db';
import { StaleDataKeyError } from './events';
import type { ChargeRow, ChargeTokenInput } from './types';

// Compare-and-set on the sealed card as the route read and decrypted it: if a data-key rotation
// re-encrypted the row meanwhile, nothing is spent and the route reads it again. On PostgreSQL the
// UPDATE holds the row lock until commit, so a rotation's own compare-and-set on this row waits,
// then fails, and re-reads the card without its CVC.
const CONSUME = `
UPDATE tokens SET used_at = $4, card_sealed = $6, data_key_id = $7
WHERE id = $1 AND account_id = $2 AND livemode = $3 AND used_at IS NULL AND expires_at > $4 AND card_sealed = $5
RETURNING id`;

const INSERT_CHARGE = `
INSERT INTO charges (id, account_id, livemode, token_id, amount, currency, description, status, failure_code, brand, last4, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;

/**
 * Spends the token and records its charge in one transaction. `decide` runs inside it, after the
 * token is won (so two concurrent charges never both reach the processor); it must not use the
 * store (PGlite has one connection, held by this transaction). Returns null, having changed
 * nothing, when the token is not (or no longer) spendable as read.
 */
export async function chargeToken(db: Db, input: ChargeTokenInput, decide: () => Promise<ChargeRow>): Promise<ChargeRow | null> {
  return db.transaction(async (tx) => {
    // The ACTIVE_KEY rule (sql-store.ts): the CVC-less card is written only under a data key still
    // active, share-locked until commit, so a rotation cannot retire it under this write.
    const key = await tx.query(`SELECT id FROM data_keys WHERE id = $1 AND status = 'active' FOR SHARE`, [input.strippedDataKeyId]);
    if (key.length === 0) throw new StaleDataKeyError(input.strippedDataKeyId);
    const won = await tx.query(
      CONSUME,
      [input.tokenId, input.accountId, input.livemode, input.now, input.cardSealed, input.strippedSealed, input.strippedDataKeyId],
      'token_charge_consume',
    );
    if (won.length === 0) return null;
    const c = await decide();
    await tx.query(
      INSERT_CHARGE,
      [c.id, c.accountId, c.livemode, c.tokenId, c.amount, c.currency, c.description, c.status, c.failureCode, c.brand, c.last4, c.createdAt],
      'charge_insert_spend',
    );
    return c;
  });
}
