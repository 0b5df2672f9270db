import { delay, http, HttpResponse } from 'msw';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Credential } from '../../../src/auth/credential';
import { isCardvaultError, type CardvaultError } from '../../../src/errors';
import { invalidateEncryptionKeys, prefetchEncryptionKeys } from '../../../src/transport/key-set';
import { createCardToken, type CreateCardTokenParams } from '../../../src/transport/tokenize';
import { VERSION } from '../../../src/version';
import {
  API,
  KEYS_URL,
  PK,
  TEST_CARD,
  TOKENS_URL,
  decryptCard,
  keyFetches,
  keySetHandler,
  makeVaultKey,
  posts,
  recorded,
  seen,
  server,
  tokenHandler,
  useMockServer,
  vaultError,
  type VaultKey,
} from './mock-vault';

useMockServer();

const credential: Credential = { kind: 'key', value: PK, livemode: false };
let key1: VaultKey;
let key2: VaultKey;
let keys: VaultKey[];

beforeAll(async () => {
  key1 = await makeVaultKey('k1');
  key2 = await makeVaultKey('k2');
});

beforeEach(() => {
  invalidateEncryptionKeys(API);
  keys = [key1];
  server.use(keySetHandler(() => keys));
});

function tokenize(overrides: Partial<CreateCardTokenParams> = {}) {
  const pending = createCardToken({
    card: { ...TEST_CARD },
    credential,
    apiBase: API,
    timeouts: { request: 2000, total: 5000 },
    ...overrides,
  });
  return pending.finally(recorded);
}

async function rejection(promise: Promise<unknown>): Promise<CardvaultError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(isCardvaultError(error)).toBe(true);
  return error as CardvaultError;
}

const SAFELISTED_OR_RUNTIME = new Set([
  // CORS-safelisted request headers
  'accept',
  'accept-language',
  'content-language',
  'content-type',
  // added by the runtime itself, never by our code (forbidden or UA-managed headers)
  'user-agent',
  'accept-encoding',
  'content-length',
  'host',
  'connection',
  'sec-fetch-mode',
  'cache-control',
  'pragma',
]);

describe('wire format', () => {
  it('posts a form-encoded body with the key, idempotency key, encrypted card, billing and client', async () => {
    server.use(tokenHandler(() => keys));
    const token = await tokenize({ billing: { name: 'Jane Doe', address_zip: '94107', address_country: 'US' }, hostOrigin: 'https://shop.example' });
    expect(token.id).toMatch(/^tok_/);
    const [post] = posts();
    expect(post).toBeDefined();
    const form = post!.form;
    expect([...form.keys()]).toEqual([
      'key',
      'idempotency_key',
      'encrypted_card',
      'host_origin',
      'card[name]',
      'card[address_zip]',
      'card[address_country]',
      'client',
    ]);
    expect(form.get('key')).toBe(PK);
    expect(form.get('idempotency_key')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(form.get('card[name]')).toBe('Jane Doe');
    expect(form.get('host_origin')).toBe('https://shop.example');
    expect(form.get('client')).toBe(`cardvault-js/${VERSION}`);
    // The body is exactly URLSearchParams' encoding of those fields.
    expect(post!.text).toBe(form.toString());
  });

  it('sends the card only encrypted: the vault decrypts it with jose, and nothing of it is in clear', async () => {
    server.use(tokenHandler(() => keys));
    await tokenize({ card: { ...TEST_CARD, name: 'Jane Doe', address_zip: '94107' } });
    const { form, text } = posts()[0]!;
    expect(text).not.toContain('4242424242424242');
    expect(text).not.toContain('424242');
    expect(form.has('card[number]')).toBe(false);
    expect(form.has('card[cvc]')).toBe(false);
    expect([...form.values()]).not.toContain('123');
    const card = await decryptCard(form.get('encrypted_card')!, keys);
    expect(card).toEqual({ number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123', name: 'Jane Doe', address_zip: '94107' });
  });

  it('uses client_token instead of key for a client token', async () => {
    server.use(tokenHandler(() => keys));
    const value = 'ct_test_eyJhbGciOiJFUzI1NiJ9.eyJ4IjoxfQ.c2ln';
    await tokenize({ credential: { kind: 'client_token', value, livemode: false } });
    const { form } = posts()[0]!;
    expect(form.get('client_token')).toBe(value);
    expect(form.has('key')).toBe(false);
  });

  it('is a CORS simple request: no non-safelisted header, credentials omitted, no-store, no redirects', async () => {
    server.use(tokenHandler(() => keys));
    await tokenize();
    for (const request of seen) {
      for (const [name, value] of request.headers) {
        expect(SAFELISTED_OR_RUNTIME.has(name), `unexpected header ${name}`).toBe(true);
        if (name === 'content-type') expect(value.split(';')[0]).toBe('application/x-www-form-urlencoded');
        if (name === 'accept') expect(value).toBe('*/*');
      }
      expect(request.credentials).toBe('omit');
      expect(request.mode).toBe('cors');
      expect(request.redirect).toBe('manual');
    }
    expect(posts()[0]!.cache).toBe('no-store');
    expect(posts()[0]!.headers.map(([n]) => n)).toContain('content-type');
    expect(keyFetches()[0]!.headers.find(([n]) => n === 'content-type')).toBeUndefined();
  });

  it('validates the token shape: a 200 that is not a token is invalid_response', async () => {
    server.use(http.post(TOKENS_URL, () => HttpResponse.json({ id: 'tok_x', object: 'card' })));
    expect((await rejection(tokenize())).code).toBe('invalid_response');
    server.use(http.post(TOKENS_URL, () => new HttpResponse('<html>ok</html>', { status: 200 })));
    expect((await rejection(tokenize())).code).toBe('invalid_response');
  });

  it('returns only the known token members', async () => {
    server.use(
      http.post(TOKENS_URL, async () => {
        const body = { id: 'tok_abc', object: 'token', livemode: false, created: 1, expires_at: 2, used: false, extra: 'x',
          card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, fingerprint: 'fp', secret: 'y' } };
        return HttpResponse.json(body);
      }),
    );
    const token = await tokenize();
    expect(token).toEqual({ id: 'tok_abc', object: 'token', livemode: false, created: 1, expires_at: 2, used: false,
      card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, fingerprint: 'fp' } });
  });

  it('does not follow a redirect', async () => {
    let followed = 0;
    server.use(
      http.post(TOKENS_URL, () => new HttpResponse(null, { status: 307, headers: { Location: 'https://elsewhere.test/steal' } })),
      http.post('https://elsewhere.test/steal', () => {
        followed += 1;
        return HttpResponse.json({});
      }),
    );
    const error = await rejection(tokenize());
    expect(error.code).toBe('invalid_response');
    expect(followed).toBe(0);
    expect(posts()).toHaveLength(1);
  });
});

describe('retries', () => {
  it.each([
    [500, 'api_error'],
    [503, 'api_error'],
    [429, 'rate_limited'],
  ])('retries after %i and reuses the idempotency key', async (status, code) => {
    server.use(tokenHandler(() => keys, (n) => (n <= 2 ? vaultError(status, code) : undefined)));
    const token = await tokenize();
    expect(token.object).toBe('token');
    const sent = posts();
    expect(sent).toHaveLength(3);
    const idempotencyKeys = new Set(sent.map((p) => p.form.get('idempotency_key')));
    expect(idempotencyKeys.size).toBe(1);
    // A retry resends the same body (same JWE): the vault sees one logical request.
    expect(new Set(sent.map((p) => p.text)).size).toBe(1);
  });

  it('retries after a network failure', async () => {
    server.use(tokenHandler(() => keys, (n) => (n === 1 ? HttpResponse.error() : undefined)));
    await tokenize();
    const sent = posts();
    expect(sent).toHaveLength(2);
    expect(sent[0]!.form.get('idempotency_key')).toBe(sent[1]!.form.get('idempotency_key'));
  });

  it('ends with network_failure when the network stays down', async () => {
    server.use(http.post(TOKENS_URL, () => HttpResponse.error()));
    const error = await rejection(tokenize({ timeouts: { request: 1000, total: 1200 } }));
    expect(error.code).toBe('network_failure');
    expect(error.type).toBe('network_error');
    expect(posts().length).toBeGreaterThan(1);
  });

  it('honours Retry-After (seconds) on 429', async () => {
    server.use(tokenHandler(() => keys, (n) => (n === 1 ? vaultError(429, 'rate_limited', {}, { 'Retry-After': '1' }) : undefined)));
    const started = Date.now();
    await tokenize();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(posts()).toHaveLength(2);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 1500).toUTCString(); // whole seconds: waits 0.5-1.5 s
    server.use(tokenHandler(() => keys, (n) => (n === 1 ? vaultError(503, 'api_error', {}, { 'Retry-After': at }) : undefined)));
    const started = Date.now();
    await tokenize();
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(posts()).toHaveLength(2);
  });

  it('fails at once with rate_limited when Retry-After exceeds the remaining budget', async () => {
    server.use(http.post(TOKENS_URL, () => vaultError(429, 'rate_limited', {}, { 'Retry-After': '120' })));
    const started = Date.now();
    const error = await rejection(tokenize({ timeouts: { request: 1000, total: 3000 } }));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toMatchObject({ code: 'rate_limited', type: 'rate_limit_error', status: 429, requestId: 'req_123' });
    expect(posts()).toHaveLength(1);
  });

  it.each([
    [400, 'parameter_invalid', 'invalid_request_error'],
    [402, 'card_declined', 'card_error'],
    [401, 'api_key_invalid', 'authentication_error'],
    [409, 'idempotency_key_reused', 'invalid_request_error'],
  ])('never retries %i (%s)', async (status, code, type) => {
    server.use(http.post(TOKENS_URL, () => vaultError(status, code, { param: 'card[number]' })));
    const error = await rejection(tokenize());
    expect(error).toMatchObject({ code, type, status, requestId: 'req_123', param: 'card[number]', message: `vault says ${code}` });
    expect(posts()).toHaveLength(1);
  });
});

describe('error mapping', () => {
  it('maps an unknown vault code to api_error, keeping status and request id', async () => {
    server.use(http.post(TOKENS_URL, () => vaultError(400, 'brand_new_code')));
    expect(await rejection(tokenize())).toMatchObject({ code: 'api_error', status: 400, requestId: 'req_123' });
  });

  it('maps a non-JSON error body to invalid_response, with the Request-Id header', async () => {
    server.use(
      http.post(TOKENS_URL, () => new HttpResponse('<h1>Bad Request</h1>', { status: 400, headers: { 'Request-Id': 'req_hdr' } })),
    );
    expect(await rejection(tokenize())).toMatchObject({ code: 'invalid_response', status: 400, requestId: 'req_hdr' });
  });

  it('takes the request id from the Request-Id header when the body has none', async () => {
    server.use(
      http.post(TOKENS_URL, () =>
        HttpResponse.json({ error: { code: 'card_declined' } }, { status: 402, headers: { 'Request-Id': 'req_hdr' } }),
      ),
    );
    expect(await rejection(tokenize())).toMatchObject({ code: 'card_declined', requestId: 'req_hdr' });
  });

  it('keeps retrying 5xx within the budget, then reports the last error', async () => {
    server.use(http.post(TOKENS_URL, () => vaultError(503, 'api_error')));
    const started = Date.now();
    const error = await rejection(tokenize({ timeouts: { request: 500, total: 800 } }));
    expect(Date.now() - started).toBeLessThan(1200);
    expect(error).toMatchObject({ code: 'api_error', status: 503 });
    expect(posts().length).toBeGreaterThanOrEqual(2);
    expect(new Set(posts().map((p) => p.form.get('idempotency_key'))).size).toBe(1);
  });
});

describe('timeouts and abort', () => {
  it('retries an attempt that exceeds the per-attempt timeout, with the same idempotency key', async () => {
    server.use(
      tokenHandler(
        () => keys,
        async (n) => {
          if (n === 1) await delay(1000);
          return undefined;
        },
      ),
    );
    const started = Date.now();
    await tokenize({ timeouts: { request: 150, total: 3000 } });
    expect(Date.now() - started).toBeLessThan(900);
    expect(posts()).toHaveLength(2);
    expect(posts()[0]!.form.get('idempotency_key')).toBe(posts()[1]!.form.get('idempotency_key'));
  });

  it('rejects with timeout when the total budget runs out', async () => {
    server.use(http.post(TOKENS_URL, async () => {
      await delay(5000);
      return HttpResponse.json({});
    }));
    const started = Date.now();
    const error = await rejection(tokenize({ timeouts: { request: 4000, total: 300 } }));
    const elapsed = Date.now() - started;
    expect(error.code).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(1000);
  });

  it('rejects with timeout when every attempt times out', async () => {
    server.use(http.post(TOKENS_URL, async () => {
      await delay(5000);
      return HttpResponse.json({});
    }));
    const error = await rejection(tokenize({ timeouts: { request: 100, total: 700 } }));
    expect(error.code).toBe('timeout');
    expect(posts().length).toBeGreaterThanOrEqual(2);
  });

  it('aborts an in-flight request and makes no further attempt', async () => {
    server.use(http.post(TOKENS_URL, async () => {
      await delay(2000);
      return HttpResponse.json({});
    }));
    const controller = new AbortController();
    const pending = tokenize({ signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const error = await rejection(pending);
    expect(error).toMatchObject({ code: 'aborted', type: 'network_error' });
    await new Promise((r) => setTimeout(r, 400));
    expect(posts()).toHaveLength(1);
  });

  it('aborts during a backoff wait', async () => {
    server.use(http.post(TOKENS_URL, () => vaultError(429, 'rate_limited', {}, { 'Retry-After': '2' })));
    const controller = new AbortController();
    const pending = tokenize({ signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    expect((await rejection(pending)).code).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(posts()).toHaveLength(1);
  });

  it('makes no request with an already-aborted signal', async () => {
    server.use(tokenHandler(() => keys));
    const error = await rejection(tokenize({ signal: AbortSignal.abort() }));
    expect(error.code).toBe('aborted');
    expect(seen).toHaveLength(0);
  });
});

describe('encryption key set', () => {
  it('is fetched once across several tokenizations, and a cached set means one request per tokenization', async () => {
    server.use(tokenHandler(() => keys));
    prefetchEncryptionKeys(API);
    await Promise.all([tokenize(), tokenize()]);
    await tokenize();
    expect(keyFetches()).toHaveLength(1);
    seen.length = 0;
    await tokenize();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe(TOKENS_URL);
  });

  it('does not cache a failed fetch', async () => {
    let calls = 0;
    server.use(
      http.get(KEYS_URL, () => {
        calls += 1;
        return calls === 1 ? vaultError(404, 'resource_missing') : HttpResponse.json({ keys: keys.map((k) => k.jwk) });
      }),
      tokenHandler(() => keys),
    );
    expect((await rejection(tokenize())).code).toBe('resource_missing');
    expect(posts()).toHaveLength(0);
    await tokenize();
    expect(calls).toBe(2);
  });

  it('refuses an unusable key set with encryption_keys_invalid and sends nothing', async () => {
    server.use(http.get(KEYS_URL, () => HttpResponse.json({ keys: [{ kty: 'RSA', n: 'x', e: 'AQAB', kid: 'r' }] })), tokenHandler(() => keys));
    expect((await rejection(tokenize())).code).toBe('encryption_keys_invalid');
    expect(posts()).toHaveLength(0);
  });

  it.each(['encryption_key_unknown', 'encryption_key_retired'])(
    'on %s refetches the key set, re-encrypts and retries once with the same idempotency key',
    async (code) => {
      server.use(
        tokenHandler(
          () => [key1, key2],
          (n) => {
            if (n === 1) {
              keys = [key2]; // the vault rotated: k1 is gone
              return vaultError(400, code);
            }
            return undefined;
          },
        ),
      );
      const token = await tokenize();
      expect(token.object).toBe('token');
      const [first, second] = posts();
      expect(posts()).toHaveLength(2);
      expect(keyFetches()).toHaveLength(2);
      expect(first!.form.get('idempotency_key')).toBe(second!.form.get('idempotency_key'));
      const kid = (jwe: string) => JSON.parse(Buffer.from(jwe.split('.')[0]!, 'base64url').toString()).kid as string;
      expect(kid(first!.form.get('encrypted_card')!)).toBe('k1');
      expect(kid(second!.form.get('encrypted_card')!)).toBe('k2');
      expect(await decryptCard(second!.form.get('encrypted_card')!, [key2])).toMatchObject({ number: '4242424242424242' });
    },
  );

  it('retries only once after a key rotation', async () => {
    server.use(http.post(TOKENS_URL, () => vaultError(400, 'encryption_key_unknown')));
    expect((await rejection(tokenize())).code).toBe('encryption_key_unknown');
    expect(posts()).toHaveLength(2);
  });
});
