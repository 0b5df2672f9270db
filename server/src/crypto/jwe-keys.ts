/**
 * The vault's side of card encryption: P-256 key generation for the published JWKS, and strict
 * decryption of the compact JWEs (ECDH-ES + A256GCM) the SDK sends as `encrypted_card`.
 *
 * Security rules enforced here, each at the line that does it:
 * - the algorithm pair is fixed (no algorithm agility an attacker could steer);
 * - the header is checked before any key lookup or crypto, and the JWE size is bounded;
 * - unknown and retired kids have their own codes so the SDK can refetch keys and retry;
 * - the plaintext shape is checked strictly and no plaintext ever reaches an error message.
 */
import { randomBytes, type webcrypto } from 'node:crypto';
import { compactDecrypt, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { CardvaultError } from '../../../src/errors';
import type { CardPayload } from '../../../src/types';

type JsonWebKey = webcrypto.JsonWebKey;

/** A JWE with a P-256 epk and a card payload is ~700 bytes; 8 KB leaves room and bounds work. */
export const MAX_JWE_LENGTH = 8192;
const SEGMENT = /^[A-Za-z0-9_-]*$/;
const KID = /^[\x21-\x7e]{1,128}$/;
const COORDINATE = /^[A-Za-z0-9_-]{43}$/;
/** Protected header members we accept. `crit`, `zip`, `jku`, `jwk`, `x5u`… are refused. */
const HEADER_MEMBERS = new Set(['alg', 'enc', 'kid', 'epk', 'apu', 'apv', 'typ', 'cty']);
const PAYLOAD_MEMBERS = new Set(['number', 'exp_month', 'exp_year', 'cvc', 'name', 'address_zip']);

/** A generated encryption key. `privateJwk` must be stored encrypted (envelope, like card data). */
export interface GeneratedEncryptionKey {
  kid: string;
  publicJwk: JsonWebKey & { kid: string };
  privateJwk: JsonWebKey & { kid: string };
}

/** What the vault's key store answers for a kid. `usable: false` once the grace period ended. */
export interface EncryptionKeyRecord {
  privateJwk: JsonWebKey;
  usable: boolean;
}

/**
 * Generates a P-256 key pair for ECDH-ES with a random kid (`ek_` + 16 base64url chars).
 *
 * @example
 * const { kid, publicJwk, privateJwk } = await generateEncryptionKey();
 * // publish publicJwk in GET /v1/encryption_keys; store privateJwk encrypted under the data key
 */
export async function generateEncryptionKey(): Promise<GeneratedEncryptionKey> {
  const kid = `ek_${randomBytes(12).toString('base64url')}`;
  const { publicKey, privateKey } = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
  const pub = await exportJWK(publicKey);
  const priv = await exportJWK(privateKey);
  const publicJwk = { kty: 'EC', crv: 'P-256', x: pub.x, y: pub.y, kid, use: 'enc', alg: 'ECDH-ES' };
  const privateJwk = { ...publicJwk, d: priv.d };
  return { kid, publicJwk, privateJwk };
}

function invalid(message: string, cause?: unknown): CardvaultError {
  return new CardvaultError('encrypted_payload_invalid', { param: 'encrypted_card', message, cause });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseProtectedHeader(segment: string): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(segment, 'base64url')));
  } catch {
    throw invalid('The encrypted_card protected header is not base64url JSON.');
  }
  if (!isRecord(header)) throw invalid('The encrypted_card protected header is not a JSON object.');
  for (const member of Object.keys(header)) {
    if (!HEADER_MEMBERS.has(member)) throw invalid('The encrypted_card protected header has an unsupported member.');
  }
  // Fixed algorithm pair: anything else (dir, RSA, A128GCM, CBC-HS…) is refused before any crypto.
  if (header.alg !== 'ECDH-ES') throw invalid('The encrypted_card alg must be ECDH-ES.');
  if (header.enc !== 'A256GCM') throw invalid('The encrypted_card enc must be A256GCM.');
  if (typeof header.kid !== 'string' || !KID.test(header.kid)) throw invalid('The encrypted_card kid is missing or malformed.');
  const epk = header.epk;
  // The ephemeral key must be a public P-256 point; other curves are refused (invalid-curve attacks).
  if (
    !isRecord(epk) ||
    epk.kty !== 'EC' ||
    epk.crv !== 'P-256' ||
    typeof epk.x !== 'string' ||
    !COORDINATE.test(epk.x) ||
    typeof epk.y !== 'string' ||
    !COORDINATE.test(epk.y) ||
    epk.d !== undefined
  ) {
    throw invalid('The encrypted_card epk must be a public EC P-256 key.');
  }
  return header;
}

const privateKeyCache = new Map<string, { d: string; key: CryptoKey }>();

async function importPrivateKey(kid: string, jwk: JsonWebKey): Promise<CryptoKey> {
  const cached = privateKeyCache.get(kid);
  if (cached && cached.d === jwk.d) return cached.key;
  let key: CryptoKey;
  try {
    if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string') throw new TypeError('Not an EC P-256 private JWK.');
    key = (await importJWK({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, d: jwk.d } as JWK, 'ECDH-ES')) as CryptoKey;
  } catch (cause) {
    // The vault's own key store is broken: an internal error, not the sender's fault.
    throw new CardvaultError('api_error', { message: 'An encryption key could not be loaded.', cause });
  }
  if (privateKeyCache.size >= 16) privateKeyCache.clear();
  privateKeyCache.set(kid, { d: jwk.d as string, key });
  return key;
}

function field(param: string, message: string): CardvaultError {
  return new CardvaultError('parameter_invalid', { param: `card[${param}]`, message });
}

/** Strict shape check of the decrypted card. Messages name the member, never its value. */
function parsePayload(plaintext: Uint8Array): CardPayload {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    throw invalid('The decrypted encrypted_card is not UTF-8 JSON.');
  }
  if (!isRecord(value)) throw invalid('The decrypted encrypted_card is not a JSON object.');
  for (const member of Object.keys(value)) {
    if (!PAYLOAD_MEMBERS.has(member)) throw invalid('The decrypted encrypted_card has an unknown member.');
  }
  for (const member of ['number', 'exp_month', 'exp_year', 'cvc'] as const) {
    if (value[member] === undefined) {
      throw new CardvaultError('parameter_missing', { param: `card[${member}]`, message: `The encrypted card has no ${member}.` });
    }
  }
  const { number, exp_month, exp_year, cvc, name, address_zip } = value;
  if (typeof number !== 'string' || !/^[0-9]{1,19}$/.test(number)) throw field('number', 'The card number must be a string of at most 19 digits.');
  if (typeof exp_month !== 'number' || !Number.isSafeInteger(exp_month)) throw field('exp_month', 'exp_month must be an integer.');
  if (typeof exp_year !== 'number' || !Number.isSafeInteger(exp_year)) throw field('exp_year', 'exp_year must be an integer.');
  if (typeof cvc !== 'string' || !/^[0-9]{1,4}$/.test(cvc)) throw field('cvc', 'cvc must be a string of at most 4 digits.');
  const card: CardPayload = { number, exp_month, exp_year, cvc };
  if (name !== undefined) {
    if (typeof name !== 'string' || name.length > 256) throw field('name', 'name must be a string of at most 256 characters.');
    card.name = name;
  }
  if (address_zip !== undefined) {
    if (typeof address_zip !== 'string' || address_zip.length > 32) throw field('address_zip', 'address_zip must be a string of at most 32 characters.');
    card.address_zip = address_zip;
  }
  return card;
}

/**
 * Decrypts an `encrypted_card` compact JWE and returns the card, strictly validated.
 *
 * @param lookup resolves a kid to the stored private key; `null` when unknown.
 * @throws CardvaultError `encrypted_payload_invalid` (malformed, tampered, wrong alg/enc/curve),
 *   `encryption_key_unknown`, `encryption_key_retired`, `parameter_missing` / `parameter_invalid`
 *   (a card member of the wrong type), `api_error` (a stored key that cannot be loaded).
 * @example
 * const card = await decryptCardPayload(form.encrypted_card, (kid) => keyStore.find(kid));
 */
export async function decryptCardPayload(
  jwe: string,
  lookup: (kid: string) => Promise<EncryptionKeyRecord | null>,
): Promise<CardPayload> {
  // Size first: nothing below runs on an unbounded input.
  if (typeof jwe !== 'string' || jwe.length === 0 || jwe.length > MAX_JWE_LENGTH) {
    throw invalid('encrypted_card must be a compact JWE of at most 8 KB.');
  }
  const parts = jwe.split('.');
  if (parts.length !== 5 || !parts.every((part) => SEGMENT.test(part))) {
    throw invalid('encrypted_card must be a compact JWE: five base64url segments.');
  }
  const [protectedSegment, encryptedKey, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  const header = parseProtectedHeader(protectedSegment);
  // Direct key agreement has no encrypted key; 96-bit IV and 128-bit tag for A256GCM.
  if (encryptedKey !== '' || iv.length !== 16 || tag.length !== 22 || ciphertext.length === 0) {
    throw invalid('encrypted_card segments have the wrong sizes for ECDH-ES + A256GCM.');
  }
  const kid = header.kid as string;
  const record = await lookup(kid);
  if (record === null) throw new CardvaultError('encryption_key_unknown', { param: 'encrypted_card' });
  if (!record.usable) throw new CardvaultError('encryption_key_retired', { param: 'encrypted_card' });
  const key = await importPrivateKey(kid, record.privateJwk);
  let plaintext: Uint8Array;
  try {
    // The allow-lists repeat the header check inside jose: defence in depth against a bypass above.
    ({ plaintext } = await compactDecrypt(jwe, key, {
      keyManagementAlgorithms: ['ECDH-ES'],
      contentEncryptionAlgorithms: ['A256GCM'],
    }));
  } catch (cause) {
    // jose's messages carry no plaintext (it is never produced when the tag fails).
    throw invalid('encrypted_card could not be decrypted.', cause);
  }
  try {
    return parsePayload(plaintext);
  } finally {
    plaintext.fill(0);
  }
}
