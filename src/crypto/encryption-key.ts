import { CardvaultError } from '../errors';

/** A vault public encryption key as published in `GET /v1/encryption_keys`. */
export interface EncryptionJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  use?: string;
  alg?: string;
}

/** A P-256 coordinate is 32 bytes: exactly 43 base64url characters, no padding. */
const COORDINATE = /^[A-Za-z0-9_-]{43}$/;
/** Printable ASCII, bounded: the kid goes into the JWE header and the vault's key lookup. */
const KID = /^[\x21-\x7e]{1,128}$/;
const MAX_KEYS = 32;

/** True when `value` is a public EC P-256 key usable for ECDH-ES encryption. */
export function isEncryptionJwk(value: unknown): value is EncryptionJwk {
  if (typeof value !== 'object' || value === null) return false;
  const k = value as Record<string, unknown>;
  return (
    k.kty === 'EC' &&
    k.crv === 'P-256' &&
    typeof k.x === 'string' &&
    COORDINATE.test(k.x) &&
    typeof k.y === 'string' &&
    COORDINATE.test(k.y) &&
    typeof k.kid === 'string' &&
    KID.test(k.kid) &&
    (k.use === undefined || k.use === 'enc') &&
    (k.alg === undefined || k.alg === 'ECDH-ES') &&
    // A published private part means the vault leaked its key: refuse to encrypt to it.
    k.d === undefined
  );
}

/**
 * Picks the key to encrypt to from the vault's JWKS: the first key that is EC P-256 for
 * encryption (`use` "enc" or absent, `alg` "ECDH-ES" or absent). The vault lists newest first.
 * Keys of other types or curves are ignored, so the vault can publish them later without
 * breaking deployed SDKs.
 *
 * @throws CardvaultError `encryption_keys_invalid` when the set is malformed or has no usable key.
 * @example const key = selectEncryptionKey(await response.json());
 */
export function selectEncryptionKey(keySet: unknown): EncryptionJwk {
  const keys = typeof keySet === 'object' && keySet !== null ? (keySet as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys) || keys.length > MAX_KEYS) throw new CardvaultError('encryption_keys_invalid');
  for (const key of keys) {
    if (!isEncryptionJwk(key)) continue;
    // A fresh object with known members only: nothing else from the response travels further.
    const out: EncryptionJwk = { kty: 'EC', crv: 'P-256', x: key.x, y: key.y, kid: key.kid };
    if (key.use !== undefined) out.use = key.use;
    if (key.alg !== undefined) out.alg = key.alg;
    return out;
  }
  throw new CardvaultError('encryption_keys_invalid', {
    message: 'The encryption key set from the vault has no usable EC P-256 key.',
  });
}
