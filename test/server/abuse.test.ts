/**
 * Rate limits and the card-testing defence. The counters live in the server's memory, so one
 * backend (PGlite) is enough; the clock is injected and frozen, so buckets refill only when told.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { backends, bearer, cardForm, postForm, startTestVault, type TestVault } from './helpers';

const pglite = backends()[0]!;

describe('abuse controls', () => {
  let v: TestVault | undefined;
  afterEach(async () => {
    await v?.close();
    v = undefined;
  });

  it('rate-limits per client IP and per key with 429 rate_limited and Retry-After', async () => {
    v = await startTestVault(pglite, { abuse: { perIp: { rate: 1, burst: 3 }, perKey: false, cardTesting: false } });
    const url = `${v.url}/v1/tokens`;
    for (let i = 0; i < 3; i++) expect((await postForm(url, cardForm(v.keys.publishableKey))).status).toBe(200);
    const limited = await postForm(url, cardForm(v.keys.publishableKey), { origin: 'http://localhost:4244' });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('access-control-expose-headers')).toMatch(/Retry-After/);
    v.clock.now += 2_000;
    expect((await postForm(url, cardForm(v.keys.publishableKey))).status).toBe(200);
  });

  it('rate-limits per client IP a tokenization refused before its card is read (bad key)', async () => {
    v = await startTestVault(pglite, { abuse: { perIp: { rate: 1, burst: 3 }, perKey: false, cardTesting: false } });
    const url = `${v.url}/v1/tokens`;
    const bad = cardForm('pk_test_doesnotexist000000000000');
    for (let i = 0; i < 3; i++) expect((await postForm(url, bad)).body.error.code).toBe('api_key_invalid');
    const limited = await postForm(url, bad);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
  });

  it('rate-limits per key', async () => {
    v = await startTestVault(pglite, { abuse: { perIp: false, perKey: { rate: 1, burst: 2 }, cardTesting: false } });
    const url = `${v.url}/v1/tokens`;
    expect((await postForm(url, cardForm(v.keys.publishableKey))).status).toBe(200);
    expect((await postForm(url, cardForm(v.keys.publishableKey))).status).toBe(200);
    expect((await postForm(url, cardForm(v.keys.publishableKey))).body.error.code).toBe('rate_limited');
    // Another key of the same account has its own bucket.
    const other = await postForm(`${v.url}/v1/api_keys`, { type: 'publishable' }, bearer(v.keys.secretKey));
    expect((await postForm(url, cardForm(other.body.secret))).status).toBe(200);
  });

  it('blocks an IP after too many failed validations (card testing)', async () => {
    v = await startTestVault(pglite, {
      abuse: { perIp: false, perKey: false, cardTesting: { windowSeconds: 600, maxFailuresPerIp: 3, maxFailuresPerCard: 100 } },
    });
    const url = `${v.url}/v1/tokens`;
    for (const n of ['4242424242424241', '4242424242424243', '4242424242424244']) {
      expect((await postForm(url, cardForm(v.keys.publishableKey, n))).body.error.code).toBe('invalid_number');
    }
    const blocked = await postForm(url, cardForm(v.keys.publishableKey));
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('card_testing_suspected');
    const retry = Number(blocked.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(600);
    v.clock.now += 601_000;
    expect((await postForm(url, cardForm(v.keys.publishableKey))).status).toBe(200);
  });

  it('blocks a card after too many declines, from any IP', async () => {
    v = await startTestVault(pglite, {
      abuse: { perIp: false, perKey: false, cardTesting: { windowSeconds: 3600, maxFailuresPerIp: 100, maxFailuresPerCard: 2 } },
    });
    const url = `${v.url}/v1/tokens`;
    const declining = '4000000000000127';
    for (let i = 0; i < 2; i++) {
      const tok = await postForm(url, cardForm(v.keys.publishableKey, declining, { 'card[cvc]': String(100 + i) }));
      const charge = await postForm(`${v.url}/v1/charges`, { token: tok.body.id, amount: '100', currency: 'usd' }, bearer(v.keys.secretKey));
      expect(charge.body.error.code).toBe('incorrect_cvc');
    }
    const again = await postForm(url, cardForm(v.keys.publishableKey, declining, { 'card[cvc]': '999' }));
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe('card_testing_suspected');
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other cards are unaffected.
    expect((await postForm(url, cardForm(v.keys.publishableKey))).status).toBe(200);
  });
});
