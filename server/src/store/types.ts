/** Rows and the storage interface of the vault. Times are Unix milliseconds. */
import type { KeyLineageStore } from './keys';
import type { OriginClaimStore } from './origins';
import type { AbuseStore } from './abuse';
import type { StoreEvent } from './events';

export interface AccountRow {
  id: string;
  name: string;
  fingerprintKeySealed: string;
  dataKeyId: string;
  createdAt: number;
}

export type ApiKeyKind = 'publishable' | 'secret';

export interface ApiKeyRow {
  id: string;
  accountId: string;
  kind: ApiKeyKind;
  livemode: boolean;
  lookupHash: string;
  display: string;
  allowedOrigins: string[] | null;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  rolledTo: string | null;
  /** 'operator', or the id of the key that created this one; null when unknown (before migration 6). */
  createdBy: string | null;
}

export type DataKeyStatus = 'active' | 'decrypt_only' | 'retired';

export interface DataKeyRow {
  id: string;
  wrapped: string | null;
  status: DataKeyStatus;
  createdAt: number;
  retiredAt: number | null;
}

export interface TokenRow {
  id: string;
  accountId: string;
  livemode: boolean;
  cardSealed: string;
  dataKeyId: string;
  fingerprint: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  clientTokenId: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface ChargeRow {
  id: string;
  accountId: string;
  livemode: boolean;
  tokenId: string;
  amount: number;
  currency: string;
  description: string | null;
  status: 'succeeded' | 'failed';
  failureCode: string | null;
  brand: string;
  last4: string;
  createdAt: number;
}

export interface ClientTokenRow {
  id: string;
  accountId: string;
  livemode: boolean;
  maxUses: number;
  uses: number;
  allowedOrigins: string[] | null;
  createdAt: number;
  expiresAt: number;
}

export interface EncryptionKeyRow {
  kid: string;
  publicJwk: string;
  privateSealed: string;
  dataKeyId: string;
  createdAt: number;
  retiresAt: number | null;
  status: 'active' | 'retired';
}

export interface SecretRow {
  name: string;
  sealed: string;
  dataKeyId: string;
  createdAt: number;
}

/** A sealed value somewhere in the database, for data-key rotation. */
export interface SealedRef {
  table: SealedTable;
  id: string;
  sealed: string;
}

export type SealedTable = 'accounts' | 'tokens' | 'encryption_keys' | 'vault_secrets';

export interface CreateTokenInput {
  token: TokenRow;
  /** With an idempotency key, the insert and the key's record happen in one statement. */
  idempotency?: { key: string; requestHash: string; staleBefore: number };
  /** A client token whose use is counted atomically with the insert. */
  clientTokenId?: string;
}

export type CreateTokenResult =
  | { kind: 'created' }
  | { kind: 'replay'; requestHash: string; tokenId: string }
  | { kind: 'client_token_exhausted' };

/** A token being spent on a charge (store/charges.ts). */
export interface ChargeTokenInput {
  tokenId: string;
  accountId: string;
  livemode: boolean;
  now: number;
  /** The sealed card as read and decrypted: the token is spent only if it is still this. */
  cardSealed: string;
  /** The same card sealed without its CVC, written in the same transaction. */
  strippedSealed: string;
  strippedDataKeyId: string;
}

/** What one retention sweep deleted (store/tokens.ts). */
export interface ExpiredTokensDeleted {
  deleted: number;
  /** The earliest expiry among the deleted tokens (Unix ms), or null. */
  oldestExpiredAt: number | null;
}

/** An Idempotency-Key of POST /v1/charges being claimed for one attempt. */
export interface ClaimChargeKeyInput {
  accountId: string;
  livemode: boolean;
  key: string;
  requestHash: string;
  /** The id the charge of this attempt will have: the claim's owner, then the stored answer. */
  chargeId: string;
  now: number;
  /** A record created before this (24 h) is forgotten and taken over. */
  staleBefore: number;
  /** A record without its charge created before this was abandoned (a crash) and is taken over. */
  abandonedBefore: number;
}

export type ClaimChargeKeyResult =
  | { kind: 'claimed' }
  /** The key is held: by a completed charge (`completed`), or by an attempt still in flight. */
  | { kind: 'replay'; requestHash: string; chargeId: string; completed: boolean };

/**
 * Everything the vault persists. One implementation ({@link SqlStore}) runs on two drivers:
 * PGlite (embedded, a data directory or `memory://`) and PostgreSQL through `pg`.
 */
export interface Store extends KeyLineageStore, OriginClaimStore {
  readonly backend: 'pglite' | 'postgres';
  /** The PGlite data directory (also where a generated KEK file lives), or null. */
  readonly dataDir: string | null;
  /** Rate buckets, card-testing counters and blocks (memory on PGlite, shared tables on PostgreSQL). */
  readonly abuse: AbuseStore;
  /** The schema (PostgreSQL) or `pglite`: what "this database" means for locks and notifications. */
  readonly scope: string;
  migrate(): Promise<number[]>;
  close(): Promise<void>;
  /** Runs `fn` as this database's only data-key rotation; throws RotationRunningError if one runs. */
  withRotationLock<R>(fn: () => Promise<R>): Promise<R>;
  /** Tells every vault on this database (PostgreSQL NOTIFY; nobody else to tell on PGlite). */
  publish(event: StoreEvent): Promise<void>;
  /** Follows other vaults' events; `reset` runs when some may have been missed. Resolves an unsubscribe. */
  subscribe(handlers: { event(e: StoreEvent): void; reset(): void }): Promise<() => Promise<void>>;

  // Every write of a sealed value (accounts, tokens, encryption keys, secrets, updateSealed) throws
  // StaleDataKeyError when its data key is no longer the active one: seal again (Envelope.write).

  insertAccount(row: AccountRow): Promise<void>;
  getAccount(id: string): Promise<AccountRow | null>;
  listAccounts(): Promise<AccountRow[]>;

  insertApiKey(row: ApiKeyRow): Promise<void>;
  getApiKey(id: string): Promise<ApiKeyRow | null>;
  findApiKeyByHash(lookupHash: string): Promise<ApiKeyRow | null>;
  listApiKeys(accountId: string): Promise<ApiKeyRow[]>;
  revokeApiKey(id: string, at: number): Promise<boolean>;
  /**
   * Inserts `next` and gives `oldId` an expiry, in one transaction. With `now`, only while the key
   * `next.createdBy` is still usable (a roll by a key that a revocation is reaching is refused).
   */
  rollApiKey(oldId: string, expiresAt: number, next: ApiKeyRow, now?: number): Promise<boolean>;

  insertDataKey(row: DataKeyRow): Promise<void>;
  getDataKey(id: string): Promise<DataKeyRow | null>;
  listDataKeys(): Promise<DataKeyRow[]>;
  /** Makes `id` the only active key; the previous active keys become decrypt-only. */
  activateDataKey(id: string): Promise<void>;
  retireDataKey(id: string, at: number): Promise<void>;
  listSealedNotUnder(dataKeyId: string, limit: number): Promise<SealedRef[]>;
  /** Compare-and-set: false when the row changed since it was read. */
  updateSealed(ref: SealedRef, sealed: string, dataKeyId: string): Promise<boolean>;

  createToken(input: CreateTokenInput): Promise<CreateTokenResult>;
  getToken(id: string): Promise<TokenRow | null>;
  /** Marks an unused, unexpired token of this account and mode used; null when it cannot be. */
  consumeToken(id: string, accountId: string, livemode: boolean, now: number): Promise<TokenRow | null>;

  insertCharge(row: ChargeRow): Promise<void>;
  /** Spends the token (used, CVC stripped) and inserts the charge `decide` returns, in one transaction. */
  chargeToken(input: ChargeTokenInput, decide: () => Promise<ChargeRow>): Promise<ChargeRow | null>;
  /** Deletes at most `limit` unused tokens expired at or before `now`, with their idempotency records. */
  deleteExpiredTokens(now: number, limit: number): Promise<ExpiredTokensDeleted>;
  getCharge(id: string): Promise<ChargeRow | null>;
  /**
   * Claims a charge's idempotency key in one statement: two concurrent requests with one key cannot
   * both claim it. The record completes when a charge with `chargeId` is inserted.
   */
  claimChargeKey(input: ClaimChargeKeyInput): Promise<ClaimChargeKeyResult>;
  /** Drops this attempt's claim (only if still its own and without a charge): a retry runs again. */
  releaseChargeKey(accountId: string, livemode: boolean, key: string, chargeId: string): Promise<void>;

  insertClientToken(row: ClientTokenRow): Promise<void>;
  getClientToken(id: string): Promise<ClientTokenRow | null>;

  insertEncryptionKey(row: EncryptionKeyRow): Promise<void>;
  getEncryptionKey(kid: string): Promise<EncryptionKeyRow | null>;
  listEncryptionKeys(): Promise<EncryptionKeyRow[]>;
  /** Gives every active key without a retirement date (other than `exceptKid`) one. */
  scheduleEncryptionKeyRetirement(exceptKid: string, retiresAt: number): Promise<number>;
  /** Marks keys whose retirement date has passed as retired; returns their kids. */
  retireEncryptionKeys(now: number): Promise<string[]>;

  getSecret(name: string): Promise<SecretRow | null>;
  /** Inserts unless present; returns the stored row (the first writer wins). */
  putSecretIfAbsent(row: SecretRow): Promise<SecretRow>;

  /** Deletes idempotency records (tokens' and charges') older than `before`. */
  purgeIdempotency(before: number): Promise<number>;
}
