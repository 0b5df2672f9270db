import { createHash } from 'node:crypto';
import { compactDecrypt, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { base64url, base64urlDecode } from '../../../src/crypto/base64url';
import { concatKdf } from '../../../src/crypto/concat-kdf';
import { deriveEcdhEsKey } from '../../../src/crypto/jwe-compact';
import { RFC7518_APPENDIX_C as C, RFC7520_5_5 as V } from '../../fixtures/jwe-vectors';
import { SUBTLES, b64u, fromB64u } from './helpers';

const EC = { name: 'ECDH', namedCurve: 'P-256' } as const;

async function importPair(subtle: SubtleCrypto, jwk: { kty: string; crv: string; x: string; y: string; d: string }) {
  const { d, ...pub } = jwk;
  return {
    privateKey: await subtle.importKey('jwk', { ...pub, d }, EC, false, ['deriveBits']),
    publicKey: await subtle.importKey('jwk', pub, EC, true, []),
  };
}

describe('base64url', () => {
  it.each([[''], ['f'], ['fo'], ['foo'], ['\u00ff\u00fe\u00fd?>']])('round-trips %j like Buffer', (text) => {
    const bytes = new Uint8Array(Buffer.from(text, 'latin1'));
    expect(base64url(bytes)).toBe(b64u(bytes));
    expect(base64urlDecode(base64url(bytes))).toEqual(bytes);
  });
  it('refuses characters outside the alphabet', () => {
    expect(() => base64urlDecode('ab+c')).toThrow();
    expect(() => base64urlDecode('abc=')).toThrow();
  });
});

describe.each(SUBTLES)('Concat KDF and ECDH-ES on %s', (_name, subtle) => {
  it('derives the RFC 7518 Appendix C key from Z (A128GCM, apu Alice, apv Bob)', async () => {
    const key = await concatKdf(subtle, new Uint8Array(C.z), C.enc, C.keyBits, fromB64u(C.apu), fromB64u(C.apv));
    expect(b64u(key)).toBe(C.derivedKey);
  });

  it('derives the RFC 7518 Appendix C key by ECDH-ES on both sides', async () => {
    const alice = await importPair(subtle, C.alice);
    const bob = await importPair(subtle, C.bob);
    const apu = fromB64u(C.apu);
    const apv = fromB64u(C.apv);
    const sender = await deriveEcdhEsKey(subtle, alice.privateKey, bob.publicKey, C.enc, C.keyBits, 256, apu, apv);
    const recipient = await deriveEcdhEsKey(subtle, bob.privateKey, alice.publicKey, C.enc, C.keyBits, 256, apu, apv);
    expect(b64u(sender)).toBe(C.derivedKey);
    expect(b64u(recipient)).toBe(C.derivedKey);
  });

  it('derives the RFC 7520 §5.5 content key (A128CBC-HS256, 256 bits, no apu/apv)', async () => {
    const recipient = await importPair(subtle, V.recipient);
    const ephemeral = await importPair(subtle, V.ephemeral);
    const sender = await deriveEcdhEsKey(subtle, ephemeral.privateKey, recipient.publicKey, V.enc, V.keyBits);
    const receiver = await deriveEcdhEsKey(subtle, recipient.privateKey, ephemeral.publicKey, V.enc, V.keyBits);
    expect(b64u(sender)).toBe(V.cek);
    expect(b64u(receiver)).toBe(V.cek);
  });

  it('runs several SHA-256 rounds for keys longer than 256 bits, as NIST SP 800-56A says', async () => {
    const z = new Uint8Array(32).fill(7);
    const key = await concatKdf(subtle, z, 'X', 512);
    const otherInfo = Buffer.concat([
      Buffer.from([0, 0, 0, 1]), Buffer.from('X'), Buffer.alloc(4), Buffer.alloc(4), Buffer.from([0, 0, 2, 0]),
    ]);
    const round = (n: number) =>
      createHash('sha256').update(Buffer.from([0, 0, 0, n])).update(z).update(otherInfo).digest();
    expect(Buffer.from(key)).toEqual(Buffer.concat([round(1), round(2)]));
  });
});

describe('RFC 7520 §5.5 vector', () => {
  it('decrypts with jose to the published plaintext (the fixture is intact)', async () => {
    const key = await importJWK(V.recipient, 'ECDH-ES');
    const { plaintext, protectedHeader } = await compactDecrypt(V.compact, key);
    expect(new TextDecoder().decode(plaintext)).toBe(V.plaintext);
    expect(protectedHeader).toMatchObject({ alg: 'ECDH-ES', enc: 'A128CBC-HS256', kid: V.recipient.kid });
  });
});
