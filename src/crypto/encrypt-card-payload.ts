import { CardvaultError } from '../errors';
import type { CardPayload } from '../types';
import { isEncryptionJwk, type EncryptionJwk } from './encryption-key';
import { encryptCompact } from './jwe-compact';

/**
 * Imported public keys, per SubtleCrypto implementation (a CryptoKey only works with the
 * implementation that made it) and per kid + coordinates (a reused kid with new material is a
 * different key). Promises are cached so concurrent tokenizations share one import.
 */
const keyCache = new WeakMap<SubtleCrypto, Map<string, Promise<CryptoKey>>>();
const MAX_CACHED_KEYS = 8;

function importRecipient(subtle: SubtleCrypto, key: EncryptionJwk): Promise<CryptoKey> {
  let cache = keyCache.get(subtle);
  if (!cache) keyCache.set(subtle, (cache = new Map()));
  const id = `${key.kid}.${key.x}.${key.y}`;
  let imported = cache.get(id);
  if (!imported) {
    if (cache.size >= MAX_CACHED_KEYS) cache.clear();
    // importKey rejects points that are not on P-256 (invalid-curve attacks need such points).
    imported = subtle.importKey(
      'jwk',
      { kty: 'EC', crv: 'P-256', x: key.x, y: key.y, ext: true },
      { name: 'ECDH', namedCurve: 'P-256' },
      false,
      [],
    );
    cache.set(id, imported);
    imported.catch(() => cache.delete(id));
  }
  return imported;
}

/** Only the known card members, in a fixed order: nothing else the caller attached is sent. */
function serialize(payload: CardPayload): Uint8Array<ArrayBuffer> {
  const card: CardPayload = {
    number: payload.number,
    exp_month: payload.exp_month,
    exp_year: payload.exp_year,
    cvc: payload.cvc,
  };
  if (payload.name !== undefined) card.name = payload.name;
  if (payload.address_zip !== undefined) card.address_zip = payload.address_zip;
  return new TextEncoder().encode(JSON.stringify(card));
}

/**
 * Encrypts a card for the vault as a compact JWE (`alg` ECDH-ES, `enc` A256GCM, `kid` of `key`).
 * Only the vault's private key can decrypt it, so proxies and TLS terminators between the frame
 * and the vault never see the card in clear. Uses WebCrypto only.
 *
 * @param subtle WebCrypto implementation; defaults to `globalThis.crypto.subtle`.
 * @throws CardvaultError `encryption_keys_invalid` (bad key), `secure_context_required` (no
 *   WebCrypto: insecure page), `invalid_argument` (payload not an object), `api_error` (WebCrypto failed).
 * @example
 * const key = selectEncryptionKey(keySet);
 * const jwe = await encryptCardPayload({ number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' }, key);
 */
export async function encryptCardPayload(
  payload: CardPayload,
  key: EncryptionJwk,
  subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle,
): Promise<string> {
  if (!subtle) {
    throw new CardvaultError('secure_context_required', {
      message: 'WebCrypto is unavailable: card encryption needs a secure (https) page.',
    });
  }
  if (!isEncryptionJwk(key)) throw new CardvaultError('encryption_keys_invalid');
  if (typeof payload !== 'object' || payload === null) throw new CardvaultError('invalid_argument');
  let recipient: CryptoKey;
  try {
    recipient = await importRecipient(subtle, key);
  } catch (cause) {
    throw new CardvaultError('encryption_keys_invalid', { cause });
  }
  try {
    return await encryptCompact(subtle, recipient, key.kid, serialize(payload));
  } catch (cause) {
    if (cause instanceof CardvaultError) throw cause;
    // WebCrypto errors carry no plaintext; they are kept as the cause for debugging.
    throw new CardvaultError('api_error', { message: 'Encrypting the card failed.', cause });
  }
}
