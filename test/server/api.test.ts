/**
 * The vault's API contract, against a live server on an ephemeral port, on every storage backend
 * (PGlite always, PostgreSQL when TEST_DATABASE_URL is set).
 */
import { request as httpRequest } from 'node:http';
import { CompactEncrypt, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/errors';
import { ALL_TEST_NUMBERS, APPROVED_CARDS, DECLINING_CARDS, futureExpiry } from '../fixtures/test-cards';
import { backends, bearer, cardForm, FRAME_ORIGIN, get, postForm, postJson, startTestVault, type TestVault } from './helpers';

function expectError(res: { status: number; body: any; headers: Headers }, code: keyof typeof CATALOGUE): void {
  expect(res.body?.error?.code, JSON.stringify(res.body)).toBe(code);
  expect(res.status).toBe(CATALOGUE[code].status);
  expect(res.body.error.type).toBe(CATALOGUE[code].type);
  expect(res.body.error.request_id).toMatch(/^req_/);
  expect(res.headers.get('request-id')).toBe(res.body.error.request_id);
  expect(res.body.error.message).not.toMatch(/\n\s+at /);
}

async function encryptCard(v: TestVault, card: Record<string, unknown>, kid?: string): Promise<string> {
  const { body } = await get(`${v.url}/v1/encryption_keys`);
  const jwk = (kid ? body.keys.find((k: JWK) => k.kid === kid) : body.keys[0]) as JWK & { kid: string };
  const key = await importJWK(jwk, 'ECDH-ES');
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(card)))
    .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: jwk.kid })
    .encrypt(key);
}

describe.each(backends())('vault API on $name', (backend) => {
  let v: TestVault;
  let tokens: string;
  beforeAll(async () => {
    v = await startTestVault(backend);
    tokens = `${v.url}/v1/tokens`;
  });
  afterAll(async () => {
    await v?.close();
  });

  async function newToken(number = '4242424242424242', extra: Record<string, string> = {}): Promise<string> {
    const res = await postForm(tokens, cardForm(v.keys.publishableKey, number, extra));
    expect(res.status, res.text).toBe(200);
    return res.body.id as string;
  }

  describe('POST /v1/tokens', () => {
    it('creates a test-mode token from clear fields', async () => {
      const { exp_year } = futureExpiry();
      const res = await postForm(tokens, cardForm(v.keys.publishableKey, '4242 4242 4242 4242', { 'card[name]': 'Jane Doe', 'card[address_zip]': '94107' }));
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        object: 'token',
        livemode: false,
        used: false,
        card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year, name: 'Jane Doe', address_zip: '94107' },
      });
      expect(res.body.id).toMatch(/^tok_[A-Za-z0-9]{24}$/);
      expect(res.body.expires_at - res.body.created).toBe(900);
      expect(res.body.card.fingerprint).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(res.text).not.toContain('4242424242424242');
      expect(res.headers.get('cache-control')).toBe('no-store');
    });

    it('gives one card the same fingerprint, another card a different one', async () => {
      const a = await postForm(tokens, cardForm(v.keys.publishableKey, '4242424242424242'));
      const b = await postForm(tokens, cardForm(v.keys.publishableKey, '4242424242424242'));
      const c = await postForm(tokens, cardForm(v.keys.publishableKey, '5555555555554444'));
      expect(a.body.card.fingerprint).toBe(b.body.card.fingerprint);
      expect(c.body.card.fingerprint).not.toBe(a.body.card.fingerprint);
    });

    it.each(APPROVED_CARDS)('detects $description', async (card) => {
      const res = await postForm(tokens, cardForm(v.keys.publishableKey, card.number));
      expect(res.status, res.text).toBe(200);
      expect(res.body.card.brand).toBe(card.brand);
      expect(res.body.card.last4).toBe(card.number.slice(-4));
    });

    it('accepts a JSON body with the same fields', async () => {
      const { exp_month, exp_year } = futureExpiry();
      const res = await postJson(tokens, { key: v.keys.publishableKey, card: { number: '4242424242424242', exp_month, exp_year, cvc: '123' } });
      expect(res.status, res.text).toBe(200);
    });

    const { exp_year } = futureExpiry();
    const badCards: [string, Record<string, string>, keyof typeof CATALOGUE][] = [
      ['Luhn failure', { 'card[number]': '4242424242424241' }, 'invalid_number'],
      ['unknown prefix', { 'card[number]': '1234567812345670' }, 'invalid_number'],
      ['too short', { 'card[number]': '424242' }, 'incomplete_number'],
      ['letters', { 'card[number]': '4242abcd42424242' }, 'invalid_number'],
      ['10,000 digits', { 'card[number]': '4'.repeat(10_000) }, 'invalid_number'],
      ['month 13', { 'card[exp_month]': '13' }, 'invalid_expiry_month'],
      ['month 0', { 'card[exp_month]': '0' }, 'invalid_expiry_month'],
      ['month as word', { 'card[exp_month]': 'dec' }, 'invalid_expiry_month'],
      ['year 3 digits', { 'card[exp_year]': '203' }, 'invalid_expiry_year'],
      ['year far ahead', { 'card[exp_year]': String(exp_year + 40) }, 'invalid_expiry_year'],
      ['expiry in the past', { 'card[exp_year]': '2020' }, 'expiry_in_past'],
      ['CVC too short', { 'card[cvc]': '12' }, 'invalid_cvc'],
      ['CVC letters', { 'card[cvc]': '12a' }, 'invalid_cvc'],
      ['CVC 4 digits on Visa', { 'card[cvc]': '1234' }, 'invalid_cvc'],
      ['bad postal code', { 'card[address_zip]': '<script>' }, 'invalid_postal_code'],
    ];
    it.each(badCards)('refuses %s', async (_name, override, code) => {
      const res = await postForm(tokens, { ...cardForm(v.keys.publishableKey), ...override });
      expectError(res, code);
      expect(res.body.error.param).toMatch(/^card\[/);
    });

    it('refuses a missing card field', async () => {
      const form = cardForm(v.keys.publishableKey);
      delete form['card[cvc]'];
      const res = await postForm(tokens, form);
      expectError(res, 'parameter_missing');
      expect(res.body.error.param).toBe('card[cvc]');
    });

    const base = (): string => new URLSearchParams(cardForm(v.keys.publishableKey)).toString();
    const badBodies: [string, () => string, keyof typeof CATALOGUE][] = [
      ['a duplicated field', () => `${base()}&card%5Bnumber%5D=4242424242424242`, 'parameter_duplicated'],
      ['an unknown field', () => `${base()}&card%5Bcolor%5D=blue`, 'parameter_unknown'],
      ['card[__proto__]', () => `${base()}&card%5B__proto__%5D%5Bpolluted%5D=1`, 'parameter_unknown'],
      ['__proto__', () => `${base()}&__proto__=1`, 'parameter_unknown'],
      ['constructor[prototype]', () => `${base()}&constructor%5Bprototype%5D%5Bx%5D=1`, 'parameter_unknown'],
      ['a malformed percent escape', () => `${base()}&card%5Bname%5D=%E0%A4%A`, 'body_malformed'],
      ['a percent escape of invalid UTF-8', () => `${base()}&card%5Bname%5D=%FF%FE`, 'body_malformed'],
      ['an array where a string goes', () => `${base()}&card%5Bname%5D%5B%5D=x`, 'parameter_unknown'],
    ];
    it.each(badBodies)('refuses a body with %s', async (_name, body, code) => {
      const res = await postForm(tokens, body());
      expectError(res, code);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('refuses non-UTF-8 bytes', async () => {
      const bytes = Buffer.concat([Buffer.from(base()), Buffer.from('&card%5Bname%5D='), Buffer.from([0xc3, 0x28])]);
      const r = await fetch(tokens, { method: 'POST', body: bytes, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expectError({ status: r.status, headers: r.headers, body: await r.json() }, 'body_malformed');
    });

    it('refuses a body over 16 KB (declared and streamed)', async () => {
      const big = `${base()}&card%5Bname%5D=${'a'.repeat(17 * 1024)}`;
      expectError(await postForm(tokens, big), 'body_too_large');
      const stream = new ReadableStream({
        start(c) {
          for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode('a'.repeat(1024)));
          c.close();
        },
      });
      const r = await fetch(tokens, { method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': 'application/x-www-form-urlencoded' } } as RequestInit);
      expect(r.status).toBe(413);
      expect(((await r.json()) as any).error.code).toBe('body_too_large');
    });

    it('refuses other media types and malformed JSON', async () => {
      const r = await fetch(tokens, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
      expect(r.status).toBe(415);
      expectError(await postJson(tokens, '{"key": "pk_test_x",'), 'body_malformed');
      expectError(await postJson(tokens, '[1,2]'), 'body_malformed');
      expectError(await postJson(tokens, `{"key":"${v.keys.publishableKey}","key":"${v.keys.publishableKey}"}`), 'parameter_duplicated');
      expectError(await postJson(tokens, { key: v.keys.publishableKey, card: { number: 4242424242424242, __proto__x: 1 } }), 'parameter_unknown');
      expectError(await postJson(tokens, `{"key":"${v.keys.publishableKey}","card":{"__proto__":{"x":1}}}`), 'parameter_unknown');
      expectError(await postJson(tokens, { key: v.keys.publishableKey, card: { number: { n: '4242' } } }), 'parameter_unknown');
      expectError(await postJson(tokens, { key: v.keys.publishableKey, card: { number: null } }), 'parameter_invalid');
      const huge = `{"key":"${v.keys.publishableKey}","card":{"number":${'9'.repeat(10_000)},"exp_month":12,"exp_year":2040,"cvc":"123"}}`;
      expectError(await postJson(tokens, huge), 'invalid_number');
    });

    it('changes nothing when it refuses', async () => {
      const before = await v.store.rawQuery('SELECT count(*)::int AS n FROM tokens');
      await postForm(tokens, `${base()}&card%5Bnumber%5D=1`);
      await postForm(tokens, { ...cardForm(v.keys.publishableKey), 'card[cvc]': '1' });
      const after = await v.store.rawQuery('SELECT count(*)::int AS n FROM tokens');
      expect(after[0]!.n).toBe(before[0]!.n);
    });

    it('authenticates the publishable key', async () => {
      expectError(await postForm(tokens, cardForm('pk_test_doesnotexist0000000000')), 'api_key_invalid');
      expectError(await postForm(tokens, cardForm('pk_test_x')), 'invalid_publishable_key');
      expectError(await postForm(tokens, cardForm(v.keys.secretKey)), 'secret_key_in_browser');
      const noKey = cardForm(v.keys.publishableKey);
      delete (noKey as Record<string, string>).key;
      expectError(await postForm(tokens, noKey), 'invalid_publishable_key');
    });

    it('never answers with a stack trace, even for an unexpected error', async () => {
      const res = await postForm(tokens, `${base()}&idempotency_key=%00`);
      expect(res.status).toBeLessThan(500);
      expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    });
  });

  describe('encrypted_card (JWE)', () => {
    it('accepts a JWE made by jose from the published key set', async () => {
      const { exp_month, exp_year } = futureExpiry();
      const jwe = await encryptCard(v, { number: '5555555555554444', exp_month, exp_year, cvc: '123', name: 'J Doe' });
      const res = await postForm(tokens, { key: v.keys.publishableKey, encrypted_card: jwe, 'card[address_zip]': '10001' });
      expect(res.status, res.text).toBe(200);
      expect(res.body.card).toMatchObject({ brand: 'mastercard', last4: '4444', name: 'J Doe', address_zip: '10001' });
    });

    it('requires encryption in live mode, and accepts it from an allowed origin', async () => {
      const origin = { origin: 'https://shop.example' };
      const clear = await postForm(tokens, cardForm(v.keys.livePublishableKey), origin);
      expectError(clear, 'encryption_required');
      const { exp_month, exp_year } = futureExpiry();
      const jwe = await encryptCard(v, { number: '4242424242424242', exp_month, exp_year, cvc: '123' });
      const res = await postForm(tokens, { key: v.keys.livePublishableKey, encrypted_card: jwe }, origin);
      expect(res.status, res.text).toBe(200);
      expect(res.body.livemode).toBe(true);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    });

    it('refuses a tampered JWE, an unknown kid and clear fields beside it', async () => {
      const { exp_month, exp_year } = futureExpiry();
      const jwe = await encryptCard(v, { number: '4242424242424242', exp_month, exp_year, cvc: '123' });
      const parts = jwe.split('.');
      parts[3] = parts[3]!.startsWith('A') ? `B${parts[3]!.slice(1)}` : `A${parts[3]!.slice(1)}`;
      expectError(await postForm(tokens, { key: v.keys.publishableKey, encrypted_card: parts.join('.') }), 'encrypted_payload_invalid');
      const header = JSON.parse(Buffer.from(jwe.split('.')[0]!, 'base64url').toString());
      header.kid = 'ek_unknownkid000000';
      const unknown = [Buffer.from(JSON.stringify(header)).toString('base64url'), ...jwe.split('.').slice(1)].join('.');
      expectError(await postForm(tokens, { key: v.keys.publishableKey, encrypted_card: unknown }), 'encryption_key_unknown');
      expectError(await postForm(tokens, { key: v.keys.publishableKey, encrypted_card: jwe, 'card[number]': '4242424242424242' }), 'parameter_invalid');
    });

    it('rotates encryption keys: the old key works during the grace period, then is retired', async () => {
      const { exp_month, exp_year } = futureExpiry();
      const before = await get(`${v.url}/v1/encryption_keys`);
      const oldKid = before.body.keys[0].kid as string;
      const oldJwe = await encryptCard(v, { number: '4242424242424242', exp_month, exp_year, cvc: '123' }, oldKid);
      const { kid } = await v.server.vault.rotateEncryptionKey(600);
      const after = await get(`${v.url}/v1/encryption_keys`);
      expect(after.body.keys[0].kid).toBe(kid);
      expect(after.body.keys.map((k: JWK) => k.kid)).toContain(oldKid);
      expect((await postForm(tokens, { key: v.keys.publishableKey, encrypted_card: oldJwe })).status).toBe(200);
      v.clock.now += 601_000;
      try {
        expect(await v.server.vault.retireEncryptionKeys()).toContain(oldKid);
        expectError(await postForm(tokens, { key: v.keys.publishableKey, encrypted_card: oldJwe }), 'encryption_key_retired');
        const published = await get(`${v.url}/v1/encryption_keys`);
        expect(published.body.keys.map((k: JWK) => k.kid)).toEqual([kid]);
      } finally {
        v.clock.now -= 601_000;
      }
    });
  });

  describe('CORS', () => {
    it('reflects an allowed origin with Vary: Origin, never *', async () => {
      const res = await postForm(tokens, cardForm(v.keys.publishableKey), { origin: 'http://localhost:4244' });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:4244');
      expect(res.headers.get('vary')).toMatch(/Origin/);
      expect(res.headers.get('access-control-expose-headers')).toMatch(/Request-Id/);
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('refuses an origin outside a live key allow-list, without CORS headers', async () => {
      const { exp_month, exp_year } = futureExpiry();
      const jwe = await encryptCard(v, { number: '4242424242424242', exp_month, exp_year, cvc: '123' });
      const res = await postForm(tokens, { key: v.keys.livePublishableKey, encrypted_card: jwe }, { origin: 'https://evil.example' });
      expectError(res, 'origin_not_allowed');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('vary')).toMatch(/Origin/);
    });

    it("checks a live key against the host_origin a Cardvault frame attests, believed only from a frame origin", async () => {
      const { exp_month, exp_year } = futureExpiry();
      const send = async (origin: string, hostOrigin?: string) => {
        const jwe = await encryptCard(v, { number: '4242424242424242', exp_month, exp_year, cvc: '123' });
        const form: Record<string, string> = { key: v.keys.livePublishableKey, encrypted_card: jwe };
        if (hostOrigin) form.host_origin = hostOrigin;
        return postForm(tokens, form, { origin });
      };
      // The frame's Origin is not in the key's list; the merchant page it attests is.
      const ok = await send(FRAME_ORIGIN, 'https://shop.example');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('access-control-allow-origin')).toBe(FRAME_ORIGIN);
      expectError(await send(FRAME_ORIGIN, 'https://evil.example'), 'origin_not_allowed');
      expectError(await send(FRAME_ORIGIN), 'origin_not_allowed');
      // Any other page claiming to be the merchant is not believed.
      expectError(await send('https://evil.example', 'https://shop.example'), 'origin_not_allowed');
    });

    it('answers preflights with 204, cacheable', async () => {
      const r = await fetch(tokens, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:4244', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(r.status).toBe(204);
      expect(r.headers.get('access-control-allow-origin')).toBe('http://localhost:4244');
      expect(r.headers.get('access-control-allow-methods')).toMatch(/POST/);
      expect(Number(r.headers.get('access-control-max-age'))).toBeGreaterThan(0);
      expect(r.headers.get('vary')).toMatch(/Origin/);
    });

    it('publishes encryption keys with CORS and Cache-Control', async () => {
      const res = await get(`${v.url}/v1/encryption_keys`, { origin: 'http://localhost:4244' });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:4244');
      for (const k of res.body.keys) {
        expect(k).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'enc', alg: 'ECDH-ES' });
        expect(k.d).toBeUndefined();
      }
    });

    it.each([
      ['GET', '/v1/tokens/tok_000000000000000000000000'],
      ['POST', '/v1/charges'],
      ['POST', '/v1/client_tokens'],
      ['GET', '/v1/api_keys'],
      ['OPTIONS', '/v1/charges'],
    ])('secret endpoint %s %s refuses a browser Origin, without CORS', async (method, path) => {
      const r = await fetch(`${v.url}${path}`, { method, headers: { ...bearer(v.keys.secretKey), origin: 'http://localhost:4244' } });
      const body = await r.json();
      expectError({ status: r.status, headers: r.headers, body }, 'browser_origin_refused');
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('secret endpoints', () => {
    it('require a secret key', async () => {
      const id = await newToken();
      expectError(await get(`${v.url}/v1/tokens/${id}`), 'secret_key_required');
      expectError(await get(`${v.url}/v1/tokens/${id}`, bearer(v.keys.publishableKey)), 'secret_key_required');
      expectError(await get(`${v.url}/v1/tokens/${id}`, bearer('sk_test_unknownunknownunknown00')), 'api_key_invalid');
      const ok = await get(`${v.url}/v1/tokens/${id}`, bearer(v.keys.secretKey));
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ id, used: false });
    });

    it('keeps modes apart (livemode_mismatch)', async () => {
      const id = await newToken();
      expectError(await get(`${v.url}/v1/tokens/${id}`, bearer(v.keys.liveSecretKey)), 'livemode_mismatch');
      expectError(await postForm(`${v.url}/v1/charges`, { token: id, amount: '100', currency: 'usd' }, bearer(v.keys.liveSecretKey)), 'livemode_mismatch');
    });
  });

  describe('POST /v1/charges', () => {
    const charge = (token: string, key = v.keys.secretKey) =>
      postForm(`${v.url}/v1/charges`, { token, amount: '1999', currency: 'EUR', description: 'Order 42' }, bearer(key));

    it.each(APPROVED_CARDS)('approves $description', async (card) => {
      const res = await charge(await newToken(card.number));
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        object: 'charge',
        status: 'succeeded',
        amount: 1999,
        currency: 'eur',
        card: { brand: card.brand, last4: card.number.slice(-4) },
      });
      expect(res.body.id).toMatch(/^ch_/);
    });

    it.each(DECLINING_CARDS)('declines $description with $code', async (card) => {
      const res = await charge(await newToken(card.number));
      expectError(res, card.code);
      expect(res.status).toBe(402);
      expect(res.body.error.type).toBe('card_error');
      const stored = await get(`${v.url}/v1/charges/${res.body.error.charge}`, bearer(v.keys.secretKey));
      expect(stored.body).toMatchObject({ status: 'failed', failure_code: card.code });
    });

    it('uses a token once', async () => {
      const id = await newToken();
      expect((await charge(id)).status).toBe(200);
      expectError(await charge(id), 'token_already_used');
      expect((await get(`${v.url}/v1/tokens/${id}`, bearer(v.keys.secretKey))).body.used).toBe(true);
    });

    it('lets only one of two concurrent charges spend a token', async () => {
      const id = await newToken();
      const results = await Promise.all([charge(id), charge(id), charge(id)]);
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200)) expectError(r, 'token_already_used');
    });

    it('refuses an expired token', async () => {
      const id = await newToken();
      v.clock.now += 901_000;
      try {
        expectError(await charge(id), 'token_expired');
      } finally {
        v.clock.now -= 901_000;
      }
    });

    it('refuses bad parameters', async () => {
      const id = await newToken();
      expectError(await postForm(`${v.url}/v1/charges`, { token: id, amount: '-5', currency: 'usd' }, bearer(v.keys.secretKey)), 'parameter_invalid');
      expectError(await postForm(`${v.url}/v1/charges`, { token: id, amount: '1e3', currency: 'usd' }, bearer(v.keys.secretKey)), 'parameter_invalid');
      expectError(await postForm(`${v.url}/v1/charges`, { token: id, currency: 'usd' }, bearer(v.keys.secretKey)), 'parameter_missing');
      expectError(await postForm(`${v.url}/v1/charges`, { token: 'tok_nope', amount: '5', currency: 'usd' }, bearer(v.keys.secretKey)), 'resource_missing');
      expectError(await postJson(`${v.url}/v1/charges`, { token: id, amount: 5, currency: 'usd', extra: 1 }, bearer(v.keys.secretKey)), 'parameter_unknown');
      expect((await charge(id)).status).toBe(200);
    });
  });

  describe('idempotency', () => {
    it('answers the same request with the same key with the same response', async () => {
      const form = cardForm(v.keys.publishableKey, '4242424242424242', { idempotency_key: `idem-${Math.random()}` });
      const a = await postForm(tokens, form);
      const b = await postForm(tokens, form);
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      expect(b.text).toBe(a.text);
      expect(b.headers.get('idempotent-replayed')).toBe('true');
    });

    it('replays an encrypted request re-encrypted with a new ephemeral key', async () => {
      const { exp_month, exp_year } = futureExpiry();
      const card = { number: '4242424242424242', exp_month, exp_year, cvc: '123' };
      const key = `idem-${Math.random()}`;
      const a = await postForm(tokens, { key: v.keys.publishableKey, idempotency_key: key, encrypted_card: await encryptCard(v, card) });
      const b = await postForm(tokens, { key: v.keys.publishableKey, idempotency_key: key, encrypted_card: await encryptCard(v, card) });
      expect(b.text).toBe(a.text);
    });

    it('refuses the same key with a different body', async () => {
      const key = `idem-${Math.random()}`;
      expect((await postForm(tokens, cardForm(v.keys.publishableKey, '4242424242424242', { idempotency_key: key }))).status).toBe(200);
      expectError(await postForm(tokens, cardForm(v.keys.publishableKey, '5555555555554444', { idempotency_key: key })), 'idempotency_key_reused');
    });

    it('creates one token for concurrent requests with one key', async () => {
      const key = `idem-${Math.random()}`;
      const form = cardForm(v.keys.publishableKey, '4242424242424242', { idempotency_key: key });
      const results = await Promise.all(Array.from({ length: 8 }, () => postForm(tokens, form)));
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      const rows = await v.store.rawQuery('SELECT count(*)::int AS n FROM idempotency_keys WHERE idempotency_key = $1', [key]);
      expect(rows[0]!.n).toBe(1);
    });

    it('forgets a key after 24 hours', async () => {
      const form = cardForm(v.keys.publishableKey, '4242424242424242', { idempotency_key: `idem-${Math.random()}` });
      const a = await postForm(tokens, form);
      v.clock.now += 24 * 3600_000 + 1000;
      try {
        const b = await postForm(tokens, form);
        expect(b.status).toBe(200);
        expect(b.body.id).not.toBe(a.body.id);
      } finally {
        v.clock.now -= 24 * 3600_000 + 1000;
      }
    });
  });

  describe('POST /v1/charges with an Idempotency-Key', () => {
    const charges = () => `${v.url}/v1/charges`;
    const newKey = () => `order-${Math.random().toString(36).slice(2)}`;
    const chargeWith = (idempotencyKey: string, token: string, form: Record<string, string> = {}, secret = v.keys.secretKey) =>
      postForm(charges(), { token, amount: '1999', currency: 'eur', description: 'Order 42', ...form }, { ...bearer(secret), 'idempotency-key': idempotencyKey });
    const chargesOf = async (token: string): Promise<number> =>
      (await v.store.rawQuery('SELECT count(*)::int AS n FROM charges WHERE token_id = $1', [token]))[0]!.n as number;
    const chargeWithout = (token: string) => postForm(charges(), { token, amount: '100', currency: 'usd' }, bearer(v.keys.secretKey));
    const isUsed = async (token: string): Promise<boolean> => (await get(`${v.url}/v1/tokens/${token}`, bearer(v.keys.secretKey))).body.used as boolean;

    /** Holds the next charge attempt at its token lookup (an attempt in flight) until released. */
    function holdNextAttempt(): { arrived: Promise<void>; release(): void; restore(): void } {
      const original = v.store.getToken.bind(v.store);
      let release!: () => void;
      let arrive!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const arrived = new Promise<void>((r) => (arrive = r));
      let held = false;
      v.store.getToken = async (id) => {
        if (!held) {
          held = true;
          arrive();
          await gate;
        }
        return original(id);
      };
      return { arrived, release, restore: () => void (v.store.getToken = original) };
    }

    it('replays the first charge for the same key and request: same body, one charge', async () => {
      const token = await newToken();
      const key = newKey();
      const a = await chargeWith(key, token);
      expect(a.status, a.text).toBe(200);
      expect(a.headers.get('idempotent-replayed')).toBeNull();
      const b = await chargeWith(key, token);
      expect(b.status).toBe(200);
      expect(b.text).toBe(a.text);
      expect(b.headers.get('idempotent-replayed')).toBe('true');
      expect(b.headers.get('request-id')).not.toBe(a.headers.get('request-id'));
      // The same request: amount, currency case and description as the first one meant them.
      const c = await postForm(charges(), { token, amount: '1999', currency: 'EUR', description: 'Order 42' }, { ...bearer(v.keys.secretKey), 'idempotency-key': key });
      expect(c.text).toBe(a.text);
      expect(await chargesOf(token)).toBe(1);
      expect((await get(`${v.url}/v1/charges/${a.body.id}`, bearer(v.keys.secretKey))).body).toMatchObject({ id: a.body.id, status: 'succeeded' });
      // The record holds a keyed hash and the charge id: not the request.
      const rows = await v.store.rawQuery('SELECT * FROM charge_idempotency_keys WHERE idempotency_key = $1', [key]);
      expect(rows).toHaveLength(1);
      expect(Object.keys(rows[0]!).sort()).toEqual(['account_id', 'charge_id', 'created_at', 'idempotency_key', 'livemode', 'request_hash']);
      expect(rows[0]!.charge_id).toBe(a.body.id);
      expect(String(rows[0]!.request_hash)).not.toContain(token);
    });

    it('replays a decline as the same 402 naming the same charge', async () => {
      const token = await newToken('4000000000009995');
      const key = newKey();
      const a = await chargeWith(key, token);
      expectError(a, 'insufficient_funds');
      const b = await chargeWith(key, token);
      expectError(b, 'insufficient_funds');
      expect(b.headers.get('idempotent-replayed')).toBe('true');
      // The same body but for request_id, which (like the Request-Id header) is this request's.
      expect({ ...b.body.error, request_id: null }).toEqual({ ...a.body.error, request_id: null });
      expect(b.body.error.charge).toMatch(/^ch_/);
      expect(await chargesOf(token)).toBe(1);
    });

    it('refuses the same key with different parameters (409 idempotency_key_reused) and charges nothing', async () => {
      const token = await newToken();
      const other = await newToken();
      const key = newKey();
      expect((await chargeWith(key, token)).status).toBe(200);
      for (const changed of [{ amount: '2000' }, { currency: 'usd' }, { description: 'Order 43' }] as Record<string, string>[]) {
        const res = await chargeWith(key, token, changed);
        expectError(res, 'idempotency_key_reused');
        expect(res.body.error.param).toBe('Idempotency-Key');
      }
      expectError(await chargeWith(key, other), 'idempotency_key_reused');
      expect(await isUsed(other)).toBe(false);
      expect(await chargesOf(token)).toBe(1);
    });

    it('answers 409 idempotency_key_in_flight while the first attempt runs, then replays it', async () => {
      const token = await newToken();
      const key = newKey();
      const hold = holdNextAttempt();
      try {
        const first = chargeWith(key, token);
        await hold.arrived;
        expectError(await chargeWith(key, token), 'idempotency_key_in_flight');
        expectError(await chargeWith(key, token, { amount: '5' }), 'idempotency_key_reused');
        hold.release();
        const a = await first;
        expect(a.status, a.text).toBe(200);
        const b = await chargeWith(key, token);
        expect(b.text).toBe(a.text);
        expect(b.headers.get('idempotent-replayed')).toBe('true');
      } finally {
        hold.release();
        hold.restore();
      }
      expect(await chargesOf(token)).toBe(1);
    });

    it('makes exactly one charge for concurrent requests with one key', async () => {
      for (const number of ['4242424242424242', '4000000000000002']) {
        const token = await newToken(number);
        const key = newKey();
        const results = await Promise.all(Array.from({ length: 8 }, () => chargeWith(key, token)));
        const answered = results.filter((r) => r.status === 200 || r.status === 402);
        for (const r of results.filter((x) => !answered.includes(x))) expectError(r, 'idempotency_key_in_flight');
        expect(answered.length).toBeGreaterThan(0);
        expect(answered.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
        expect(new Set(answered.map((r) => r.body.id ?? r.body.error.charge)).size).toBe(1);
        expect(await chargesOf(token)).toBe(1);
      }
    });

    it('keeps no key for a request that made no charge: a corrected retry charges', async () => {
      const key = newKey();
      const token = await newToken();
      expectError(await chargeWith(key, token, { amount: '-5' }), 'parameter_invalid');
      expectError(await chargeWith(key, 'tok_000000000000000000000000'), 'resource_missing');
      expectError(await chargeWith(key, token, {}, v.keys.liveSecretKey), 'livemode_mismatch');
      const spent = await newToken();
      expect((await chargeWithout(spent)).status).toBe(200);
      expectError(await chargeWith(key, spent), 'token_already_used');
      const res = await chargeWith(key, token);
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('idempotent-replayed')).toBeNull();
      expect((await chargeWith(key, token)).headers.get('idempotent-replayed')).toBe('true');
    });

    it('keeps keys per account and mode', async () => {
      const key = newKey();
      const token = await newToken();
      const a = await chargeWith(key, token);
      expect(a.status).toBe(200);
      const vault = v.server.vault;
      const account = await vault.createAccount('Other shop');
      const pk = await vault.createApiKey(account.id, 'publishable', false);
      const sk = await vault.createApiKey(account.id, 'secret', false);
      const res = await postForm(tokens, cardForm(pk.secret));
      const theirs = await chargeWith(key, res.body.id, {}, sk.secret);
      expect(theirs.status, theirs.text).toBe(200);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(theirs.body.id).not.toBe(a.body.id);
      // A live key's request does not meet the test key's record: it runs (and is refused for the test token).
      expectError(await chargeWith(key, token, {}, v.keys.liveSecretKey), 'livemode_mismatch');
    });

    it('validates the header', async () => {
      const token = await newToken();
      for (const bad of ['', 'x'.repeat(256), 'clé', '   ']) {
        const res = await chargeWith(bad, token);
        expectError(res, 'parameter_invalid');
        expect(res.body.error.param).toBe('Idempotency-Key');
      }
      const twice = await new Promise<{ status: number; body: any }>((resolve, reject) => {
        const url = new URL(charges());
        const req = httpRequest(
          { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...bearer(v.keys.secretKey), 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': ['a', 'b'] } },
          (r) => {
            let text = '';
            r.on('data', (c: Buffer) => (text += c.toString()));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, body: JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        req.end(new URLSearchParams({ token, amount: '1999', currency: 'eur' }).toString());
      });
      expect(twice.status).toBe(400);
      expect(twice.body.error).toMatchObject({ code: 'parameter_duplicated', param: 'Idempotency-Key' });
      expect(await isUsed(token)).toBe(false);
      const longest = await chargeWith(`${'k'.repeat(250)} ~!{}`, token);
      expect(longest.status, longest.text).toBe(200);
    });

    it('replays after the token expired, forgets the key after 24 h, and purges it', async () => {
      const token = await newToken();
      const key = newKey();
      const a = await chargeWith(key, token);
      const start = v.clock.now;
      try {
        v.clock.now = start + 16 * 60_000;
        expect((await chargeWith(key, token)).text).toBe(a.text);
        v.clock.now = start + 24 * 3600_000 + 1000;
        // Forgotten: the request runs again, and the token's single use still prevents a second charge.
        expectError(await chargeWith(key, token), 'token_already_used');
        const later = await newToken();
        const b = await chargeWith(key, later);
        expect(b.status, b.text).toBe(200);
        expect(b.headers.get('idempotent-replayed')).toBeNull();
        v.clock.now = start + 2 * (24 * 3600_000 + 1000);
        await v.server.vault.purge();
        expect(await v.store.rawQuery('SELECT 1 FROM charge_idempotency_keys WHERE idempotency_key = $1', [key])).toHaveLength(0);
      } finally {
        v.clock.now = start;
      }
      expect(await chargesOf(token)).toBe(1);
    });

    it('takes over a key whose attempt died before charging, after 60 s, and still charges once', async () => {
      const token = await newToken();
      const key = newKey();
      const hold = holdNextAttempt();
      const start = v.clock.now;
      try {
        const stalled = chargeWith(key, token);
        await hold.arrived;
        v.clock.now = start + 59_000;
        expectError(await chargeWith(key, token), 'idempotency_key_in_flight');
        v.clock.now = start + 61_000;
        const retry = await chargeWith(key, token);
        expect(retry.status, retry.text).toBe(200);
        // The stalled attempt wakes up: its token is spent, it charges nothing and leaves the new record.
        hold.release();
        expectError(await stalled, 'token_already_used');
        const again = await chargeWith(key, token);
        expect(again.text).toBe(retry.text);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
      } finally {
        hold.release();
        hold.restore();
        v.clock.now = start;
      }
      expect(await chargesOf(token)).toBe(1);
    });
  });

  describe('client tokens', () => {
    const mint = (form: Record<string, string> | string) => postForm(`${v.url}/v1/client_tokens`, form, bearer(v.keys.secretKey));

    it('mints a token usable max_uses times', async () => {
      const ct = await mint({ max_uses: '2', ttl_seconds: '60' });
      expect(ct.status, ct.text).toBe(200);
      expect(ct.body.secret).toMatch(/^ct_test_[A-Za-z0-9_.-]{16,4096}$/);
      expect(ct.body).toMatchObject({ object: 'client_token', max_uses: 2 });
      const form = (): Record<string, string> => {
        const f = cardForm('x', '4242424242424242', { client_token: ct.body.secret });
        delete (f as Record<string, string>).key;
        return f;
      };
      expect((await postForm(tokens, form())).status).toBe(200);
      expect((await postForm(tokens, form())).status).toBe(200);
      expectError(await postForm(tokens, form()), 'client_token_exhausted');
    });

    it('does not spend a use on an idempotent replay or a validation error', async () => {
      const ct = await mint({ max_uses: '1' });
      const f = cardForm('x', '4242424242424242', { client_token: ct.body.secret, idempotency_key: `k-${Math.random()}` });
      delete (f as Record<string, string>).key;
      expectError(await postForm(tokens, { ...f, 'card[cvc]': '1' }), 'invalid_cvc');
      const a = await postForm(tokens, f);
      const b = await postForm(tokens, f);
      expect(a.status).toBe(200);
      expect(b.text).toBe(a.text);
    });

    it('expires after its TTL', async () => {
      const ct = await mint({ ttl_seconds: '30' });
      const f = cardForm('x', '4242424242424242', { client_token: ct.body.secret });
      delete (f as Record<string, string>).key;
      v.clock.now += 31_000;
      try {
        expectError(await postForm(tokens, f), 'client_token_expired');
      } finally {
        v.clock.now -= 31_000;
      }
    });

    it('is bound to its origins and cannot be forged', async () => {
      const ct = await mint('allowed_origins[]=https://a.example&allowed_origins[]=https://b.example&max_uses=5');
      expect(ct.status, ct.text).toBe(200);
      const f = cardForm('x', '4242424242424242', { client_token: ct.body.secret });
      delete (f as Record<string, string>).key;
      expect((await postForm(tokens, f, { origin: 'https://b.example' })).status).toBe(200);
      const refused = await postForm(tokens, f, { origin: 'https://c.example' });
      expectError(refused, 'origin_not_allowed');
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      const [h, p, s] = (ct.body.secret as string).slice('ct_test_'.length).split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
      claims.ori = ['https://c.example'];
      const forged = `ct_test_${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
      expectError(await postForm(tokens, { ...f, client_token: forged }, { origin: 'https://c.example' }), 'client_token_invalid');
      expectError(await postForm(tokens, { ...f, client_token: ct.body.secret.replace('ct_test_', 'ct_live_') }), 'client_token_invalid');
    });

    it('validates its parameters', async () => {
      expectError(await mint({ max_uses: '0' }), 'parameter_invalid');
      expectError(await mint({ ttl_seconds: '999999999' }), 'parameter_invalid');
      expectError(await mint('allowed_origins[]=javascript:alert(1)'), 'parameter_invalid');
    });
  });

  describe('API keys', () => {
    it('creates, lists, rolls with a grace period, and revokes', async () => {
      // Publishable keys: a secret key manages those; secret keys are the operator's (key-scopes.test.ts).
      const created = await postForm(`${v.url}/v1/api_keys`, { type: 'publishable' }, bearer(v.keys.secretKey));
      expect(created.status, created.text).toBe(200);
      const pk = created.body.secret as string;
      expect(pk).toMatch(/^pk_test_[A-Za-z0-9]{24}$/);
      const list = await get(`${v.url}/v1/api_keys`, bearer(v.keys.secretKey));
      expect(list.body.data.map((k: { id: string }) => k.id)).toContain(created.body.id);
      expect(list.text).not.toContain(v.keys.secretKey);

      const rolled = await postForm(`${v.url}/v1/api_keys/${created.body.id}/roll`, { grace_seconds: '60' }, bearer(v.keys.secretKey));
      expect(rolled.status, rolled.text).toBe(200);
      const next = rolled.body.secret as string;
      expect((await postForm(tokens, cardForm(pk))).status).toBe(200);
      expect((await postForm(tokens, cardForm(next))).status).toBe(200);
      v.clock.now += 61_000;
      try {
        expectError(await postForm(tokens, cardForm(pk)), 'api_key_expired');
        expect((await postForm(tokens, cardForm(next))).status).toBe(200);
      } finally {
        v.clock.now -= 61_000;
      }
      const revoked = await postForm(`${v.url}/v1/api_keys/${rolled.body.id}/revoke`, '', bearer(v.keys.secretKey));
      expect(revoked.body.status).toBe('revoked');
      expectError(await postForm(tokens, cardForm(next)), 'api_key_revoked');
    });

    it('requires allowed origins for live publishable keys', async () => {
      expectError(await postForm(`${v.url}/v1/api_keys`, { type: 'publishable' }, bearer(v.keys.liveSecretKey)), 'parameter_missing');
      const ok = await postForm(`${v.url}/v1/api_keys`, 'type=publishable&allowed_origins[]=https://shop.example', bearer(v.keys.liveSecretKey));
      expect(ok.status, ok.text).toBe(200);
      expect(ok.body.secret).toMatch(/^pk_live_/);
    });

    it('revokes a publishable key at once', async () => {
      const created = await postForm(`${v.url}/v1/api_keys`, { type: 'publishable' }, bearer(v.keys.secretKey));
      const pk = created.body.secret as string;
      expect((await postForm(tokens, cardForm(pk))).status).toBe(200);
      await postForm(`${v.url}/v1/api_keys/${created.body.id}/revoke`, '', bearer(v.keys.secretKey));
      expectError(await postForm(tokens, cardForm(pk)), 'api_key_revoked');
    });
  });

  describe('card data at rest and in logs', () => {
    it('rotates the data key while serving, and every token still opens', async () => {
      const ids = await Promise.all(Array.from({ length: 20 }, () => newToken('5555555555554444')));
      const oldKey = v.server.vault.envelope.activeKeyId;
      let serving = true;
      const during: string[] = [];
      const load = (async () => {
        while (serving) during.push(await newToken('378282246310005'));
      })();
      const result = await v.server.vault.rotateDataKey();
      serving = false;
      await load;
      const made = during;
      expect(made.length).toBeGreaterThan(0);
      expect(result.retired).toContain(oldKey);
      const left = await v.store.rawQuery('SELECT count(*)::int AS n FROM tokens WHERE data_key_id <> $1', [result.dataKeyId]);
      expect(left[0]!.n).toBe(0);
      const wrapped = await v.store.rawQuery('SELECT wrapped FROM data_keys WHERE id = $1', [oldKey]);
      expect(wrapped[0]!.wrapped).toBeNull();
      for (const id of [...ids, ...made.slice(0, 5)]) {
        const res = await postForm(`${v.url}/v1/charges`, { token: id, amount: '100', currency: 'usd' }, bearer(v.keys.secretKey));
        expect(res.status, res.text).toBe(200);
      }
    });

    it('stores no card number or CVC in clear in any table (SQL dump)', async () => {
      for (const card of APPROVED_CARDS) await newToken(card.number, { 'card[cvc]': card.cvc === '1234' ? '9876' : '987' });
      const tables = await v.store.rawQuery(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
      );
      expect(tables.length).toBeGreaterThan(5);
      let dump = '';
      for (const { table_name } of tables) {
        const rows = await v.store.rawQuery(`SELECT * FROM ${String(table_name)}`);
        dump += JSON.stringify(rows);
      }
      for (const n of ALL_TEST_NUMBERS) expect(dump.includes(n), `card number in ${backend.name} dump`).toBe(false);
      expect(dump).not.toMatch(/"cvc"/);
      expect(dump).not.toContain('"d":');
    });

    it('logs structured lines without card numbers or CVCs', async () => {
      await postForm(tokens, cardForm(v.keys.publishableKey, '4000056655665556', { 'card[cvc]': '731' }));
      await postForm(tokens, cardForm(v.keys.publishableKey, '4000056655665557'));
      await postForm(tokens, `${new URLSearchParams(cardForm(v.keys.publishableKey, '4000056655665556')).toString()}&4000056655665556=1`);
      const text = v.logs.map((l) => JSON.stringify(l)).join('\n');
      expect(v.logs.filter((l) => l.msg === 'request').length).toBeGreaterThan(50);
      for (const n of [...ALL_TEST_NUMBERS, '4000056655665557']) expect(text.includes(n)).toBe(false);
      // The CVC as a value (not as digits inside a random id or a duration).
      expect(text).not.toMatch(/[:="\s]731\b/);
      expect(text).not.toContain('"cvc"');
      for (const line of v.logs.filter((l) => l.msg === 'request')) {
        expect(Object.keys(line).sort()).toEqual(
          expect.arrayContaining(['duration_ms', 'level', 'method', 'msg', 'request_id', 'route', 'status', 'time']),
        );
      }
    });
  });
});
