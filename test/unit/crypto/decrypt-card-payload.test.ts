import { CompactEncrypt, generateKeyPair, importJWK } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  MAX_JWE_LENGTH,
  decryptCardPayload,
  generateEncryptionKey,
  type GeneratedEncryptionKey,
} from '../../../server/src/crypto/jwe-keys';
import { encryptCardPayload, selectEncryptionKey } from '../../../src/crypto';
import { isCardvaultError, type CardvaultError } from '../../../src/errors';
import { CARD, b64u } from './helpers';

let active: GeneratedEncryptionKey;
let retired: GeneratedEncryptionKey;
let lookup: ReturnType<typeof vi.fn<(kid: string) => Promise<{ privateJwk: JsonWebKey; usable: boolean } | null>>>;

beforeAll(async () => {
  [active, retired] = await Promise.all([generateEncryptionKey(), generateEncryptionKey()]);
  lookup = vi.fn(async (kid: string) => {
    if (kid === active.kid) return { privateJwk: active.privateJwk, usable: true };
    if (kid === retired.kid) return { privateJwk: retired.privateJwk, usable: false };
    return null;
  });
});

/** Encrypts arbitrary bytes with jose, as a third-party client using the published JWKS would. */
async function joseEncrypt(
  plaintext: string | Uint8Array,
  header: Record<string, unknown> = { alg: 'ECDH-ES', enc: 'A256GCM', kid: active.kid },
  publicJwk: JsonWebKey = active.publicJwk,
): Promise<string> {
  const key = await importJWK(publicJwk, String(header.alg));
  const bytes = typeof plaintext === 'string' ? new TextEncoder().encode(plaintext) : plaintext;
  return new CompactEncrypt(bytes).setProtectedHeader(header as never).encrypt(key);
}

async function rejection(jwe: string): Promise<CardvaultError> {
  try {
    await decryptCardPayload(jwe, lookup);
  } catch (error) {
    if (isCardvaultError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

async function codeOf(jwe: string): Promise<string> {
  return (await rejection(jwe)).code;
}

/** Replaces one compact segment. */
function withSegment(jwe: string, index: number, value: string): string {
  const parts = jwe.split('.');
  parts[index] = value;
  return parts.join('.');
}

/** Flips one bit in the middle of a base64url segment, keeping it valid base64url. */
function flip(segment: string): string {
  const bytes = Buffer.from(segment, 'base64url');
  bytes[bytes.length >> 1]! ^= 1;
  return bytes.toString('base64url');
}

function header(jwe: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwe.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function encodeHeader(value: unknown): string {
  return b64u(JSON.stringify(value));
}

describe('generateEncryptionKey', () => {
  it('makes a P-256 ECDH-ES key with a random ek_ kid, public part without d', async () => {
    const { kid, publicJwk, privateJwk } = await generateEncryptionKey();
    expect(kid).toMatch(/^ek_[A-Za-z0-9_-]{16}$/);
    expect(publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid, use: 'enc', alg: 'ECDH-ES' });
    expect(privateJwk).toEqual({ ...publicJwk, d: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(selectEncryptionKey({ keys: [publicJwk] }).kid).toBe(kid);
    expect((await generateEncryptionKey()).kid).not.toBe(kid);
  });
});

describe('decryptCardPayload accepts', () => {
  it('a JWE made by jose CompactEncrypt from the published public JWK', async () => {
    await expect(decryptCardPayload(await joseEncrypt(JSON.stringify(CARD)), lookup)).resolves.toEqual(CARD);
  });

  it('a JWE made by the SDK', async () => {
    const jwe = await encryptCardPayload(CARD, selectEncryptionKey({ keys: [active.publicJwk] }));
    await expect(decryptCardPayload(jwe, lookup)).resolves.toEqual(CARD);
  });

  it('a card without the optional members', async () => {
    const { name: _n, address_zip: _z, ...minimal } = CARD;
    await expect(decryptCardPayload(await joseEncrypt(JSON.stringify(minimal)), lookup)).resolves.toEqual(minimal);
  });
});

describe('decryptCardPayload refuses with a code', () => {
  let jwe: string;
  beforeAll(async () => {
    jwe = await joseEncrypt(JSON.stringify(CARD));
  });

  it.each([
    ['ciphertext', 3],
    ['tag', 4],
    ['iv', 2],
  ])('tampered %s -> encrypted_payload_invalid', async (_label, index) => {
    const parts = jwe.split('.');
    await expect(codeOf(withSegment(jwe, index, flip(parts[index]!)))).resolves.toBe('encrypted_payload_invalid');
  });

  it('a tampered header (a member added, so the AAD differs) -> encrypted_payload_invalid', async () => {
    const tampered = withSegment(jwe, 0, encodeHeader({ ...header(jwe), typ: 'JWE' }));
    await expect(codeOf(tampered)).resolves.toBe('encrypted_payload_invalid');
  });

  it('a swapped epk (another valid P-256 point) -> encrypted_payload_invalid', async () => {
    const other = await joseEncrypt('{}');
    const tampered = withSegment(jwe, 0, encodeHeader({ ...header(jwe), epk: header(other).epk }));
    await expect(codeOf(tampered)).resolves.toBe('encrypted_payload_invalid');
  });

  it('a header that is not base64url JSON -> encrypted_payload_invalid', async () => {
    await expect(codeOf(withSegment(jwe, 0, b64u('not json')))).resolves.toBe('encrypted_payload_invalid');
    await expect(codeOf(withSegment(jwe, 0, b64u('[1]')))).resolves.toBe('encrypted_payload_invalid');
    await expect(codeOf(withSegment(jwe, 0, b64u(Buffer.from([0xff, 0xfe]))))).resolves.toBe('encrypted_payload_invalid');
  });

  it('an unknown kid -> encryption_key_unknown', async () => {
    const unknown = await joseEncrypt(JSON.stringify(CARD), { alg: 'ECDH-ES', enc: 'A256GCM', kid: 'ek_unknown' });
    await expect(codeOf(unknown)).resolves.toBe('encryption_key_unknown');
  });

  it('a retired key -> encryption_key_retired', async () => {
    const old = await joseEncrypt(JSON.stringify(CARD), { alg: 'ECDH-ES', enc: 'A256GCM', kid: retired.kid }, retired.publicJwk);
    await expect(codeOf(old)).resolves.toBe('encryption_key_retired');
  });

  it('a missing kid -> encrypted_payload_invalid', async () => {
    await expect(codeOf(await joseEncrypt(JSON.stringify(CARD), { alg: 'ECDH-ES', enc: 'A256GCM' }))).resolves.toBe(
      'encrypted_payload_invalid',
    );
  });

  it('wrong alg (ECDH-ES+A256KW) -> encrypted_payload_invalid, before any key lookup', async () => {
    lookup.mockClear();
    const wrapped = await joseEncrypt(JSON.stringify(CARD), { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: active.kid });
    await expect(codeOf(wrapped)).resolves.toBe('encrypted_payload_invalid');
    // Same segments, alg rewritten to "dir" / "none": still refused by the header check.
    for (const alg of ['dir', 'none', 'RSA-OAEP']) {
      await expect(codeOf(withSegment(jwe, 0, encodeHeader({ ...header(jwe), alg })))).resolves.toBe('encrypted_payload_invalid');
    }
    expect(lookup).not.toHaveBeenCalled();
  });

  it('wrong enc (A128GCM, A256CBC-HS512) -> encrypted_payload_invalid', async () => {
    for (const enc of ['A128GCM', 'A256CBC-HS512']) {
      const other = await joseEncrypt(JSON.stringify(CARD), { alg: 'ECDH-ES', enc, kid: active.kid });
      await expect(codeOf(other)).resolves.toBe('encrypted_payload_invalid');
    }
  });

  it('an epk on the wrong curve (P-384) -> encrypted_payload_invalid, before any key lookup', async () => {
    lookup.mockClear();
    const { publicKey } = await generateKeyPair('ECDH-ES', { crv: 'P-384', extractable: true });
    const p384 = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(CARD)))
      .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: active.kid })
      .encrypt(publicKey);
    expect((header(p384).epk as { crv: string }).crv).toBe('P-384');
    await expect(codeOf(p384)).resolves.toBe('encrypted_payload_invalid');
    expect(lookup).not.toHaveBeenCalled();
  });

  it('an epk carrying a private part -> encrypted_payload_invalid', async () => {
    const epk = { ...(header(jwe).epk as object), d: 'AtH35vJsQ9SGjYfOsjUxYXQKrPH3FjZHmEtSKoSN8cM' };
    await expect(codeOf(withSegment(jwe, 0, encodeHeader({ ...header(jwe), epk })))).resolves.toBe('encrypted_payload_invalid');
  });

  it.each(['crit', 'zip', 'jku', 'jwk', 'x5u'])('a header with %s -> encrypted_payload_invalid', async (member) => {
    await expect(codeOf(withSegment(jwe, 0, encodeHeader({ ...header(jwe), [member]: 'x' })))).resolves.toBe(
      'encrypted_payload_invalid',
    );
  });

  it.each([
    ['4 parts', (j: string) => j.split('.').slice(0, 4).join('.')],
    ['6 parts', (j: string) => `${j}.AAAA`],
    ['a JSON serialization', () => JSON.stringify({ protected: 'e30', ciphertext: 'AA' })],
    ['a non-base64url character', (j: string) => withSegment(j, 3, `${j.split('.')[3]!}+`)],
    ['an encrypted key (not direct agreement)', (j: string) => withSegment(j, 1, 'AAAA')],
    ['a short IV', (j: string) => withSegment(j, 2, 'AAAA')],
    ['a short tag', (j: string) => withSegment(j, 4, 'AAAA')],
    ['an empty ciphertext', (j: string) => withSegment(j, 3, '')],
    ['an empty string', () => ''],
    ['an oversize input', (j: string) => withSegment(j, 3, `${j.split('.')[3]!}${'A'.repeat(MAX_JWE_LENGTH)}`)],
  ])('%s -> encrypted_payload_invalid', async (_label, mutate) => {
    await expect(codeOf(mutate(jwe))).resolves.toBe('encrypted_payload_invalid');
  });

  it('a non-string -> encrypted_payload_invalid', async () => {
    await expect(codeOf(42 as unknown as string)).resolves.toBe('encrypted_payload_invalid');
  });

  it('a stored private key that cannot be loaded -> api_error', async () => {
    const broken = vi.fn(async () => ({ privateJwk: { kty: 'EC', crv: 'P-256' }, usable: true }));
    const fresh = await joseEncrypt(JSON.stringify(CARD), { alg: 'ECDH-ES', enc: 'A256GCM', kid: 'ek_broken' });
    await expect(decryptCardPayload(fresh, broken)).rejects.toMatchObject({ code: 'api_error' });
  });
});

describe('decryptCardPayload checks the card strictly and never echoes it', () => {
  const cases: [string, unknown, string, string?][] = [
    ['not JSON', '4242424242424242', 'encrypted_payload_invalid'],
    ['a JSON array', ['4242424242424242'], 'encrypted_payload_invalid'],
    ['an unknown member', { ...CARD, track2: '4242424242424242=3412' }, 'encrypted_payload_invalid'],
    ['a __proto__ member', JSON.parse(`{"__proto__":{},${JSON.stringify(CARD).slice(1)}`) as unknown, 'encrypted_payload_invalid'],
    ['no cvc', { ...CARD, cvc: undefined }, 'parameter_missing', 'card[cvc]'],
    ['no number', { ...CARD, number: undefined }, 'parameter_missing', 'card[number]'],
    ['a numeric number', { ...CARD, number: 4242424242424242 }, 'parameter_invalid', 'card[number]'],
    ['spaces in the number', { ...CARD, number: '4242 4242 4242 4242' }, 'parameter_invalid', 'card[number]'],
    ['a 20-digit number', { ...CARD, number: '42424242424242424242' }, 'parameter_invalid', 'card[number]'],
    ['exp_month as a string', { ...CARD, exp_month: '12' }, 'parameter_invalid', 'card[exp_month]'],
    ['a fractional exp_year', { ...CARD, exp_year: 2034.5 }, 'parameter_invalid', 'card[exp_year]'],
    ['a numeric cvc', { ...CARD, cvc: 123 }, 'parameter_invalid', 'card[cvc]'],
    ['a 5-digit cvc', { ...CARD, cvc: '12345' }, 'parameter_invalid', 'card[cvc]'],
    ['a null name', { ...CARD, name: null }, 'parameter_invalid', 'card[name]'],
    ['a numeric zip', { ...CARD, address_zip: 94107 }, 'parameter_invalid', 'card[address_zip]'],
  ];

  it.each(cases)('%s -> %s', async (_label, payload, code, param) => {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const error = await rejection(await joseEncrypt(text));
    expect(error.code).toBe(code);
    if (param) expect(error.param).toBe(param);
    expect(error.message).not.toContain('4242');
    expect(JSON.stringify(error.toJSON())).not.toContain('4242');
  });

  it('invalid UTF-8 -> encrypted_payload_invalid', async () => {
    await expect(codeOf(await joseEncrypt(new Uint8Array([0x7b, 0xff, 0x7d])))).resolves.toBe('encrypted_payload_invalid');
  });
});
