import { CardvaultError } from '../errors/cardvault-error';

/**
 * A fresh idempotency key (a random UUID v4) for one logical call. The caller creates it once and
 * sends it with every retry of that call, the kid-refetch retry included, so the vault tokenizes a
 * card at most once however many times the request reaches it.
 *
 * Randomness comes from WebCrypto only, never `Math.random()`: a guessable key would let another
 * party replay or collide with a customer's tokenization.
 */
export function newIdempotencyKey(): string {
  const webCrypto = globalThis.crypto as Crypto | undefined;
  if (typeof webCrypto?.randomUUID === 'function') return webCrypto.randomUUID();
  // `randomUUID` exists only in secure contexts; `getRandomValues` everywhere (test mode on http).
  if (typeof webCrypto?.getRandomValues !== 'function') {
    throw new CardvaultError('api_error', { message: 'WebCrypto is not available in this environment.' });
  }
  const bytes = webCrypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
