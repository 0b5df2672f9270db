/**
 * The one schema of the vault, as ordered, versioned migrations. The same SQL runs on PGlite and on
 * PostgreSQL (and Postgres-wire engines such as CockroachDB), so it sticks to portable types: text,
 * bigint (Unix milliseconds), integer and boolean; JSON is stored as text.
 *
 * Never edit a migration that has shipped: append a new one. `schema_migrations` records what ran.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    statements: [
      `CREATE TABLE accounts (
        id text PRIMARY KEY,
        name text NOT NULL,
        -- HMAC key for card fingerprints, sealed by the envelope (never in clear).
        fingerprint_key_sealed text NOT NULL,
        data_key_id text NOT NULL,
        created_at bigint NOT NULL
      )`,
      `CREATE TABLE api_keys (
        id text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts(id),
        kind text NOT NULL CHECK (kind IN ('publishable', 'secret')),
        livemode boolean NOT NULL,
        -- SHA-256 of the whole key: the only way a key is found. Secret keys are never stored.
        lookup_hash text NOT NULL UNIQUE,
        -- Publishable keys in full (they are public); secret keys as a redacted hint only.
        display text NOT NULL,
        allowed_origins text,
        created_at bigint NOT NULL,
        expires_at bigint,
        revoked_at bigint,
        rolled_to text
      )`,
      `CREATE INDEX api_keys_account ON api_keys (account_id)`,
      `CREATE TABLE data_keys (
        id text PRIMARY KEY,
        -- The AES-256 data key wrapped by the KEK; NULL once retired (crypto-shredded).
        wrapped text,
        status text NOT NULL CHECK (status IN ('active', 'decrypt_only', 'retired')),
        created_at bigint NOT NULL,
        retired_at bigint
      )`,
      `CREATE TABLE tokens (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        livemode boolean NOT NULL,
        -- number, CVC, name and billing details, sealed by the envelope. Nothing else holds them.
        card_sealed text NOT NULL,
        data_key_id text NOT NULL,
        fingerprint text NOT NULL,
        brand text NOT NULL,
        last4 text NOT NULL,
        exp_month integer NOT NULL,
        exp_year integer NOT NULL,
        client_token_id text,
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL,
        used_at bigint
      )`,
      `CREATE INDEX tokens_data_key ON tokens (data_key_id)`,
      `CREATE TABLE idempotency_keys (
        account_id text NOT NULL,
        idempotency_key text NOT NULL,
        -- Keyed HMAC of the request's meaning (decrypted card included): not reversible.
        request_hash text NOT NULL,
        token_id text NOT NULL,
        created_at bigint NOT NULL,
        PRIMARY KEY (account_id, idempotency_key)
      )`,
      `CREATE TABLE charges (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        livemode boolean NOT NULL,
        token_id text NOT NULL UNIQUE,
        amount bigint NOT NULL,
        currency text NOT NULL,
        description text,
        status text NOT NULL,
        failure_code text,
        brand text NOT NULL,
        last4 text NOT NULL,
        created_at bigint NOT NULL
      )`,
      `CREATE TABLE client_tokens (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        livemode boolean NOT NULL,
        max_uses integer NOT NULL,
        uses integer NOT NULL DEFAULT 0,
        allowed_origins text,
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL
      )`,
      `CREATE TABLE encryption_keys (
        kid text PRIMARY KEY,
        public_jwk text NOT NULL,
        private_sealed text NOT NULL,
        data_key_id text NOT NULL,
        created_at bigint NOT NULL,
        retires_at bigint,
        status text NOT NULL CHECK (status IN ('active', 'retired'))
      )`,
      `CREATE TABLE vault_secrets (
        name text PRIMARY KEY,
        sealed text NOT NULL,
        data_key_id text NOT NULL,
        created_at bigint NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: 'charge_idempotency_keys',
    statements: [
      // Idempotency-Key of POST /v1/charges: a namespace apart from the tokens' keys (a merchant's
      // "order-42" for a charge never meets a browser's key), per account and mode. A row is claimed
      // before the charge is attempted; the request is complete once `charge_id` exists in charges
      // (insertCharge is the completion: no second write, no window between them). No card data:
      // the request is only a keyed hash, the answer only a charge id.
      `CREATE TABLE charge_idempotency_keys (
        account_id text NOT NULL,
        livemode boolean NOT NULL,
        idempotency_key text NOT NULL,
        -- Keyed HMAC of token, amount, currency and description: not reversible.
        request_hash text NOT NULL,
        -- The charge this request makes (chosen when the key is claimed) or made.
        charge_id text NOT NULL,
        created_at bigint NOT NULL,
        PRIMARY KEY (account_id, livemode, idempotency_key)
      )`,
      `CREATE INDEX charge_idempotency_keys_created ON charge_idempotency_keys (created_at)`,
    ],
  },
  {
    version: 4,
    name: 'token_retention',
    statements: [
      // The retention sweep (store/tokens.ts) finds unused tokens by expiry without a table scan.
      `CREATE INDEX tokens_unused_expiry ON tokens (expires_at) WHERE used_at IS NULL`,
    ],
  },
  {
    version: 5,
    name: 'abuse_counters',
    statements: [
      // Rate buckets and card-testing counters shared by every vault process on the database
      // (store/abuse.ts). UNLOGGED: no WAL and no fsync per request; a database crash empties them,
      // which only restarts the windows. No card data: cards appear as their keyed fingerprint.
      `CREATE UNLOGGED TABLE abuse_buckets (
        name text PRIMARY KEY,
        tokens double precision NOT NULL,
        at bigint NOT NULL,
        rate double precision NOT NULL,
        burst double precision NOT NULL,
        ok boolean NOT NULL
      )`,
      `CREATE UNLOGGED TABLE abuse_seen (
        scope text NOT NULL,
        fingerprint text NOT NULL,
        win bigint NOT NULL,
        ip text,
        principal text,
        -- The window is in the key: a card seen again in the same window is a plain conflict
        -- (ON CONFLICT DO NOTHING takes no row lock), the hot path of a shopper retrying a card.
        PRIMARY KEY (scope, fingerprint, win)
      )`,
      `CREATE INDEX abuse_seen_fingerprint ON abuse_seen (fingerprint, win)`,
      `CREATE UNLOGGED TABLE abuse_counts (
        scope text NOT NULL,
        kind text NOT NULL,
        ip text,
        principal text,
        win bigint NOT NULL,
        n integer NOT NULL,
        PRIMARY KEY (scope, kind)
      )`,
      // Blocks are few and the operator lists them: an ordinary (logged) table.
      `CREATE TABLE abuse_blocks (
        scope text PRIMARY KEY,
        ip text,
        principal text,
        reason text NOT NULL,
        level integer NOT NULL,
        until bigint NOT NULL,
        created_at bigint NOT NULL
      )`,
    ],
  },
  {
    version: 6,
    name: 'key_lineage_and_origin_claims',
    statements: [
      // What created each key: 'operator' (the CLI / admin channel) or the id of the key that made
      // it through the API. NULL for keys made before this migration (their maker is unknown).
      // Revoking a key with cascade follows this column.
      `ALTER TABLE api_keys ADD COLUMN created_by text`,
      `CREATE INDEX api_keys_created_by ON api_keys (created_by)`,
      // Live origins belong to one account: the primary key makes a second account's claim fail in
      // the database itself, so two operators (or processes) claiming at once cannot both win.
      `CREATE TABLE origin_claims (
        origin text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts(id),
        claimed_at bigint NOT NULL,
        -- How the operator verified ownership (e.g. 'dns-txt', '.well-known'): free text, for audit.
        note text
      )`,
      `CREATE INDEX origin_claims_account ON origin_claims (account_id)`,
    ],
  },
  {
    version: 7,
    name: 'abuse_bucket_leases',
    statements: [
      // A vault takes a hot bucket's tokens a lease at a time (store/abuse.ts): the upsert records
      // how many it granted, which RETURNING reads (it sees only the new row).
      `ALTER TABLE abuse_buckets ADD COLUMN granted double precision NOT NULL DEFAULT 0`,
    ],
  },
];
