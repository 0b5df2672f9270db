import { CardvaultError } from '../errors';
import { base64url } from './base64url';
import { concatKdf } from './concat-kdf';

/** The only algorithm pair Cardvault speaks. */
const ALG = 'ECDH-ES';
const ENC = 'A256GCM';

/**
 * ECDH-ES key derivation (RFC 7518 §4.6): ECDH on the curve, then Concat KDF. Exposed so the
 * RFC 7518 Appendix C and RFC 7520 §5.5 vectors can check it with their own `enc`/size.
 *
 * @param curveBits field size of the curve (256 for P-256): the length of Z.
 */
export async function deriveEcdhEsKey(
  subtle: SubtleCrypto,
  privateKey: CryptoKey,
  publicKey: CryptoKey,
  enc: string,
  keyBits: number,
  curveBits = 256,
  apu?: Uint8Array,
  apv?: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  const z = new Uint8Array(await subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, curveBits));
  return concatKdf(subtle, z, enc, keyBits, apu, apv);
}

/**
 * Encrypts `plaintext` to `recipient` (an imported P-256 ECDH public key) as a compact JWE with
 * `alg: "ECDH-ES"` (direct key agreement: no encrypted key) and `enc: "A256GCM"` (RFC 7516 §7.1).
 *
 * Every call generates a fresh ephemeral key pair, so every content key is fresh and used once.
 */
export async function encryptCompact(
  subtle: SubtleCrypto,
  recipient: CryptoKey,
  kid: string,
  plaintext: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const ephemeral = (await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, [
    'deriveBits',
  ])) as CryptoKeyPair;
  const [cek, epk] = await Promise.all([
    deriveEcdhEsKey(subtle, ephemeral.privateKey, recipient, ENC, 256).catch((cause: unknown) => {
      // Browsers refuse off-curve points at import; some implementations only here, at ECDH.
      throw new CardvaultError('encryption_keys_invalid', { cause });
    }),
    subtle.exportKey('jwk', ephemeral.publicKey),
  ]);
  // Only the public coordinates go in the header: exportKey also returns ext/key_ops.
  const header = { alg: ALG, enc: ENC, kid, epk: { kty: epk.kty, crv: epk.crv, x: epk.x, y: epk.y } };
  const protectedHeader = base64url(new TextEncoder().encode(JSON.stringify(header)));
  const contentKey = await subtle.importKey('raw', cek, 'AES-GCM', false, ['encrypt']);
  cek.fill(0);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12)); // 96-bit IV, RFC 7518 §5.3
  const sealed = new Uint8Array(
    await subtle.encrypt(
      // AAD is the ASCII of the encoded protected header (RFC 7516 §5.1 step 14): the header,
      // kid and epk included, cannot be swapped without failing the tag.
      { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(protectedHeader), tagLength: 128 },
      contentKey,
      plaintext,
    ),
  );
  const ciphertext = sealed.subarray(0, sealed.length - 16);
  const tag = sealed.subarray(sealed.length - 16);
  // header . encrypted key (empty for direct agreement) . iv . ciphertext . tag
  return `${protectedHeader}..${base64url(iv)}.${base64url(ciphertext)}.${base64url(tag)}`;
}
