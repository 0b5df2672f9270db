/**
 * Concat KDF (NIST SP 800-56A §5.8.1, single-step, SHA-256) as JOSE uses it for ECDH-ES
 * (RFC 7518 §4.6.2). The hash is WebCrypto's SHA-256; only the framing is done here.
 */

/** 32-bit big-endian length prefix followed by the bytes (RFC 7518 §4.6.2 "Datalen || Data"). */
function lengthPrefixed(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(4 + data.length);
  new DataView(out.buffer).setUint32(0, data.length);
  out.set(data, 4);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function uint32(value: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

/**
 * Derives `keyBits` of key material from the ECDH shared secret `z`.
 *
 * In direct key agreement (`alg: "ECDH-ES"`) AlgorithmID is the `enc` value and keydatalen is the
 * content key size, so the derived key is bound to the content algorithm: a JWE cannot be replayed
 * with the same shared secret under a weaker `enc`.
 *
 * @param algorithmId `enc` for ECDH-ES direct (e.g. "A256GCM"), the `alg` for ECDH-ES+A*KW.
 * @param keyBits keydatalen (256 for A256GCM, 128 for A128GCM).
 * @param apu PartyUInfo bytes (decoded `apu`); empty when absent, as Cardvault sends it.
 * @param apv PartyVInfo bytes (decoded `apv`); empty when absent.
 *
 * @example const cek = await concatKdf(crypto.subtle, z, 'A256GCM', 256);
 */
export async function concatKdf(
  subtle: SubtleCrypto,
  z: Uint8Array,
  algorithmId: string,
  keyBits: number,
  apu: Uint8Array = new Uint8Array(0),
  apv: Uint8Array = new Uint8Array(0),
): Promise<Uint8Array<ArrayBuffer>> {
  const otherInfo = concat(
    lengthPrefixed(new TextEncoder().encode(algorithmId)),
    lengthPrefixed(apu),
    lengthPrefixed(apv),
    uint32(keyBits), // SuppPubInfo: keydatalen in bits, 32-bit big-endian
  );
  const rounds = Math.ceil(keyBits / 256);
  const out = new Uint8Array(rounds * 32);
  for (let round = 1; round <= rounds; round++) {
    const digest = await subtle.digest('SHA-256', concat(uint32(round), z, otherInfo));
    out.set(new Uint8Array(digest), (round - 1) * 32);
  }
  return out.slice(0, keyBits >> 3);
}
