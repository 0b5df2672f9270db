/**
 * A fake vault for transport and direct-mode tests: msw handlers for the key set and the token
 * endpoint, a real P-256 key pair made with WebCrypto, and decryption of `encrypted_card` with jose.
 */
import { compactDecrypt, decodeProtectedHeader } from 'jose';
import { http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

export const API = 'https://api.test';
export const TOKENS_URL = `${API}/v1/tokens`;
export const KEYS_URL = `${API}/v1/encryption_keys`;

export interface VaultKey {
  jwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string; kid: string; use: 'enc'; alg: 'ECDH-ES' };
  privateKey: CryptoKey;
}

export async function makeVaultKey(kid: string): Promise<VaultKey> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  const pub = await crypto.subtle.exportKey('jwk', pair.publicKey);
  return {
    jwk: { kty: 'EC', crv: 'P-256', x: pub.x!, y: pub.y!, kid, use: 'enc', alg: 'ECDH-ES' },
    privateKey: pair.privateKey,
  };
}

/** Decrypts `encrypted_card` as the vault would (jose), checking the protected header. */
export async function decryptCard(jwe: string, keys: readonly VaultKey[]): Promise<Record<string, unknown>> {
  const header = decodeProtectedHeader(jwe);
  const key = keys.find((k) => k.jwk.kid === header.kid);
  if (!key) throw new Error(`unknown kid ${String(header.kid)}`);
  if (header.alg !== 'ECDH-ES' || header.enc !== 'A256GCM') throw new Error('wrong alg/enc');
  const { plaintext } = await compactDecrypt(jwe, key.privateKey);
  return JSON.parse(new TextDecoder().decode(plaintext)) as Record<string, unknown>;
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: [string, string][];
  credentials: RequestCredentials;
  mode: RequestMode;
  cache: RequestCache;
  redirect: RequestRedirect;
  /** Raw body text (POST). */
  text: string;
  form: URLSearchParams;
}

export const server = setupServer();
/** Every request that reached msw, in order (recorded at `request:start`, handled or not). */
export const seen: SeenRequest[] = [];
const reading: Promise<void>[] = [];

/** Resolves once the bodies of all requests seen so far are recorded (they are read asynchronously). */
export async function recorded(): Promise<void> {
  await Promise.all(reading);
}

server.events.on('request:start', ({ request }) => {
  const entry: SeenRequest = {
    method: request.method,
    url: request.url,
    headers: [...request.headers],
    credentials: request.credentials,
    mode: request.mode,
    cache: request.cache,
    redirect: request.redirect,
    text: '',
    form: new URLSearchParams(),
  };
  seen.push(entry);
  if (request.method === 'POST') {
    reading.push(
      request
        .clone()
        .text()
        .then((text) => {
          entry.text = text;
          entry.form = new URLSearchParams(text);
        }),
    );
  }
});

export function useMockServer(): void {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    seen.length = 0;
    reading.length = 0;
  });
  afterAll(() => server.close());
}

export const posts = (): SeenRequest[] => seen.filter((r) => r.method === 'POST');
export const keyFetches = (): SeenRequest[] => seen.filter((r) => r.method === 'GET' && r.url === KEYS_URL);

/** GET /v1/encryption_keys answering with `keys()` (called per request, so tests can rotate). */
export function keySetHandler(keys: () => readonly VaultKey[]) {
  return http.get(KEYS_URL, () =>
    HttpResponse.json({ keys: keys().map((k) => k.jwk) }, { headers: { 'Cache-Control': 'public, max-age=300' } }),
  );
}

export function tokenBody(card: Record<string, unknown> = {}): JsonBodyType {
  return {
    id: 'tok_1NTestToken000000000000',
    object: 'token',
    livemode: false,
    created: 1_760_000_000,
    expires_at: 1_760_000_900,
    used: false,
    card: {
      brand: 'visa',
      last4: String(card.number ?? '4242424242424242').slice(-4),
      exp_month: card.exp_month ?? 12,
      exp_year: card.exp_year ?? 2030,
      fingerprint: 'fp_abc123',
      name: card.name ?? null,
      address_zip: card.address_zip ?? null,
    },
  };
}

export function vaultError(status: number, code: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return HttpResponse.json(
    { error: { type: 'invalid_request_error', code, message: `vault says ${code}`, request_id: 'req_123', ...extra } },
    { status, headers: { 'Request-Id': 'req_123', ...headers } },
  );
}

/** POST /v1/tokens that decrypts the card with `keys` and answers a token (or what `respond` returns). */
export function tokenHandler(
  keys: () => readonly VaultKey[],
  respond?: (attempt: number, form: URLSearchParams) => Response | undefined | Promise<Response | undefined>,
) {
  let attempt = 0;
  return http.post(TOKENS_URL, async ({ request }) => {
    attempt += 1;
    const form = new URLSearchParams(await request.text());
    const custom = await respond?.(attempt, form);
    if (custom) return custom;
    const card = await decryptCard(form.get('encrypted_card') ?? '', keys());
    return HttpResponse.json(tokenBody(card), { headers: { 'Request-Id': `req_${attempt}` } });
  });
}

export const TEST_CARD = { number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' } as const;
export const PK = 'pk_test_abcdefghijklmnopqrstuvwx';
