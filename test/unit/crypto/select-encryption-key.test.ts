import { describe, expect, it } from 'vitest';
import { selectEncryptionKey } from '../../../src/crypto';
import { isCardvaultError } from '../../../src/errors';

const P256 = {
  kty: 'EC',
  crv: 'P-256',
  x: 'weNJy2HscCSM6AEDTDg04biOvhFhyyWvOHQfeF_PxMQ',
  y: 'e8lnCO-AlStT-NJVX-crhB7QRYhiix03illJOVAOyck',
  kid: 'ek_new',
  use: 'enc',
  alg: 'ECDH-ES',
};
const P384 = {
  kty: 'EC',
  crv: 'P-384',
  x: 'YU4rRUzdmVqmRtWOs2OpDE_T5fsNIodcG8G5FWPrTPMyxpzsSOGaQLpe2FpxBmu2',
  y: 'A8-yxCHxkfBz3hKZfI1jUYMjUhsEveZ9THuwFjH2sCNdtksRJU7D5-SkgaFL1ETP',
  kid: 'ek_p384',
};
const RSA = { kty: 'RSA', n: 'AQAB', e: 'AQAB', kid: 'rsa' };

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isCardvaultError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a throw');
}

describe('selectEncryptionKey', () => {
  it('picks keys[0] when it is usable and copies only known members', () => {
    const picked = selectEncryptionKey({ keys: [{ ...P256, extra: 'x' }, { ...P256, kid: 'ek_old' }] });
    expect(picked).toEqual(P256);
  });

  it('accepts a key without use/alg', () => {
    const { use: _u, alg: _a, ...bare } = P256;
    expect(selectEncryptionKey({ keys: [bare] })).toEqual(bare);
  });

  it('skips keys of other types and curves', () => {
    expect(selectEncryptionKey({ keys: [RSA, P384, P256] }).kid).toBe('ek_new');
  });

  it.each([
    ['null', null],
    ['a string', 'keys'],
    ['an array', [P256]],
    ['no keys member', {}],
    ['keys not an array', { keys: P256 }],
    ['an empty set', { keys: [] }],
    ['only a P-384 key (wrong curve)', { keys: [P384] }],
    ['only an RSA key', { keys: [RSA] }],
    ['a signing key', { keys: [{ ...P256, use: 'sig' }] }],
    ['another alg', { keys: [{ ...P256, alg: 'ECDH-ES+A256KW' }] }],
    ['a published private key', { keys: [{ ...P256, d: 'VEmDZpDXXK8p8N0Cndsxs924q6nS1RXFASRl6BfUqdw' }] }],
    ['no kid', { keys: [{ ...P256, kid: undefined }] }],
    ['an empty kid', { keys: [{ ...P256, kid: '' }] }],
    ['a kid with spaces', { keys: [{ ...P256, kid: 'a b' }] }],
    ['a short coordinate', { keys: [{ ...P256, x: 'abc' }] }],
    ['padded base64', { keys: [{ ...P256, y: `${P256.y.slice(0, 42)}=` }] }],
    ['a numeric coordinate', { keys: [{ ...P256, x: 1 }] }],
    ['too many keys', { keys: Array.from({ length: 33 }, () => P256) }],
  ])('rejects %s with encryption_keys_invalid', (_label, keySet) => {
    expect(codeOf(() => selectEncryptionKey(keySet))).toBe('encryption_keys_invalid');
  });
});
