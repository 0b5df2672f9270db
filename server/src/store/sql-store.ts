import { num, numOrNull, strOrNull, type Db, type Row } from './db';
import { insertApiKey, insertApiKeyByKey, lockUsableCreator, revokeApiKeys, type RevokedKeyRef } from './keys';
import { MemoryAbuseStore, SqlAbuseStore, type AbuseStore } from './abuse';
import { TokenInsertBatcher, tokenParams, type BatchedInsert, type BatchedOutcome } from './token-batch';
import { eventChannel, parseEvent, RotationRunningError, StaleDataKeyError, type StoreEvent } from './events';
import { MIGRATIONS } from './migrations';
import { claimOrigin, getOriginClaims, listOriginClaims, releaseOrigin, type OriginClaimRow } from './origins';
import { chargeToken } from './charges';
import { deleteExpiredTokens } from './tokens';
import type {
  AccountRow,
  ApiKeyRow,
  ChargeRow,
  ChargeTokenInput,
  ClaimChargeKeyInput,
  ClaimChargeKeyResult,
  ClientTokenRow,
  CreateTokenInput,
  CreateTokenResult,
  DataKeyRow,
  DataKeyStatus,
  EncryptionKeyRow,
  ExpiredTokensDeleted,
  SealedRef,
  SealedTable,
  SecretRow,
  Store,
  TokenRow,
} from './types';

const SEALED_COLUMNS: Record<SealedTable, { column: string; id: string }> = {
  accounts: { column: 'fingerprint_key_sealed', id: 'id' },
  tokens: { column: 'card_sealed', id: 'id' },
  encryption_keys: { column: 'private_sealed', id: 'kid' },
  vault_secrets: { column: 'sealed', id: 'name' },
};

const TOKEN_COLUMNS =
  'id, account_id, livemode, card_sealed, data_key_id, fingerprint, brand, last4, exp_month, exp_year, client_token_id, created_at, expires_at, used_at';

// One statement records the idempotency key and inserts the token: either both exist or neither,
// and a concurrent request with the same key waits on the unique index, then inserts nothing.
// An idempotency record older than 24 h is replaced (the DO UPDATE ... WHERE).
// The sealing data key must still be active, share-locked until commit (ACTIVE_KEY): see below.
const INSERT_TOKEN_IDEMPOTENT = `
WITH k AS (SELECT id FROM data_keys WHERE id = $5 AND status = 'active' FOR SHARE),
idem AS (
  INSERT INTO idempotency_keys (account_id, idempotency_key, request_hash, token_id, created_at)
  SELECT $2::text, $14::text, $15::text, $1::text, $12::bigint FROM k WHERE true
  ON CONFLICT (account_id, idempotency_key) DO UPDATE
    SET request_hash = EXCLUDED.request_hash, token_id = EXCLUDED.token_id, created_at = EXCLUDED.created_at
    WHERE idempotency_keys.created_at < $16
  RETURNING token_id
),
ins AS (
  INSERT INTO tokens (id, account_id, livemode, card_sealed, data_key_id, fingerprint, brand, last4, exp_month, exp_year, client_token_id, created_at, expires_at)
  SELECT $1::text, $2::text, $3::boolean, $4::text, $5::text, $6::text, $7::text, $8::text, $9::integer, $10::integer, $11::text, $12::bigint, $13::bigint FROM idem
  RETURNING id
)
SELECT (SELECT count(*) FROM k) AS key_ok, (SELECT count(*) FROM ins) AS inserted`;

// Claims a charge's Idempotency-Key: one statement, so of two concurrent requests with one key one
// inserts and the other conflicts (waiting for the first on PostgreSQL's unique index). A record past
// its 24 h, or claimed by an attempt that made no charge and is past its lease (the process died
// between claim and charge), is taken over; row locks make a takeover happen once.
const CLAIM_CHARGE_KEY = `
INSERT INTO charge_idempotency_keys (account_id, livemode, idempotency_key, request_hash, charge_id, created_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (account_id, livemode, idempotency_key) DO UPDATE
  SET request_hash = EXCLUDED.request_hash, charge_id = EXCLUDED.charge_id, created_at = EXCLUDED.created_at
  WHERE charge_idempotency_keys.created_at < $7
     OR (charge_idempotency_keys.created_at < $8
         AND NOT EXISTS (SELECT 1 FROM charges WHERE charges.id = charge_idempotency_keys.charge_id))
RETURNING charge_id`;

const READ_CHARGE_KEY = `
SELECT k.request_hash, k.charge_id, c.id AS charge
FROM charge_idempotency_keys k LEFT JOIN charges c ON c.id = k.charge_id
WHERE k.account_id = $1 AND k.livemode = $2 AND k.idempotency_key = $3`;

const INSERT_TOKEN = `
INSERT INTO tokens (id, account_id, livemode, card_sealed, data_key_id, fingerprint, brand, last4, exp_month, exp_year, client_token_id, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`;

// Security rule: nothing is sealed into the database under a data key that is being retired. Every
// write of a sealed value share-locks its data key's row *as active* in the same statement or
// transaction. A rotation's activation (activateDataKey) updates that row, so it waits for every
// such write in flight, and a write that comes after it finds the key no longer active (PostgreSQL
// re-checks a locked row's WHERE after the updater commits) and inserts nothing: the caller seals
// again under the new key (StaleDataKeyError). Once the activation has committed, the sweep sees
// every row the old key will ever have, and retiring it cannot strand one.
const INSERT_TOKEN_ACTIVE_KEY = `
WITH k AS (SELECT id FROM data_keys WHERE id = $5 AND status = 'active' FOR SHARE)
INSERT INTO tokens (id, account_id, livemode, card_sealed, data_key_id, fingerprint, brand, last4, exp_month, exp_year, client_token_id, created_at, expires_at)
SELECT $1::text, $2::text, $3::boolean, $4::text, $5::text, $6::text, $7::text, $8::text, $9::integer, $10::integer, $11::text, $12::bigint, $13::bigint FROM k
RETURNING id`;

/** The ACTIVE_KEY rule for a transaction: share-locks the data key as active, or throws. */
async function lockActiveKey(tx: Db, dataKeyId: string): Promise<void> {
  const rows = await tx.query(`SELECT id FROM data_keys WHERE id = $1 AND status = 'active' FOR SHARE`, [dataKeyId]);
  if (rows.length === 0) throw new StaleDataKeyError(dataKeyId);
}

/** The name of the data-key rotation's lock (one rotation per database scope at a time). */
const ROTATION_LOCK = 'cardvault.rotate-data-key';

class ReplaySignal extends Error {}

function jsonList(value: unknown): string[] | null {
  if (value === null || value === undefined) return null;
  const parsed: unknown = JSON.parse(String(value));
  return Array.isArray(parsed) ? parsed.map(String) : null;
}

function toAccount(r: Row): AccountRow {
  return {
    id: String(r.id),
    name: String(r.name),
    fingerprintKeySealed: String(r.fingerprint_key_sealed),
    dataKeyId: String(r.data_key_id),
    createdAt: num(r.created_at),
  };
}

function toApiKey(r: Row): ApiKeyRow {
  return {
    id: String(r.id),
    accountId: String(r.account_id),
    kind: r.kind === 'secret' ? 'secret' : 'publishable',
    livemode: r.livemode === true,
    lookupHash: String(r.lookup_hash),
    display: String(r.display),
    allowedOrigins: jsonList(r.allowed_origins),
    createdAt: num(r.created_at),
    expiresAt: numOrNull(r.expires_at),
    revokedAt: numOrNull(r.revoked_at),
    rolledTo: strOrNull(r.rolled_to),
    createdBy: strOrNull(r.created_by),
  };
}

function toDataKey(r: Row): DataKeyRow {
  return {
    id: String(r.id),
    wrapped: strOrNull(r.wrapped),
    status: String(r.status) as DataKeyStatus,
    createdAt: num(r.created_at),
    retiredAt: numOrNull(r.retired_at),
  };
}

function toToken(r: Row): TokenRow {
  return {
    id: String(r.id),
    accountId: String(r.account_id),
    livemode: r.livemode === true,
    cardSealed: String(r.card_sealed),
    dataKeyId: String(r.data_key_id),
    fingerprint: String(r.fingerprint),
    brand: String(r.brand),
    last4: String(r.last4),
    expMonth: num(r.exp_month),
    expYear: num(r.exp_year),
    clientTokenId: strOrNull(r.client_token_id),
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
    usedAt: numOrNull(r.used_at),
  };
}

function toCharge(r: Row): ChargeRow {
  return {
    id: String(r.id),
    accountId: String(r.account_id),
    livemode: r.livemode === true,
    tokenId: String(r.token_id),
    amount: num(r.amount),
    currency: String(r.currency),
    description: strOrNull(r.description),
    status: r.status === 'succeeded' ? 'succeeded' : 'failed',
    failureCode: strOrNull(r.failure_code),
    brand: String(r.brand),
    last4: String(r.last4),
    createdAt: num(r.created_at),
  };
}

function toClientToken(r: Row): ClientTokenRow {
  return {
    id: String(r.id),
    accountId: String(r.account_id),
    livemode: r.livemode === true,
    maxUses: num(r.max_uses),
    uses: num(r.uses),
    allowedOrigins: jsonList(r.allowed_origins),
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
  };
}

function toEncryptionKey(r: Row): EncryptionKeyRow {
  return {
    kid: String(r.kid),
    publicJwk: String(r.public_jwk),
    privateSealed: String(r.private_sealed),
    dataKeyId: String(r.data_key_id),
    createdAt: num(r.created_at),
    retiresAt: numOrNull(r.retires_at),
    status: r.status === 'retired' ? 'retired' : 'active',
  };
}

function toSecret(r: Row): SecretRow {
  return { name: String(r.name), sealed: String(r.sealed), dataKeyId: String(r.data_key_id), createdAt: num(r.created_at) };
}

/** The vault's storage in portable SQL over a {@link Db} (PGlite or PostgreSQL). */
export class SqlStore implements Store {
  readonly backend: 'pglite' | 'postgres';
  readonly abuse: AbuseStore;
  private readonly inserts: TokenInsertBatcher | null;
  /** The schema (PostgreSQL) or `pglite`: what "this database" means for locks and notifications. */
  readonly scope: string;

  constructor(
    private readonly db: Db,
    readonly dataDir: string | null,
    private readonly onClose?: () => Promise<void>,
  ) {
    this.backend = db.kind;
    // PGlite is one process: memory is enough. On PostgreSQL every vault must see the same counters.
    this.abuse = db.kind === 'postgres' ? new SqlAbuseStore(db) : new MemoryAbuseStore();
    // Concurrent tokenizations share a statement and a commit on PostgreSQL (token-batch.ts).
    this.inserts = db.kind === 'postgres' ? new TokenInsertBatcher(db, (i) => this.insertAlone(i)) : null;
    this.scope = db.scope;
  }

  /** Runs `fn` as this database's only data-key rotation; throws RotationRunningError if one runs. */
  async withRotationLock<R>(fn: () => Promise<R>): Promise<R> {
    const out = await this.db.exclusive(ROTATION_LOCK, fn);
    if (!out.held) throw new RotationRunningError(this.scope);
    return out.value;
  }

  /** Tells every vault on this database (PostgreSQL NOTIFY); a no-op on PGlite (one process). */
  async publish(event: StoreEvent): Promise<void> {
    await this.db.notify(eventChannel(this.scope), JSON.stringify(event));
  }

  /** Follows the other vaults' events; `reset` runs when some may have been missed (reconnect). */
  subscribe(handlers: { event(e: StoreEvent): void; reset(): void }): Promise<() => Promise<void>> {
    return this.db.listen(eventChannel(this.scope), {
      message(payload) {
        const e = parseEvent(payload);
        if (e !== null) handlers.event(e);
      },
      reset: () => handlers.reset(),
    });
  }

  /** Applies pending migrations in order, each in its own transaction; returns the versions applied. */
  async migrate(): Promise<number[]> {
    await this.db.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)',
    );
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      const done = await this.db.transaction(async (tx) => {
        // Claiming the version first makes two processes migrating at once safe: the loser's
        // insert conflicts (after waiting for the winner), and it skips the migration.
        const claimed = await tx.query(
          'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3) ON CONFLICT (version) DO NOTHING RETURNING version',
          [migration.version, migration.name, Date.now()],
        );
        if (claimed.length === 0) return false;
        for (const statement of migration.statements) await tx.query(statement);
        return true;
      });
      if (done) applied.push(migration.version);
    }
    return applied;
  }

  async close(): Promise<void> {
    await this.db.close();
    await this.onClose?.();
  }

  // ---- accounts ----
  async insertAccount(a: AccountRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await lockActiveKey(tx, a.dataKeyId);
      await tx.query(
        'INSERT INTO accounts (id, name, fingerprint_key_sealed, data_key_id, created_at) VALUES ($1, $2, $3, $4, $5)',
        [a.id, a.name, a.fingerprintKeySealed, a.dataKeyId, a.createdAt],
      );
    });
  }

  async getAccount(id: string): Promise<AccountRow | null> {
    const rows = await this.db.query('SELECT * FROM accounts WHERE id = $1', [id], 'account_get');
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async listAccounts(): Promise<AccountRow[]> {
    return (await this.db.query('SELECT * FROM accounts ORDER BY created_at, id')).map(toAccount);
  }

  // ---- API keys ----
  async insertApiKey(k: ApiKeyRow): Promise<void> {
    await insertApiKey(this.db, k);
  }

  async getApiKey(id: string): Promise<ApiKeyRow | null> {
    const rows = await this.db.query('SELECT * FROM api_keys WHERE id = $1', [id]);
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async findApiKeyByHash(lookupHash: string): Promise<ApiKeyRow | null> {
    const rows = await this.db.query('SELECT * FROM api_keys WHERE lookup_hash = $1', [lookupHash], 'api_key_by_hash');
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async listApiKeys(accountId: string): Promise<ApiKeyRow[]> {
    return (await this.db.query('SELECT * FROM api_keys WHERE account_id = $1 ORDER BY created_at DESC, id', [accountId])).map(toApiKey);
  }

  async revokeApiKey(id: string, at: number): Promise<boolean> {
    const rows = await this.db.query('UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id', [id, at]);
    return rows.length > 0;
  }

  async rollApiKey(oldId: string, expiresAt: number, next: ApiKeyRow, now?: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // Rolled by a key (not the operator): only while that key is usable (store/keys.ts).
      if (now !== undefined && next.createdBy !== null && !(await lockUsableCreator(tx, next.createdBy, now))) return false;
      const rows = await tx.query(
        'UPDATE api_keys SET expires_at = $2, rolled_to = $3 WHERE id = $1 AND revoked_at IS NULL AND rolled_to IS NULL RETURNING id',
        [oldId, expiresAt, next.id],
      );
      if (rows.length === 0) return false;
      await insertApiKey(tx, next);
      return true;
    });
  }

  // ---- key lineage and origin claims (store/keys.ts, store/origins.ts) ----
  revokeApiKeys(id: string, at: number, cascade: boolean): Promise<RevokedKeyRef[]> {
    return revokeApiKeys(this.db, id, at, cascade);
  }

  insertApiKeyByKey(row: ApiKeyRow, now: number): Promise<boolean> {
    return insertApiKeyByKey(this.db, row, now);
  }

  claimOrigin(row: OriginClaimRow): Promise<OriginClaimRow> {
    return claimOrigin(this.db, row);
  }

  releaseOrigin(origin: string): Promise<OriginClaimRow | null> {
    return releaseOrigin(this.db, origin);
  }

  getOriginClaims(origins: readonly string[]): Promise<OriginClaimRow[]> {
    return getOriginClaims(this.db, origins);
  }

  listOriginClaims(accountId?: string): Promise<OriginClaimRow[]> {
    return listOriginClaims(this.db, accountId);
  }

  // ---- data keys ----
  async insertDataKey(k: DataKeyRow): Promise<void> {
    await this.db.query('INSERT INTO data_keys (id, wrapped, status, created_at, retired_at) VALUES ($1, $2, $3, $4, $5)', [
      k.id,
      k.wrapped,
      k.status,
      k.createdAt,
      k.retiredAt,
    ]);
  }

  async getDataKey(id: string): Promise<DataKeyRow | null> {
    const rows = await this.db.query('SELECT * FROM data_keys WHERE id = $1', [id]);
    return rows[0] ? toDataKey(rows[0]) : null;
  }

  async listDataKeys(): Promise<DataKeyRow[]> {
    return (await this.db.query('SELECT * FROM data_keys ORDER BY created_at, id')).map(toDataKey);
  }

  async activateDataKey(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`UPDATE data_keys SET status = 'decrypt_only' WHERE status = 'active' AND id <> $1`, [id]);
      await tx.query(`UPDATE data_keys SET status = 'active' WHERE id = $1`, [id]);
    });
  }

  async retireDataKey(id: string, at: number): Promise<void> {
    // The wrapped key is deleted: whatever copy of old ciphertext survives (backups, disk blocks)
    // can no longer be decrypted with what the database holds.
    await this.db.query(`UPDATE data_keys SET status = 'retired', wrapped = NULL, retired_at = $2 WHERE id = $1`, [id, at]);
  }

  async listSealedNotUnder(dataKeyId: string, limit: number): Promise<SealedRef[]> {
    const out: SealedRef[] = [];
    for (const table of Object.keys(SEALED_COLUMNS) as SealedTable[]) {
      if (out.length >= limit) break;
      const { column, id } = SEALED_COLUMNS[table];
      const rows = await this.db.query(
        `SELECT ${id} AS id, ${column} AS sealed FROM ${table} WHERE data_key_id <> $1 LIMIT $2`,
        [dataKeyId, limit - out.length],
      );
      for (const r of rows) out.push({ table, id: String(r.id), sealed: String(r.sealed) });
    }
    return out;
  }

  async updateSealed(ref: SealedRef, sealed: string, dataKeyId: string): Promise<boolean> {
    const { column, id } = SEALED_COLUMNS[ref.table];
    // Compare-and-set on the sealed value (never resurrects an older content), under the ACTIVE_KEY rule.
    const rows = await this.db.query(
      `WITH k AS (SELECT id FROM data_keys WHERE id = $2 AND status = 'active' FOR SHARE),
       upd AS (UPDATE ${ref.table} SET ${column} = $1, data_key_id = $2 WHERE ${id} = $3 AND ${column} = $4 AND EXISTS (SELECT 1 FROM k) RETURNING ${id})
       SELECT (SELECT count(*) FROM k) AS key_ok, (SELECT count(*) FROM upd) AS n`,
      [sealed, dataKeyId, ref.id, ref.sealed],
    );
    if (num(rows[0]?.key_ok) === 0) throw new StaleDataKeyError(dataKeyId);
    return num(rows[0]?.n) > 0;
  }

  // ---- tokens ----
  async createToken(input: CreateTokenInput): Promise<CreateTokenResult> {
    const { token, idempotency, clientTokenId } = input;
    if (clientTokenId === undefined) {
      const insert: BatchedInsert = {
        token,
        ...(idempotency !== undefined ? { idempotency: { key: idempotency.key, requestHash: idempotency.requestHash, ttl: token.createdAt - idempotency.staleBefore } } : {}),
      };
      const outcome = await (this.inserts !== null ? this.inserts.insert(insert) : this.insertAlone(insert));
      if (outcome === 'stale_key') throw new StaleDataKeyError(token.dataKeyId);
      if (outcome === 'created') return { kind: 'created' };
      return this.readReplay(token.accountId, idempotency!.key);
    }
    try {
      return await this.db.transaction(async (tx): Promise<CreateTokenResult> => {
        await lockActiveKey(tx, token.dataKeyId);
        if (idempotency !== undefined) {
          const existing = await tx.query(
            'SELECT request_hash, token_id FROM idempotency_keys WHERE account_id = $1 AND idempotency_key = $2 AND created_at >= $3',
            [token.accountId, idempotency.key, idempotency.staleBefore],
          );
          if (existing[0]) throw new ReplaySignal();
        }
        // The use is counted in the same transaction as the insert: a failed insert uses nothing.
        const used = await tx.query('UPDATE client_tokens SET uses = uses + 1 WHERE id = $1 AND uses < max_uses RETURNING uses', [
          clientTokenId,
        ]);
        if (used.length === 0) return { kind: 'client_token_exhausted' };
        if (idempotency === undefined) {
          await tx.query(INSERT_TOKEN, tokenParams(token));
          return { kind: 'created' };
        }
        const rows = await tx.query(INSERT_TOKEN_IDEMPOTENT, [
          ...tokenParams(token),
          idempotency.key,
          idempotency.requestHash,
          idempotency.staleBefore,
        ]);
        if (num(rows[0]?.inserted) === 0) throw new ReplaySignal();
        return { kind: 'created' };
      });
    } catch (error) {
      if (error instanceof ReplaySignal && idempotency !== undefined) return this.readReplay(token.accountId, idempotency.key);
      throw error;
    }
  }

  /** One token insert as its own statement, as the batcher's statements would have answered it. */
  private async insertAlone({ token, idempotency }: BatchedInsert): Promise<BatchedOutcome> {
    if (idempotency === undefined) {
      const rows = await this.db.query(INSERT_TOKEN_ACTIVE_KEY, tokenParams(token), 'token_insert_active_key');
      return rows.length === 0 ? 'stale_key' : 'created';
    }
    const rows = await this.db.query(
      INSERT_TOKEN_IDEMPOTENT,
      [...tokenParams(token), idempotency.key, idempotency.requestHash, token.createdAt - idempotency.ttl],
      'token_insert_idem_active_key',
    );
    if (num(rows[0]?.key_ok) === 0) return 'stale_key';
    return num(rows[0]?.inserted) > 0 ? 'created' : 'replay';
  }

  private async readReplay(accountId: string, key: string): Promise<CreateTokenResult> {
    const rows = await this.db.query(
      'SELECT request_hash, token_id FROM idempotency_keys WHERE account_id = $1 AND idempotency_key = $2',
      [accountId, key],
      'idem_get',
    );
    const row = rows[0];
    if (!row) throw new Error('Idempotency record vanished during replay.');
    return { kind: 'replay', requestHash: String(row.request_hash), tokenId: String(row.token_id) };
  }

  async getToken(id: string): Promise<TokenRow | null> {
    const rows = await this.db.query(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = $1`, [id], 'token_get');
    return rows[0] ? toToken(rows[0]) : null;
  }

  async consumeToken(id: string, accountId: string, livemode: boolean, now: number): Promise<TokenRow | null> {
    // One conditional UPDATE: two concurrent charges with one token cannot both win.
    const rows = await this.db.query(
      `UPDATE tokens SET used_at = $4 WHERE id = $1 AND account_id = $2 AND livemode = $3 AND used_at IS NULL AND expires_at > $4 RETURNING ${TOKEN_COLUMNS}`,
      [id, accountId, livemode, now],
      'token_consume',
    );
    return rows[0] ? toToken(rows[0]) : null;
  }

  // ---- charges ----
  async insertCharge(c: ChargeRow): Promise<void> {
    await this.db.query(
      `INSERT INTO charges (id, account_id, livemode, token_id, amount, currency, description, status, failure_code, brand, last4, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [c.id, c.accountId, c.livemode, c.tokenId, c.amount, c.currency, c.description, c.status, c.failureCode, c.brand, c.last4, c.createdAt],
      'charge_insert',
    );
  }

  chargeToken(input: ChargeTokenInput, decide: () => Promise<ChargeRow>): Promise<ChargeRow | null> {
    return chargeToken(this.db, input, decide);
  }

  deleteExpiredTokens(now: number, limit: number): Promise<ExpiredTokensDeleted> {
    return deleteExpiredTokens(this.db, now, limit);
  }

  async getCharge(id: string): Promise<ChargeRow | null> {
    const rows = await this.db.query('SELECT * FROM charges WHERE id = $1', [id]);
    return rows[0] ? toCharge(rows[0]) : null;
  }

  async claimChargeKey(input: ClaimChargeKeyInput): Promise<ClaimChargeKeyResult> {
    const key = [input.accountId, input.livemode, input.key];
    // A record can vanish between the insert and the read (its attempt failed and released it):
    // then claim again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const claimed = await this.db.query(
        CLAIM_CHARGE_KEY,
        [...key, input.requestHash, input.chargeId, input.now, input.staleBefore, input.abandonedBefore],
        'charge_key_claim',
      );
      if (claimed.length > 0) return { kind: 'claimed' };
      const rows = await this.db.query(READ_CHARGE_KEY, key, 'charge_key_get');
      const row = rows[0];
      if (row) {
        return { kind: 'replay', requestHash: String(row.request_hash), chargeId: String(row.charge_id), completed: row.charge !== null && row.charge !== undefined };
      }
    }
    // Claimed and released over and over by other attempts: busy, as if in flight.
    return { kind: 'replay', requestHash: input.requestHash, chargeId: input.chargeId, completed: false };
  }

  async releaseChargeKey(accountId: string, livemode: boolean, key: string, chargeId: string): Promise<void> {
    await this.db.query(
      `DELETE FROM charge_idempotency_keys
       WHERE account_id = $1 AND livemode = $2 AND idempotency_key = $3 AND charge_id = $4
         AND NOT EXISTS (SELECT 1 FROM charges WHERE charges.id = $4)`,
      [accountId, livemode, key, chargeId],
    );
  }

  // ---- client tokens ----
  async insertClientToken(c: ClientTokenRow): Promise<void> {
    await this.db.query(
      `INSERT INTO client_tokens (id, account_id, livemode, max_uses, uses, allowed_origins, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [c.id, c.accountId, c.livemode, c.maxUses, c.uses, c.allowedOrigins ? JSON.stringify(c.allowedOrigins) : null, c.createdAt, c.expiresAt],
    );
  }

  async getClientToken(id: string): Promise<ClientTokenRow | null> {
    const rows = await this.db.query('SELECT * FROM client_tokens WHERE id = $1', [id]);
    return rows[0] ? toClientToken(rows[0]) : null;
  }

  // ---- encryption keys ----
  async insertEncryptionKey(k: EncryptionKeyRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await lockActiveKey(tx, k.dataKeyId);
      await tx.query(
        `INSERT INTO encryption_keys (kid, public_jwk, private_sealed, data_key_id, created_at, retires_at, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [k.kid, k.publicJwk, k.privateSealed, k.dataKeyId, k.createdAt, k.retiresAt, k.status],
      );
    });
  }

  async getEncryptionKey(kid: string): Promise<EncryptionKeyRow | null> {
    const rows = await this.db.query('SELECT * FROM encryption_keys WHERE kid = $1', [kid], 'enc_key_get');
    return rows[0] ? toEncryptionKey(rows[0]) : null;
  }

  async listEncryptionKeys(): Promise<EncryptionKeyRow[]> {
    return (await this.db.query('SELECT * FROM encryption_keys ORDER BY created_at DESC, kid DESC')).map(toEncryptionKey);
  }

  async scheduleEncryptionKeyRetirement(exceptKid: string, retiresAt: number): Promise<number> {
    const rows = await this.db.query(
      `UPDATE encryption_keys SET retires_at = $2 WHERE status = 'active' AND kid <> $1 AND (retires_at IS NULL OR retires_at > $2) RETURNING kid`,
      [exceptKid, retiresAt],
    );
    return rows.length;
  }

  async retireEncryptionKeys(now: number): Promise<string[]> {
    const rows = await this.db.query(
      `UPDATE encryption_keys SET status = 'retired' WHERE status = 'active' AND retires_at IS NOT NULL AND retires_at <= $1 RETURNING kid`,
      [now],
    );
    return rows.map((r) => String(r.kid));
  }

  // ---- secrets ----
  async getSecret(name: string): Promise<SecretRow | null> {
    const rows = await this.db.query('SELECT * FROM vault_secrets WHERE name = $1', [name]);
    return rows[0] ? toSecret(rows[0]) : null;
  }

  async putSecretIfAbsent(s: SecretRow): Promise<SecretRow> {
    await this.db.transaction(async (tx) => {
      await lockActiveKey(tx, s.dataKeyId);
      await tx.query(
        'INSERT INTO vault_secrets (name, sealed, data_key_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING',
        [s.name, s.sealed, s.dataKeyId, s.createdAt],
      );
    });
    const stored = await this.getSecret(s.name);
    if (stored === null) throw new Error('Secret vanished after insert.');
    return stored;
  }

  async purgeIdempotency(before: number): Promise<number> {
    const rows = await this.db.query('DELETE FROM idempotency_keys WHERE created_at < $1 RETURNING account_id', [before]);
    const charges = await this.db.query('DELETE FROM charge_idempotency_keys WHERE created_at < $1 RETURNING account_id', [before]);
    return rows.length + charges.length;
  }

  /** Raw SQL access for tests and maintenance (e.g. a dump of every table). */
  async rawQuery(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.db.query(text, params);
  }
}
