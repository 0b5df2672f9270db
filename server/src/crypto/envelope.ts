import { createCipheriv, createDecipheriv, KeyObject, type webcrypto } from 'node:crypto';
import { newId, b64url, fromB64url } from './random';
import { StaleDataKeyError } from '../store/events';
import type { DataKeyRow, Store } from '../store/types';

type CryptoKey = webcrypto.CryptoKey;

const subtle = globalThis.crypto.subtle;
const encoder = new TextEncoder();
/** AES-GCM's 96-bit IV and 128-bit tag (WebCrypto's defaults, which sealed values before used). */
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** How often a server re-reads which data key is active (another process may have rotated). */
const ACTIVE_REFRESH_MS = 5_000;

/** Unwrapped keys of retired data keys stay in memory this long, for reads already in flight. */
const RETIRED_KEY_LINGER_MS = 5_000;

/** Rows a rotation re-encrypts at once. */
const REENCRYPT_PARALLEL = 8;

/** How many times a write sealed under a key that was just retired is sealed again. */
const STALE_RETRIES = 5;

export interface RotationResult {
  dataKeyId: string;
  reencrypted: number;
  retired: string[];
}

/** Where a rotation is (logged, and what the SIGKILL tests interrupt). */
export type RotationPhase = 'created' | 'activated' | 'batch' | 'swept' | 'retired';

/**
 * Envelope encryption of everything secret the vault stores (card data, fingerprint keys,
 * encryption private keys, signing secrets).
 *
 * - Each value is sealed with AES-256-GCM under a *data key*, with a fresh 96-bit IV and the
 *   row's identity as additional data, so a sealed value cannot be moved to another row.
 * - Data keys are stored only wrapped (AES-256-GCM) by the *key-encryption key* (KEK), which never
 *   touches the database. Unwrapped data keys live in memory as non-extractable CryptoKeys; values
 *   are sealed and opened through their node:crypto KeyObjects (the same key, the same AES-256-GCM
 *   from OpenSSL): a synchronous seal of a card costs a few µs of CPU where `subtle.encrypt` costs
 *   tens (a trip through the thread pool), and the vault's one thread is what limits its tokens/s.
 * - `rotate()` makes a new data key active, re-encrypts every sealed value under it while the
 *   server keeps serving, then retires the old keys by deleting their wrapped bytes.
 *
 * Sealed format: `v1.<data key id>.<iv b64url>.<ciphertext+tag b64url>`.
 */
export class Envelope {
  private readonly keys = new Map<string, KeyObject>();
  private activeId: string | null = null;
  private activeCheckedAt = 0;

  private constructor(
    private readonly store: Store,
    private readonly kek: CryptoKey,
  ) {}

  static async create(store: Store, kekBytes: Uint8Array): Promise<Envelope> {
    const kek = await subtle.importKey('raw', kekBytes as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt', 'decrypt']);
    const envelope = new Envelope(store, kek);
    await envelope.loadActive(true);
    return envelope;
  }

  /** The data key new values are sealed with. */
  get activeKeyId(): string {
    if (this.activeId === null) throw new Error('Envelope not initialised.');
    return this.activeId;
  }

  private async loadActive(createIfMissing: boolean): Promise<void> {
    const all = await this.store.listDataKeys();
    let active = all.filter((k) => k.status === 'active').at(-1);
    if (!active && createIfMissing) {
      active = await this.newDataKey('active');
    }
    if (!active) throw new Error('No active data key.');
    await this.unwrap(active);
    this.activeId = active.id;
    this.activeCheckedAt = Date.now();
  }

  private async newDataKey(status: 'active' | 'decrypt_only'): Promise<DataKeyRow> {
    const id = newId('dk', 16);
    const raw = globalThis.crypto.getRandomValues(new Uint8Array(32));
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
    const wrapped = new Uint8Array(
      await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(`cardvault:data_key:${id}`) }, this.kek, raw),
    );
    raw.fill(0);
    const row: DataKeyRow = { id, wrapped: `${b64url(iv)}.${b64url(wrapped)}`, status, createdAt: Date.now(), retiredAt: null };
    await this.store.insertDataKey(row);
    return row;
  }

  private async unwrap(row: DataKeyRow): Promise<KeyObject> {
    const cached = this.keys.get(row.id);
    if (cached) return cached;
    if (row.wrapped === null) throw new Error(`Data key ${row.id} is retired.`);
    const [iv, ct] = row.wrapped.split('.');
    let raw: Uint8Array;
    try {
      raw = new Uint8Array(
        await subtle.decrypt(
          { name: 'AES-GCM', iv: fromB64url(iv ?? '') as Uint8Array<ArrayBuffer>, additionalData: encoder.encode(`cardvault:data_key:${row.id}`) },
          this.kek,
          fromB64url(ct ?? '') as Uint8Array<ArrayBuffer>,
        ),
      );
    } catch {
      throw new Error(
        'The key-encryption key (CARDVAULT_KEK / CARDVAULT_KEK_FILE / <data dir>/kek) does not match the one this database was created with.',
      );
    }
    const key = KeyObject.from(await subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt', 'decrypt']));
    raw.fill(0);
    this.keys.set(row.id, key);
    return key;
  }

  private async keyFor(id: string): Promise<KeyObject> {
    const cached = this.keys.get(id);
    if (cached) return cached;
    // Sealed by another process under a key this one has not seen yet.
    const row = await this.store.getDataKey(id);
    if (!row) throw new Error(`Unknown data key ${id}.`);
    return this.unwrap(row);
  }

  private async current(): Promise<{ id: string; key: KeyObject }> {
    if (Date.now() - this.activeCheckedAt > ACTIVE_REFRESH_MS) {
      this.activeCheckedAt = Date.now();
      // Off the hot path's critical section: a stale id for a moment is harmless.
      void this.loadActive(false).catch(() => {});
    }
    const id = this.activeKeyId;
    return { id, key: await this.keyFor(id) };
  }

  /** Re-reads the active data key now (another vault rotated) and forgets retired keys soon. */
  async refresh(): Promise<void> {
    await this.loadActive(false);
    for (const row of await this.store.listDataKeys()) {
      if (row.status === 'retired' && this.keys.has(row.id)) this.forgetSoon(row.id);
    }
  }

  private forgetSoon(id: string): void {
    setTimeout(() => this.keys.delete(id), RETIRED_KEY_LINGER_MS).unref();
  }

  /**
   * Writes a sealed value: `write` stores it (a store write under the ACTIVE_KEY rule). When its
   * data key was retired meanwhile (StaleDataKeyError), re-reads the active key, seals again and
   * writes again: a value is never stored under a key a rotation is retiring.
   *
   * @param first a value already sealed (in parallel with other work), or null to seal here.
   */
  async write<R>(
    first: { sealed: string; dataKeyId: string } | null,
    plaintext: string | Uint8Array,
    aad: string,
    write: (s: { sealed: string; dataKeyId: string }) => Promise<R>,
  ): Promise<R> {
    let sealed = first ?? (await this.seal(plaintext, aad));
    for (let attempt = 0; ; attempt++) {
      try {
        return await write(sealed);
      } catch (error) {
        if (!(error instanceof StaleDataKeyError) || attempt >= STALE_RETRIES) throw error;
        await this.refresh();
        sealed = await this.seal(plaintext, aad);
      }
    }
  }

  /**
   * Seals `plaintext` under the active data key, bound to `aad` (e.g. `token:tok_…`).
   * @example const { sealed, dataKeyId } = await envelope.seal(JSON.stringify(card), `token:${id}`);
   */
  async seal(plaintext: string | Uint8Array, aad: string): Promise<{ sealed: string; dataKeyId: string }> {
    const { id, key } = await this.current();
    return { sealed: await this.sealWith(id, key, plaintext, aad), dataKeyId: id };
  }

  private async sealWith(id: string, key: KeyObject, plaintext: string | Uint8Array, aad: string): Promise<string> {
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES }).setAAD(encoder.encode(aad));
    const data = typeof plaintext === 'string' ? encoder.encode(plaintext) : plaintext;
    // WebCrypto's layout: ciphertext then tag.
    const ct = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
    return `v1.${id}.${b64url(iv)}.${b64url(ct)}`;
  }

  /** Opens a sealed value; throws if it was tampered with or moved to another row. */
  async open(sealed: string, aad: string): Promise<Uint8Array> {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1') throw new Error('Malformed sealed value.');
    const key = await this.keyFor(parts[1]!);
    const iv = fromB64url(parts[2]!);
    const ct = fromB64url(parts[3]!);
    if (iv.length !== IV_BYTES || ct.length < TAG_BYTES) throw new Error('Malformed sealed value.');
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
      .setAAD(encoder.encode(aad))
      .setAuthTag(ct.subarray(ct.length - TAG_BYTES));
    // GCM gives every byte from update(); final() only checks the tag, and throws when it does not
    // match (tampered, or another row's value). No copy: callers zero what they are given.
    const plain = decipher.update(ct.subarray(0, ct.length - TAG_BYTES));
    try {
      decipher.final();
    } catch (error) {
      plain.fill(0);
      throw error;
    }
    return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
  }

  async openText(sealed: string, aad: string): Promise<string> {
    return new TextDecoder().decode(await this.open(sealed, aad));
  }

  /**
   * Rotates the data key while the vault keeps serving, as this database's only rotation (a lock in
   * the database; a second one is refused with RotationRunningError):
   * 1. a new key is created and activated. Activation waits for every write still sealing under the
   *    old key (the ACTIVE_KEY rule in the store), and no write can use the old key after it.
   * 2. every sealed value not under the new key is re-encrypted, compare-and-set on the sealed
   *    value, until none is left;
   * 3. every older key is retired (its wrapped bytes deleted), and the database is checked: no row
   *    left under another key, or this throws.
   * Killed at any point, it leaves every row readable (keys are retired only after step 2), and a
   * new run finishes the work.
   */
  async rotate(options: { batchSize?: number; now?: number; onPhase?: (phase: RotationPhase, detail: Record<string, unknown>) => void } = {}): Promise<RotationResult> {
    return this.store.withRotationLock(() => this.rotateLocked(options));
  }

  private async rotateLocked(options: { batchSize?: number; now?: number; onPhase?: (phase: RotationPhase, detail: Record<string, unknown>) => void }): Promise<RotationResult> {
    const batchSize = options.batchSize ?? 500;
    const phase = options.onPhase ?? (() => {});
    const next = await this.newDataKey('decrypt_only');
    const nextKey = await this.unwrap(next);
    phase('created', { data_key_id: next.id });
    await this.store.activateDataKey(next.id);
    this.activeId = next.id;
    this.activeCheckedAt = Date.now();
    // Other vaults switch now instead of at their first refused write.
    await this.store.publish({ t: 'data_key' });
    phase('activated', { data_key_id: next.id });
    let reencrypted = 0;
    let converged = false;
    for (let pass = 0; pass < 10_000; pass++) {
      const batch = await this.store.listSealedNotUnder(next.id, batchSize);
      if (batch.length === 0) {
        converged = true;
        break;
      }
      // A few rows at a time: each update is a round trip, and a pool has several connections.
      for (let i = 0; i < batch.length; i += REENCRYPT_PARALLEL) {
        const done = await Promise.all(
          batch.slice(i, i + REENCRYPT_PARALLEL).map(async (ref) => {
            const aad = aadFor(ref.table, ref.id);
            const plain = await this.open(ref.sealed, aad);
            const sealed = await this.sealWith(next.id, nextKey, plain, aad);
            plain.fill(0);
            // Compare-and-set: a row changed meanwhile (e.g. its CVC stripped) is read again next
            // batch, so an older content is never written back.
            return this.store.updateSealed(ref, sealed, next.id);
          }),
        );
        reencrypted += done.filter(Boolean).length;
      }
      phase('batch', { reencrypted });
    }
    if (!converged) throw new Error('Data-key rotation did not converge; run it again.');
    phase('swept', { reencrypted });
    const retired: string[] = [];
    for (const key of await this.store.listDataKeys()) {
      if (key.id !== next.id && key.status !== 'retired') {
        await this.store.retireDataKey(key.id, options.now ?? Date.now());
        this.forgetSoon(key.id);
        retired.push(key.id);
      }
    }
    await this.store.publish({ t: 'data_key' });
    const left = await this.store.listSealedNotUnder(next.id, 1);
    if (left.length > 0) throw new Error(`Data-key rotation left ${left[0]!.table} ${left[0]!.id} under another key; run it again.`);
    phase('retired', { retired });
    return { dataKeyId: next.id, reencrypted, retired };
  }
}

/** The additional authenticated data that binds a sealed value to its row. */
export function aadFor(table: string, id: string): string {
  return `${table}:${id}`;
}
