import { describe, expect, it, vi } from 'vitest';
import { parseCredential, resolveCredential } from '../../../src/auth/credential';
import { isCardvaultError } from '../../../src/errors';
import { createInstance as Cardvault } from '../../../src/host/cardvault';

const PK_TEST = 'pk_test_abcdefghijklmnopqrstuvwx';
const PK_LIVE = 'pk_live_abcdefghijklmnopqrstuvwx';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isCardvaultError(e) ? e.code : `not a CardvaultError: ${String(e)}`;
  }
  return undefined;
}

describe('publishable keys', () => {
  it.each([
    ['a test key', PK_TEST, false],
    ['a live key on a secure page', PK_LIVE, true],
  ])('accepts %s', (_name, key, live) => {
    expect(parseCredential(key, true)).toEqual({ kind: 'key', value: key, livemode: live });
  });

  it.each([
    ['secret test key', 'sk_test_abcdefghijklmnopqrstuvwx', 'secret_key_in_browser'],
    ['secret live key', 'sk_live_abcdefghijklmnopqrstuvwx', 'secret_key_in_browser'],
    ['restricted key', 'rk_live_abcdefghijklmnopqrstuvwx', 'secret_key_in_browser'],
    ['secret key with leading space', ' sk_test_abcdefghijklmnopqrstuvwx', 'secret_key_in_browser'],
    ['empty string', '', 'invalid_publishable_key'],
    ['prefix only', 'pk_test_', 'invalid_publishable_key'],
    ['wrong mode', 'pk_prod_abcdefghijklmnopqrstuvwx', 'invalid_publishable_key'],
    ['punctuation', 'pk_test_abc<script>defghijklmnop', 'invalid_publishable_key'],
    ['huge string', `pk_test_${'a'.repeat(100_000)}`, 'invalid_publishable_key'],
    ['null', null, 'invalid_publishable_key'],
    ['number', 42, 'invalid_publishable_key'],
    ['object', { key: PK_TEST }, 'invalid_publishable_key'],
  ])('refuses a %s synchronously with %s', (_name, key, code) => {
    expect(codeOf(() => parseCredential(key, true))).toBe(code);
  });

  it('never echoes a secret key in the error message', () => {
    const secret = 'sk_live_SUPERSECRETVALUE1234567890';
    try {
      parseCredential(secret, true);
      expect.unreachable();
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('SUPERSECRET');
      expect((e as Error).message).toMatch(/publishable key/);
    }
  });

  it('refuses a live key on an insecure page, accepts a test key there', () => {
    expect(codeOf(() => parseCredential(PK_LIVE, false))).toBe('secure_context_required');
    expect(parseCredential(PK_TEST, false).livemode).toBe(false);
  });
});

describe('client tokens', () => {
  const CT = 'ct_test_eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.c2lnbmF0dXJl';

  it('accepts a client token string in place of a key', () => {
    expect(parseCredential(CT, true)).toEqual({ kind: 'client_token', value: CT, livemode: false });
  });

  it('calls a token function only when a credential is needed, and checks what it returns', async () => {
    const mint = vi.fn(async () => CT);
    await expect(resolveCredential(mint, true)).resolves.toMatchObject({ kind: 'client_token', value: CT });
    expect(mint).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a secret key', async () => 'sk_test_abcdefghijklmnopqrstuvwx', 'secret_key_in_browser'],
    ['a publishable key', async () => PK_TEST, 'client_token_invalid'],
    ['garbage', async () => 'nope', 'invalid_publishable_key'],
    ['a rejection', async () => Promise.reject(new Error('server down')), 'client_token_invalid'],
  ])('a token function that returns %s rejects with %s', async (_n, fn, code) => {
    await expect(resolveCredential(fn as () => Promise<string>, true)).rejects.toMatchObject({ code });
  });
});

describe('Cardvault() factory', () => {
  it('throws synchronously for a secret key, before any network use', () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    expect(codeOf(() => Cardvault('sk_test_abcdefghijklmnopqrstuvwx'))).toBe('secret_key_in_browser');
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });

  it('throws with no arguments', () => {
    expect(codeOf(() => (Cardvault as unknown as () => unknown)())).toBe('invalid_publishable_key');
  });

  it.each([
    ['unknown option', { apiBse: 'https://x' }],
    ['non-object', 'https://api'],
    ['bad apiBase', { apiBase: 'javascript:alert(1)' }],
    ['bad frameOrigin', { frameOrigin: 'not a url' }],
    ['bad locale', { locale: 'xx' }],
    ['bad timeout', { timeouts: { request: -1 } }],
    ['unknown timeout', { timeouts: { forever: 1 } }],
  ])('refuses %s with invalid_argument', (_n, options) => {
    expect(codeOf(() => Cardvault(PK_TEST, options as never))).toBe('invalid_argument');
  });

  it('reports its version and mode', () => {
    const cv = Cardvault(PK_TEST, { apiBase: 'http://127.0.0.1:4242/', locale: 'fr' });
    expect(cv.version).toBe(__CARDVAULT_VERSION__);
    expect(cv.livemode).toBe(false);
  });
});
