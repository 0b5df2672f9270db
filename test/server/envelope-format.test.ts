/**
 * The sealed format does not depend on which AES-GCM implementation wrote it: values sealed through
 * WebCrypto (every database written before the vault sealed through node:crypto) still open, values
 * sealed now open with WebCrypto, and a value moved to another row or altered opens nowhere.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/src';
import { Envelope } from '../../server/src/crypto/envelope';
import { b64url, fromB64url } from '../../server/src/crypto/random';
import type { SqlStore } from '../../server/src/store/sql-store';

const subtle = globalThis.crypto.subtle;
const enc = new TextEncoder();
const card = '{"number":"4242424242424242","cvc":"123"}';

describe('sealed values (v1.<data key>.<iv>.<ciphertext+tag>)', () => {
  const kek = randomBytes(32);
  let store: SqlStore;
  let envelope: Envelope;
  /** The active data key as WebCrypto sees it, unwrapped with the KEK the way the vault does. */
  let dataKey: CryptoKey;

  beforeAll(async () => {
    store = await openStore({ dataDir: 'memory://' });
    envelope = await Envelope.create(store, kek);
    const row = (await store.listDataKeys()).find((k) => k.id === envelope.activeKeyId)!;
    const [iv, ct] = row.wrapped!.split('.');
    const kekKey = await subtle.importKey('raw', kek, 'AES-GCM', false, ['decrypt']);
    const raw = await subtle.decrypt(
      { name: 'AES-GCM', iv: fromB64url(iv!) as Uint8Array<ArrayBuffer>, additionalData: enc.encode(`cardvault:data_key:${row.id}`) },
      kekKey,
      fromB64url(ct!) as Uint8Array<ArrayBuffer>,
    );
    dataKey = await subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
  }, 60_000);
  afterAll(async () => {
    await store?.close();
  });

  it('opens a value WebCrypto sealed', async () => {
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
    const ct = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode('tokens:tok_a') }, dataKey, enc.encode(card)));
    const sealed = `v1.${envelope.activeKeyId}.${b64url(iv)}.${b64url(ct)}`;
    expect(await envelope.openText(sealed, 'tokens:tok_a')).toBe(card);
  });

  it('seals what WebCrypto opens, with a fresh IV each time', async () => {
    const a = await envelope.seal(card, 'tokens:tok_b');
    const b = await envelope.seal(card, 'tokens:tok_b');
    expect(a.sealed).not.toBe(b.sealed);
    const [, id, iv, ct] = a.sealed.split('.');
    expect(id).toBe(envelope.activeKeyId);
    const plain = await subtle.decrypt(
      { name: 'AES-GCM', iv: fromB64url(iv!) as Uint8Array<ArrayBuffer>, additionalData: enc.encode('tokens:tok_b') },
      dataKey,
      fromB64url(ct!) as Uint8Array<ArrayBuffer>,
    );
    expect(new TextDecoder().decode(plain)).toBe(card);
    expect(a.sealed).not.toContain('4242');
  });

  it('refuses a value moved to another row, altered, or cut short', async () => {
    const { sealed } = await envelope.seal(card, 'tokens:tok_c');
    await expect(envelope.open(sealed, 'tokens:tok_d')).rejects.toThrow();
    const [v, id, iv, ct] = sealed.split('.');
    const bytes = fromB64url(ct!);
    bytes[0]! ^= 1;
    await expect(envelope.open(`${v}.${id}.${iv}.${b64url(bytes)}`, 'tokens:tok_c')).rejects.toThrow();
    await expect(envelope.open(`${v}.${id}.${iv}.${b64url(bytes.subarray(0, 8))}`, 'tokens:tok_c')).rejects.toThrow('Malformed sealed value.');
    await expect(envelope.open(`${v}.${id}.AAAA.${ct}`, 'tokens:tok_c')).rejects.toThrow('Malformed sealed value.');
  });
});
