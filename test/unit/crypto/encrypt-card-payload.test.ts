import { compactDecrypt, decodeProtectedHeader, importJWK } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { decryptCardPayload, generateEncryptionKey, type GeneratedEncryptionKey } from '../../../server/src/crypto/jwe-keys';
import { encryptCardPayload, selectEncryptionKey, type EncryptionJwk } from '../../../src/crypto';
import { isCardvaultError } from '../../../src/errors';
import { CARD, SUBTLES } from './helpers';

let vault: GeneratedEncryptionKey;
let key: EncryptionJwk;
const lookup = async (kid: string) => (kid === vault.kid ? { privateJwk: vault.privateJwk, usable: true } : null);

beforeAll(async () => {
  vault = await generateEncryptionKey();
  key = selectEncryptionKey({ keys: [vault.publicJwk] });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isCardvaultError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe.each(SUBTLES)('encryptCardPayload on %s', (_name, subtle) => {
  it('makes a compact JWE that jose decrypts to the card JSON', async () => {
    const jwe = await encryptCardPayload(CARD, key, subtle);
    const parts = jwe.split('.');
    expect(parts).toHaveLength(5);
    expect(parts[1]).toBe(''); // direct key agreement: no encrypted key
    expect(parts[2]).toHaveLength(16); // 96-bit IV
    expect(parts[4]).toHaveLength(22); // 128-bit tag
    const privateKey = await importJWK(vault.privateJwk, 'ECDH-ES');
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, privateKey, {
      keyManagementAlgorithms: ['ECDH-ES'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    expect(JSON.parse(new TextDecoder().decode(plaintext))).toEqual(CARD);
    expect(protectedHeader).toEqual({
      alg: 'ECDH-ES',
      enc: 'A256GCM',
      kid: vault.kid,
      epk: { kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) },
    });
  });

  it('makes a JWE the vault decrypts (decryptCardPayload)', async () => {
    const jwe = await encryptCardPayload(CARD, key, subtle);
    await expect(decryptCardPayload(jwe, lookup)).resolves.toEqual(CARD);
  });

  it('uses a fresh ephemeral key and IV every time', async () => {
    const a = await encryptCardPayload(CARD, key, subtle);
    const b = await encryptCardPayload(CARD, key, subtle);
    expect(decodeProtectedHeader(a).epk).not.toEqual(decodeProtectedHeader(b).epk);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
  });

  it('sends only the known card members', async () => {
    const extra = { ...CARD, name: undefined, secret: 'x', __proto__: { y: 1 } } as unknown as typeof CARD;
    const jwe = await encryptCardPayload(extra, key, subtle);
    const { name: _name, ...expected } = CARD;
    await expect(decryptCardPayload(jwe, lookup)).resolves.toEqual(expected);
  });

  it('imports the public key once per kid and reuses it', async () => {
    const importKey = vi.fn((...args: unknown[]) => Reflect.apply(subtle.importKey, subtle, args) as Promise<CryptoKey>);
    const counting = {
      importKey,
      generateKey: subtle.generateKey.bind(subtle),
      deriveBits: subtle.deriveBits.bind(subtle),
      exportKey: subtle.exportKey.bind(subtle),
      digest: subtle.digest.bind(subtle),
      encrypt: subtle.encrypt.bind(subtle),
    } as unknown as SubtleCrypto;
    for (let i = 0; i < 3; i++) await encryptCardPayload(CARD, key, counting);
    expect(importKey.mock.calls.filter((call) => call[0] === 'jwk')).toHaveLength(1);
    const other = selectEncryptionKey({ keys: [(await generateEncryptionKey()).publicJwk] });
    await encryptCardPayload(CARD, other, counting);
    expect(importKey.mock.calls.filter((call) => call[0] === 'jwk')).toHaveLength(2);
  });

  it('refuses a key that is not a public P-256 key', async () => {
    await expect(codeOf(encryptCardPayload(CARD, { ...key, crv: 'P-384' } as unknown as EncryptionJwk, subtle))).resolves.toBe(
      'encryption_keys_invalid',
    );
    await expect(codeOf(encryptCardPayload(CARD, { ...key, x: 'short' }, subtle))).resolves.toBe('encryption_keys_invalid');
  });

  it('refuses a point that is not on the curve', async () => {
    const offCurve = { ...key, kid: 'ek_off_curve', y: key.x }; // (x, x) is not a P-256 point
    await expect(codeOf(encryptCardPayload(CARD, offCurve, subtle))).resolves.toBe('encryption_keys_invalid');
  });
});

describe('encryptCardPayload without WebCrypto', () => {
  it('rejects with secure_context_required', async () => {
    vi.stubGlobal('crypto', undefined);
    await expect(codeOf(encryptCardPayload(CARD, key))).resolves.toBe('secure_context_required');
  });

  it('rejects a payload that is not an object', async () => {
    await expect(codeOf(encryptCardPayload(null as never, key))).resolves.toBe('invalid_argument');
  });
});
