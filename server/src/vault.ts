import { createHmac, KeyObject, type webcrypto } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { CardvaultError } from '../../src/errors';
import { Abuse, type AbuseOptions } from './abuse';
import { aadFor, Envelope, type RotationResult } from './crypto/envelope';
import { generateEncryptionKey, type EncryptionKeyRecord } from './crypto/jwe-keys';
import { resolveKek } from './crypto/kek';
import { newId, randomBase62, sha256Hex } from './crypto/random';
import { assertMayManage, createdBy, OPERATOR, type KeyActor } from './key-scopes';
import { jsonLineSink, Logger, type LogSink } from './log';
import { OriginClaims } from './origin-claims';
import type { AccountRow, ApiKeyKind, ApiKeyRow, EncryptionKeyRow, Store } from './store/types';

type CryptoKey = webcrypto.CryptoKey;
type JsonWebKey = webcrypto.JsonWebKey;

const subtle = globalThis.crypto.subtle;

export interface VaultOptions {
  store: Store;
  /** The key-encryption key (32 bytes, or base64). Default: env / key file / generated, see resolveKek. */
  kek?: Uint8Array | string;
  env?: NodeJS.ProcessEnv;
  /** Clock in Unix ms (tests inject one). */
  now?: () => number;
  log?: LogSink;
  /** Token lifetime; default 900 s (15 minutes). */
  tokenTtlSeconds?: number;
  abuse?: AbuseOptions;
  /**
   * Origins that serve Cardvault's card frames (default: env CARDVAULT_FRAME_ORIGINS, comma
   * separated). A tokenization from one of them is checked against the key's allowed origins with
   * the `host_origin` the frame attests, not with the frame's own Origin.
   */
  frameOrigins?: readonly string[];
}

/** A key as created: the row and, once only, the full secret. */
export interface CreatedKey {
  row: ApiKeyRow;
  secret: string;
}

/** How long an idempotency key (tokens' and charges') is remembered: 24 hours. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

const KEY_CACHE_MS = 5_000;
const FALLBACK_KEY_CACHE_MS = 1_000;
const ENC_KEY_CACHE_MS = 5_000;

/** A client token's verified claims. */
export interface ClientTokenClaims {
  id: string;
  accountId: string;
  livemode: boolean;
  allowedOrigins: string[] | null;
}

const ephemeralKeks = new WeakMap<Store, Uint8Array>();

/**
 * The vault's core: storage, envelope encryption, key material and caches. The HTTP layer
 * (app.ts) and the CLI both work through it.
 */
export class Vault {
  readonly now: () => number;
  readonly log: Logger;
  readonly abuse: Abuse;
  readonly tokenTtlMs: number;
  readonly frameOrigins: ReadonlySet<string>;
  /** Which account each live origin belongs to (origin-claims.ts). */
  readonly origins: OriginClaims;
  private readonly apiKeyCache = new Map<string, { row: ApiKeyRow; at: number }>();
  private readonly fingerprintKeys = new Map<string, KeyObject>();
  private readonly encKeyCache = new Map<string, { row: EncryptionKeyRow; privateJwk: JsonWebKey; at: number }>();
  private publicKeysCache: { keys: unknown[]; at: number } | null = null;
  private signingKey: Uint8Array | null = null;
  /** True while this vault receives the store's events (PostgreSQL LISTEN connected). */
  private following = false;

  private constructor(
    readonly store: Store,
    readonly envelope: Envelope,
    options: VaultOptions,
    logger: Logger,
  ) {
    this.now = options.now ?? Date.now;
    this.log = logger;
    this.abuse = new Abuse(options.abuse ?? {}, this.now, store.abuse, logger);
    this.tokenTtlMs = (options.tokenTtlSeconds ?? 900) * 1000;
    const frames = options.frameOrigins ?? (options.env ?? process.env).CARDVAULT_FRAME_ORIGINS?.split(',') ?? [];
    this.frameOrigins = new Set(frames.map((o) => o.trim()).filter(Boolean));
    this.origins = new OriginClaims(store, this.now);
  }

  static async create(options: VaultOptions): Promise<Vault> {
    const logger = new Logger(options.log ?? jsonLineSink());
    let kekBytes: Uint8Array;
    if (options.kek !== undefined) {
      kekBytes = typeof options.kek === 'string' ? new Uint8Array(Buffer.from(options.kek, 'base64')) : options.kek;
      if (kekBytes.length !== 32) throw new Error('The KEK must be 32 bytes.');
    } else {
      const ephemeral = ephemeralKeks.get(options.store);
      if (ephemeral) kekBytes = ephemeral;
      else {
        const found = resolveKek(options.env ?? process.env, options.store.dataDir);
        kekBytes = found.bytes;
        if (found.source === 'generated-file') {
          logger.warn('kek_created', {
            path: found.path,
            note: 'Created a new key-encryption key (0600). Back it up: without it stored cards cannot be decrypted. In production set CARDVAULT_KEK or CARDVAULT_KEK_FILE.',
          });
        } else if (found.source === 'ephemeral') {
          logger.warn('kek_ephemeral', { note: 'No KEK configured and no data directory: using an in-memory key (data is lost on exit).' });
          ephemeralKeks.set(options.store, kekBytes);
        }
      }
    }
    const envelope = await Envelope.create(options.store, kekBytes);
    return new Vault(options.store, envelope, options, logger);
  }

  // ---------------------------------------------------------------- accounts and API keys

  async createAccount(name: string, id = newId('acct', 16)): Promise<AccountRow> {
    const raw = globalThis.crypto.getRandomValues(new Uint8Array(32));
    const row = await this.envelope.write(null, raw, aadFor('accounts', id), async ({ sealed, dataKeyId }) => {
      const r: AccountRow = { id, name, fingerprintKeySealed: sealed, dataKeyId, createdAt: this.now() };
      await this.store.insertAccount(r);
      return r;
    });
    raw.fill(0);
    return row;
  }

  /**
   * Creates an API key for `actor` (default: the operator; the HTTP API passes the calling secret
   * key, which may create publishable keys only). Live publishable keys need an origin allow-list
   * (a live key usable from any page would invite card testing) of origins their account has
   * claimed; test keys allow any origin unless given a list.
   */
  async createApiKey(
    accountId: string,
    kind: ApiKeyKind,
    livemode: boolean,
    allowedOrigins: string[] | null = null,
    secret?: string,
    actor: KeyActor = OPERATOR,
  ): Promise<CreatedKey> {
    assertMayManage(actor, kind, 'create');
    if (kind === 'publishable' && livemode && (allowedOrigins === null || allowedOrigins.length === 0)) {
      throw new CardvaultError('parameter_missing', {
        param: 'allowed_origins',
        message: 'Live publishable keys require allowed_origins (the pages allowed to use them).',
      });
    }
    // A live key lists only its own account's origins: no account's key passes for another's page.
    if (kind === 'publishable' && livemode) await this.origins.assertListable(accountId, allowedOrigins ?? []);
    const full = secret ?? `${kind === 'publishable' ? 'pk' : 'sk'}_${livemode ? 'live' : 'test'}_${randomBase62(24)}`;
    const row: ApiKeyRow = {
      id: newId('key', 16),
      accountId,
      kind,
      livemode,
      lookupHash: sha256Hex(full),
      // Secret keys are never stored: only their hash, and this hint for humans.
      display: kind === 'publishable' ? full : `${full.slice(0, 8)}…${full.slice(-4)}`,
      allowedOrigins: kind === 'publishable' ? allowedOrigins : null,
      createdAt: this.now(),
      expiresAt: null,
      revokedAt: null,
      rolledTo: null,
      createdBy: createdBy(actor),
    };
    if (actor.kind === 'operator') await this.store.insertApiKey(row);
    // Made by a key: only while that key is usable in the database, not merely in a process's
    // 5 s cache, so a cascading revocation cannot miss a key its target is making meanwhile.
    else if (!(await this.store.insertApiKeyByKey(row, this.now()))) await this.refuseStaleActor(actor);
    return { row, secret: full };
  }

  /** A key actor the database no longer accepts (revoked or expired since it authenticated). */
  private async refuseStaleActor(actor: KeyActor): Promise<never> {
    if (actor.kind === 'key') this.forget(actor.key);
    const current = actor.kind === 'key' ? await this.store.getApiKey(actor.key.id) : null;
    throw new CardvaultError(current !== null && current.revokedAt === null ? 'api_key_expired' : 'api_key_revoked');
  }

  /** Finds a key by its full secret; throws the coded authentication error. Cached for 5 s. */
  async authenticate(secret: string): Promise<ApiKeyRow> {
    const hash = sha256Hex(secret);
    const now = this.now();
    let cached = this.apiKeyCache.get(hash);
    // Revocations reach this cache through the store's events; without them (PostgreSQL with the
    // LISTEN connection down) a cached row is trusted for a second at most.
    const ttl = this.store.backend === 'postgres' && !this.following ? FALLBACK_KEY_CACHE_MS : KEY_CACHE_MS;
    if (!cached || Date.now() - cached.at > ttl) {
      const row = await this.store.findApiKeyByHash(hash);
      if (!row) {
        this.apiKeyCache.delete(hash);
        throw new CardvaultError('api_key_invalid');
      }
      if (this.apiKeyCache.size > 10_000) this.apiKeyCache.clear();
      cached = { row, at: Date.now() };
      this.apiKeyCache.set(hash, cached);
    }
    const row = cached.row;
    if (row.revokedAt !== null) throw new CardvaultError('api_key_revoked');
    if (row.expiresAt !== null && row.expiresAt <= now) throw new CardvaultError('api_key_expired');
    return row;
  }

  private forget(row: ApiKeyRow): void {
    this.apiKeyCache.delete(row.lookupHash);
  }

  /**
   * Revokes a key, effective at once in this process (other processes: within the 5 s cache).
   * With `cascade`, also every key it created, at any depth; `cascaded` lists their ids.
   */
  async revokeApiKey(
    accountId: string,
    id: string,
    options: { actor?: KeyActor; cascade?: boolean } = {},
  ): Promise<{ key: ApiKeyRow; cascaded: string[] }> {
    const row = await this.store.getApiKey(id);
    if (!row || row.accountId !== accountId) throw new CardvaultError('resource_missing', { param: 'id' });
    assertMayManage(options.actor ?? OPERATOR, row.kind, 'revoke');
    const revoked = await this.store.revokeApiKeys(id, this.now(), options.cascade ?? false);
    this.forget(row);
    // Every other vault on this database drops the keys within moments (PostgreSQL NOTIFY).
    for (const r of revoked) {
      this.apiKeyCache.delete(r.lookupHash);
      await this.store.publish({ t: 'api_key', hash: r.lookupHash });
    }
    return { key: (await this.store.getApiKey(id)) ?? row, cascaded: revoked.map((r) => r.id).filter((r) => r !== id) };
  }

  /** Issues a replacement key; the old one keeps working for `graceSeconds`, then expires. */
  async rollApiKey(
    accountId: string,
    id: string,
    graceSeconds: number,
    actor: KeyActor = OPERATOR,
  ): Promise<{ old: ApiKeyRow; created: CreatedKey }> {
    const row = await this.store.getApiKey(id);
    if (!row || row.accountId !== accountId) throw new CardvaultError('resource_missing', { param: 'id' });
    assertMayManage(actor, row.kind, 'roll');
    if (row.revokedAt !== null || row.rolledTo !== null || (row.expiresAt !== null && row.expiresAt <= this.now())) {
      throw new CardvaultError('parameter_invalid', { param: 'id', message: 'This key was already revoked or rolled.' });
    }
    const full = `${row.kind === 'publishable' ? 'pk' : 'sk'}_${row.livemode ? 'live' : 'test'}_${randomBase62(24)}`;
    const next: ApiKeyRow = {
      ...row,
      id: newId('key', 16),
      lookupHash: sha256Hex(full),
      display: row.kind === 'publishable' ? full : `${full.slice(0, 8)}…${full.slice(-4)}`,
      createdAt: this.now(),
      expiresAt: null,
      revokedAt: null,
      rolledTo: null,
      // The replacement is the roller's: a key a leaked key rolled goes with the leaked key's cascade.
      createdBy: createdBy(actor),
    };
    if (next.kind === 'publishable' && next.livemode) await this.origins.assertListable(accountId, next.allowedOrigins ?? []);
    if (!(await this.store.rollApiKey(id, this.now() + graceSeconds * 1000, next, actor.kind === 'key' ? this.now() : undefined))) {
      const current = actor.kind === 'key' ? await this.store.getApiKey(actor.key.id) : null;
      if (current !== null && (current.revokedAt !== null || (current.expiresAt !== null && current.expiresAt <= this.now()))) await this.refuseStaleActor(actor);
      throw new CardvaultError('parameter_invalid', { param: 'id', message: 'This key was already revoked or rolled.' });
    }
    this.forget(row);
    await this.store.publish({ t: 'api_key', hash: row.lookupHash });
    return { old: (await this.store.getApiKey(id)) ?? row, created: { row: next, secret: full } };
  }

  // ---------------------------------------------------------------- fingerprints and hashes

  /**
   * The account's fingerprint key, imported once as a non-extractable WebCrypto key and used through
   * its node:crypto KeyObject: a synchronous HMAC of a few dozen bytes costs about 5 µs of CPU where
   * `subtle.sign` costs about 40 µs (a trip through the thread pool), twice per tokenization.
   */
  private async fingerprintKey(accountId: string): Promise<KeyObject> {
    const cached = this.fingerprintKeys.get(accountId);
    if (cached) return cached;
    const account = await this.store.getAccount(accountId);
    if (!account) throw new CardvaultError('api_key_invalid');
    const raw = await this.envelope.open(account.fingerprintKeySealed, aadFor('accounts', accountId));
    const key = await subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    raw.fill(0);
    const object = KeyObject.from(key);
    this.fingerprintKeys.set(accountId, object);
    return object;
  }

  /** A stable, non-reversible card fingerprint: HMAC-SHA256 keyed per account (16 base64url chars). */
  async fingerprint(accountId: string, number: string): Promise<string> {
    const mac = createHmac('sha256', await this.fingerprintKey(accountId)).update(`fingerprint\u0000${number}`).digest();
    return mac.subarray(0, 12).toString('base64url');
  }

  /** Keyed hash of a request's meaning, for idempotency (the card is inside, so never a plain hash). */
  async requestHash(accountId: string, canonical: string): Promise<string> {
    return createHmac('sha256', await this.fingerprintKey(accountId)).update(`idempotency\u0000${canonical}`).digest('base64url');
  }

  // ---------------------------------------------------------------- client tokens

  private async clientTokenKey(): Promise<Uint8Array> {
    if (this.signingKey) return this.signingKey;
    let row = await this.store.getSecret('client_token_hs256');
    if (!row) {
      const raw = globalThis.crypto.getRandomValues(new Uint8Array(32));
      row = await this.envelope.write(null, raw, aadFor('vault_secrets', 'client_token_hs256'), ({ sealed, dataKeyId }) =>
        this.store.putSecretIfAbsent({ name: 'client_token_hs256', sealed, dataKeyId, createdAt: this.now() }),
      );
    }
    this.signingKey = await this.envelope.open(row.sealed, aadFor('vault_secrets', 'client_token_hs256'));
    return this.signingKey;
  }

  /** Mints a client token: `ct_(test|live)_<JWS HS256>`, its uses counted in the database. */
  async createClientToken(
    accountId: string,
    livemode: boolean,
    options: { maxUses: number; ttlSeconds: number; allowedOrigins: string[] | null },
  ): Promise<{ id: string; secret: string; expiresAt: number }> {
    // A live client token lists only its own account's origins (and without a list, it is held to
    // them when it tokenizes: routes/tokens.ts).
    if (livemode && options.allowedOrigins) await this.origins.assertListable(accountId, options.allowedOrigins);
    const id = newId('ctok', 20);
    const now = this.now();
    const expiresAt = now + options.ttlSeconds * 1000;
    await this.store.insertClientToken({
      id,
      accountId,
      livemode,
      maxUses: options.maxUses,
      uses: 0,
      allowedOrigins: options.allowedOrigins,
      createdAt: now,
      expiresAt,
    });
    const claims: Record<string, unknown> = { lm: livemode };
    if (options.allowedOrigins) claims.ori = options.allowedOrigins;
    const jws = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('cardvault')
      .setSubject(accountId)
      .setJti(id)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(await this.clientTokenKey());
    return { id, secret: `ct_${livemode ? 'live' : 'test'}_${jws}`, expiresAt };
  }

  /** Verifies a client token's signature, expiry and mode. Uses are counted when a token is made. */
  async verifyClientToken(secret: string): Promise<ClientTokenClaims> {
    const m = /^ct_(test|live)_([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(secret);
    if (!m) throw new CardvaultError('client_token_invalid', { param: 'client_token' });
    let payload;
    try {
      ({ payload } = await jwtVerify(m[2]!, await this.clientTokenKey(), {
        algorithms: ['HS256'],
        issuer: 'cardvault',
        currentDate: new Date(this.now()),
        requiredClaims: ['sub', 'jti', 'exp'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new CardvaultError('client_token_expired', { param: 'client_token' });
      throw new CardvaultError('client_token_invalid', { param: 'client_token' });
    }
    const livemode = m[1] === 'live';
    // The prefix is what the SDK reads; it must agree with the signed claim.
    if (payload.lm !== livemode) throw new CardvaultError('client_token_invalid', { param: 'client_token' });
    const ori = Array.isArray(payload.ori) ? payload.ori.map(String) : null;
    return { id: String(payload.jti), accountId: String(payload.sub), livemode, allowedOrigins: ori };
  }

  // ---------------------------------------------------------------- encryption keys (JWE)

  /** Makes sure at least one usable encryption key exists (serve / init call this). */
  async ensureEncryptionKey(): Promise<void> {
    const now = this.now();
    const keys = await this.store.listEncryptionKeys();
    if (keys.some((k) => isUsable(k, now))) return;
    await this.addEncryptionKey();
  }

  private async addEncryptionKey(): Promise<string> {
    const { kid, publicJwk, privateJwk } = await generateEncryptionKey();
    // "Newest first" must hold even when two keys are made within one clock tick.
    const newest = (await this.store.listEncryptionKeys())[0]?.createdAt ?? 0;
    await this.envelope.write(null, JSON.stringify(privateJwk), aadFor('encryption_keys', kid), ({ sealed, dataKeyId }) =>
      this.store.insertEncryptionKey({
        kid,
        publicJwk: JSON.stringify(publicJwk),
        privateSealed: sealed,
        dataKeyId,
        createdAt: Math.max(this.now(), newest + 1),
        retiresAt: null,
        status: 'active',
      }),
    );
    this.publicKeysCache = null;
    await this.store.publish({ t: 'encryption_key' });
    return kid;
  }

  /**
   * Adds a new encryption key; the older ones stay accepted for `graceSeconds` (keep it above the
   * 300 s the key set may be cached by browsers), then `retireEncryptionKeys()` retires them.
   */
  async rotateEncryptionKey(graceSeconds: number): Promise<{ kid: string; scheduled: number }> {
    const kid = await this.addEncryptionKey();
    const scheduled = await this.store.scheduleEncryptionKeyRetirement(kid, this.now() + graceSeconds * 1000);
    this.encKeyCache.clear();
    this.publicKeysCache = null;
    await this.store.publish({ t: 'encryption_key' });
    return { kid, scheduled };
  }

  async retireEncryptionKeys(): Promise<string[]> {
    const retired = await this.store.retireEncryptionKeys(this.now());
    this.encKeyCache.clear();
    this.publicKeysCache = null;
    if (retired.length > 0) await this.store.publish({ t: 'encryption_key' });
    return retired;
  }

  /** The published key set: usable public keys, newest first. Cached for 5 s. */
  async publicEncryptionKeys(): Promise<unknown[]> {
    const c = this.publicKeysCache;
    if (c && Date.now() - c.at < ENC_KEY_CACHE_MS) return c.keys;
    const now = this.now();
    const keys = (await this.store.listEncryptionKeys()).filter((k) => isUsable(k, now)).map((k) => JSON.parse(k.publicJwk) as unknown);
    this.publicKeysCache = { keys, at: Date.now() };
    return keys;
  }

  /** The lookup `decryptCardPayload` calls: the private key for a kid and whether it is usable. */
  readonly lookupEncryptionKey = async (kid: string): Promise<EncryptionKeyRecord | null> => {
    let entry = this.encKeyCache.get(kid);
    if (!entry || Date.now() - entry.at > ENC_KEY_CACHE_MS) {
      const row = await this.store.getEncryptionKey(kid);
      if (!row) return null;
      const privateJwk =
        entry?.privateJwk ?? (JSON.parse(await this.envelope.openText(row.privateSealed, aadFor('encryption_keys', kid))) as JsonWebKey);
      if (this.encKeyCache.size > 64) this.encKeyCache.clear();
      entry = { row, privateJwk, at: Date.now() };
      this.encKeyCache.set(kid, entry);
    }
    return { privateJwk: entry.privateJwk, usable: isUsable(entry.row, this.now()) };
  };

  // ---------------------------------------------------------------- maintenance

  /**
   * Re-encrypts all stored secrets under a new data key, then retires the old ones; one rotation
   * per database at a time (RotationRunningError otherwise). See Envelope.rotate.
   */
  async rotateDataKey(options: { batchSize?: number } = {}): Promise<RotationResult> {
    const result = await this.envelope.rotate({
      ...options,
      now: this.now(),
      onPhase: (phase, detail) => this.log.info('data_key_rotation', { phase, ...detail }),
    });
    this.log.info('data_key_rotated', { data_key_id: result.dataKeyId, reencrypted: result.reencrypted, retired: result.retired });
    return result;
  }

  /**
   * Follows the other vaults on this database (PostgreSQL LISTEN/NOTIFY): a revoked or rolled key,
   * a new data key, a changed JWE key set reach this vault's caches within moments. A serving vault
   * calls this once; resolves the unsubscribe.
   */
  async follow(): Promise<() => Promise<void>> {
    const unsubscribe = await this.store.subscribe({
      event: (e) => {
        if (e.t === 'api_key') this.apiKeyCache.delete(e.hash);
        else if (e.t === 'data_key') void this.envelope.refresh().catch(() => {});
        else {
          this.encKeyCache.clear();
          this.publicKeysCache = null;
        }
      },
      // Events may have been missed (the LISTEN connection was lost): drop everything cached.
      reset: () => {
        this.apiKeyCache.clear();
        this.encKeyCache.clear();
        this.publicKeysCache = null;
        void this.envelope.refresh().catch(() => {});
      },
    });
    this.following = true;
    return async () => {
      this.following = false;
      await unsubscribe();
    };
  }

  /** Deletes idempotency records past their 24 h. */
  async purge(): Promise<void> {
    await this.store.purgeIdempotency(this.now() - IDEMPOTENCY_TTL_MS);
  }
}

function isUsable(k: EncryptionKeyRow, now: number): boolean {
  return k.status === 'active' && (k.retiresAt === null || k.retiresAt > now);
}
