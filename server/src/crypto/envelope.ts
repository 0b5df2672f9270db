import type { webcrypto } from 'node:crypto';
import { newId, b64url, fromB64url } from './random';
import type { DataKeyRow, Store } from '../store/types';

type CryptoKey = webcrypto.CryptoKey;

const subtle = globalThis.crypto.subtle;
const encoder = new TextEncoder();

/** How often a server re-reads which data key is active (another process may have rotated). */
const ACTIVE_REFRESH_MS = 5_000;

export interface RotationResult {
  dataKeyId: string;
  reencrypted: number;
  retired: string[];
}

/**
 * Envelope encryption of everything secret the vault stores (card data, fingerprint keys,
 * encryption private keys, signing secrets).
 *
 * - Each value is sealed with AES-256-GCM under a *data key*, with a fresh 96-bit IV and the
 *   row's identity as additional data, so a sealed value cannot be moved to another row.
 * - Data keys are stored only wrapped (AES-256-GCM) by the *key-encryption key* (KEK), which never
 *   touches the database. Unwrapped data keys live in memory as non-extractable CryptoKeys.
 * - `rotate()` makes a new data key active, re-encrypts every sealed value under it while the
 *   server keeps serving, then retires the old keys by deleting their wrapped bytes.
 *
 * Sealed format: `v1.<data key id>.<iv b64url>.<ciphertext+tag b64url>`.
 */
export class Envelope {
  private readonly keys = new Map<string, CryptoKey>();
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

  private async unwrap(row: DataKeyRow): Promise<CryptoKey> {
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
    const key = await subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt', 'decrypt']);
    raw.fill(0);
    this.keys.set(row.id, key);
    return key;
  }

  private async keyFor(id: string): Promise<CryptoKey> {
    const cached = this.keys.get(id);
    if (cached) return cached;
    // Sealed by another process under a key this one has not seen yet.
    const row = await this.store.getDataKey(id);
    if (!row) throw new Error(`Unknown data key ${id}.`);
    return this.unwrap(row);
  }

  private async current(): Promise<{ id: string; key: CryptoKey }> {
    if (Date.now() - this.activeCheckedAt > ACTIVE_REFRESH_MS) {
      this.activeCheckedAt = Date.now();
      // Off the hot path's critical section: a stale id for a moment is harmless.
      void this.loadActive(false).catch(() => {});
    }
    const id = this.activeKeyId;
    return { id, key: await this.keyFor(id) };
  }

  /**
   * Seals `plaintext` under the active data key, bound to `aad` (e.g. `token:tok_…`).
   * @example const { sealed, dataKeyId } = await envelope.seal(JSON.stringify(card), `token:${id}`);
   */
  async seal(plaintext: string | Uint8Array, aad: string): Promise<{ sealed: string; dataKeyId: string }> {
    const { id, key } = await this.current();
    return { sealed: await this.sealWith(id, key, plaintext, aad), dataKeyId: id };
  }

  private async sealWith(id: string, key: CryptoKey, plaintext: string | Uint8Array, aad: string): Promise<string> {
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
    const data = typeof plaintext === 'string' ? encoder.encode(plaintext) : plaintext;
    const ct = new Uint8Array(
      await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(aad) }, key, data as Uint8Array<ArrayBuffer>),
    );
    return `v1.${id}.${b64url(iv)}.${b64url(ct)}`;
  }

  /** Opens a sealed value; throws if it was tampered with or moved to another row. */
  async open(sealed: string, aad: string): Promise<Uint8Array> {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1') throw new Error('Malformed sealed value.');
    const key = await this.keyFor(parts[1]!);
    return new Uint8Array(
      await subtle.decrypt(
        { name: 'AES-GCM', iv: fromB64url(parts[2]!) as Uint8Array<ArrayBuffer>, additionalData: encoder.encode(aad) },
        key,
        fromB64url(parts[3]!) as Uint8Array<ArrayBuffer>,
      ),
    );
  }

  async openText(sealed: string, aad: string): Promise<string> {
    return new TextDecoder().decode(await this.open(sealed, aad));
  }

  /**
   * Rotates the data key while the vault keeps serving: activates a new key (new writes use it at
   * once in this process, within {@link ACTIVE_REFRESH_MS} in others), re-encrypts every sealed
   * value in batches with compare-and-set updates, then retires every older key.
   *
   * @param settleMs wait this long after the first sweep before the last one (default 1 s), so
   *   in-flight requests and other processes sharing the database have switched to the new key
   *   (use > 5000 against a shared PostgreSQL: servers re-read the active key every 5 s).
   */
  async rotate(options: { batchSize?: number; settleMs?: number; now?: number } = {}): Promise<RotationResult> {
    const batchSize = options.batchSize ?? 500;
    const next = await this.newDataKey('decrypt_only');
    const nextKey = await this.unwrap(next);
    await this.store.activateDataKey(next.id);
    this.activeId = next.id;
    this.activeCheckedAt = Date.now();
    let reencrypted = 0;
    const sweep = async (): Promise<void> => {
      for (let pass = 0; pass < 10_000; pass++) {
        const batch = await this.store.listSealedNotUnder(next.id, batchSize);
        if (batch.length === 0) return;
        for (const ref of batch) {
          const aad = aadFor(ref.table, ref.id);
          const plain = await this.open(ref.sealed, aad);
          const sealed = await this.sealWith(next.id, nextKey, plain, aad);
          plain.fill(0);
          // Compare-and-set: a row changed meanwhile is picked up again by the next batch.
          if (await this.store.updateSealed(ref, sealed, next.id)) reencrypted++;
        }
      }
      throw new Error('Data-key rotation did not converge.');
    };
    await sweep();
    // A request that picked the old key just before the switch may still be writing its row:
    // give in-flight requests time to land, then sweep again before the old key is destroyed.
    await new Promise((r) => setTimeout(r, options.settleMs ?? 1_000));
    await sweep();
    const retired: string[] = [];
    for (const key of await this.store.listDataKeys()) {
      if (key.id !== next.id && key.status !== 'retired') {
        await this.store.retireDataKey(key.id, options.now ?? Date.now());
        this.keys.delete(key.id);
        retired.push(key.id);
      }
    }
    return { dataKeyId: next.id, reencrypted, retired };
  }
}

/** The additional authenticated data that binds a sealed value to its row. */
export function aadFor(table: string, id: string): string {
  return `${table}:${id}`;
}
