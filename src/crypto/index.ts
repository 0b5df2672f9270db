/**
 * Client-side card encryption: compact JWE, ECDH-ES + A256GCM, on WebCrypto only.
 * See docs/decisions/jwe-implementation.md for why this is not `jose` in the browser.
 */
export { encryptCardPayload } from './encrypt-card-payload';
export { selectEncryptionKey, isEncryptionJwk } from './encryption-key';
export type { EncryptionJwk } from './encryption-key';
