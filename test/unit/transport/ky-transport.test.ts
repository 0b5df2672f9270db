/**
 * What running the transport on ky could change, and must not (docs/decisions/0008): the form body
 * is never cloned into a teed stream, and an abort ends the call at once even where ky cannot
 * listen to the budget's signal (no `AbortSignal.any`: Safari before 17.4).
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Credential } from '../../../src/auth/credential';
import { invalidateEncryptionKeys } from '../../../src/transport/key-set';
import { createCardToken, type CreateCardTokenParams } from '../../../src/transport/tokenize';
import { API, PK, TEST_CARD, TOKENS_URL, keySetHandler, makeVaultKey, posts, recorded, server, tokenHandler, useMockServer, vaultError, type VaultKey } from './mock-vault';
import { http } from 'msw';

useMockServer();

const credential: Credential = { kind: 'key', value: PK, livemode: false };
let keys: VaultKey[];

beforeAll(async () => {
  keys = [await makeVaultKey('k1')];
});

beforeEach(() => {
  invalidateEncryptionKeys(API);
  server.use(keySetHandler(() => keys));
});

afterEach(() => {
  vi.restoreAllMocks();
});

function params(overrides: Partial<CreateCardTokenParams> = {}): CreateCardTokenParams {
  return { card: { ...TEST_CARD }, credential, apiBase: API, timeouts: { request: 2000, total: 5000 }, ...overrides };
}

describe('transport on ky', () => {
  it('sends the form itself on every attempt, never a cloned (teed) stream of it', async () => {
    // ky clones its Request before each attempt to keep a copy for retries. A clone of a Request
    // with a body tees the body into a stream, which Chromium sends ~0.9 ms slower per tokenization.
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    server.use(tokenHandler(() => keys, (n) => (n <= 2 ? vaultError(503, 'api_error') : undefined)));
    const token = await createCardToken(params()).finally(recorded);
    expect(token.object).toBe('token');
    expect(posts()).toHaveLength(3);
    expect(new Set(posts().map((p) => p.text)).size).toBe(1);
    const sent = fetchSpy.mock.calls.filter(([input]) => input instanceof Request && input.method === 'POST');
    expect(sent).toHaveLength(3);
    for (const [input, init] of sent) {
      expect((input as Request).body).toBeNull();
      expect(init?.body).toBeInstanceOf(URLSearchParams);
    }
  });

  it('without AbortSignal.any, an abort during a backoff wait still ends the call at once, with no further attempt', async () => {
    // ky combines our signal with its own timeout controller through AbortSignal.any, and without it
    // does not watch our signal during its backoff wait. Load a fresh ky that sees no AbortSignal.any.
    const any = Object.getOwnPropertyDescriptor(AbortSignal, 'any');
    delete (AbortSignal as { any?: unknown }).any;
    let fresh: typeof import('../../../src/transport/tokenize');
    try {
      vi.resetModules();
      fresh = await import('../../../src/transport/tokenize');
    } finally {
      if (any) Object.defineProperty(AbortSignal, 'any', any);
    }
    server.use(http.post(TOKENS_URL, () => vaultError(429, 'rate_limited', {}, { 'Retry-After': '3' })));
    const controller = new AbortController();
    const pending = fresh.createCardToken(params({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const error = await pending.then(
      () => undefined,
      (e: unknown) => e as { code?: string },
    );
    expect(error?.code).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(1500);
    // ky's own wait ends after Retry-After; its next attempt must not reach the vault.
    await new Promise((r) => setTimeout(r, 3200));
    await recorded();
    expect(posts()).toHaveLength(1);
  }, 15_000);
});
