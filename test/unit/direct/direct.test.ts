import { http, HttpResponse } from 'msw';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CardvaultDirect, isCardvaultError, type CardvaultError } from '../../../src/entries/direct';
import CdnCardvaultDirect from '../../../src/entries/direct-cdn';
import { invalidateEncryptionKeys } from '../../../src/transport/key-set';
import {
  API,
  KEYS_URL,
  PK,
  TEST_CARD,
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
  type VaultKey,
} from '../transport/mock-vault';

useMockServer();

let key: VaultKey;
beforeAll(async () => {
  key = await makeVaultKey('k1');
});
beforeEach(() => {
  invalidateEncryptionKeys(API);
  server.use(keySetHandler(() => [key]), tokenHandler(() => [key]));
});
afterEach(() => vi.unstubAllGlobals());

const options = { apiBase: API, timeouts: { request: 2000, total: 4000 } };
const YEAR = new Date().getFullYear();

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

/** Lets any request the code might have started reach msw before counting. */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 50));
  await recorded();
}

describe('CardvaultDirect(key)', () => {
  it.each([
    ['sk_test_abcdefghijklmnopqrstuvwx', 'secret_key_in_browser'],
    ['sk_live_abcdefghijklmnopqrstuvwx', 'secret_key_in_browser'],
    ['rk_live_abcdefghijklmnopqrstuvwx', 'secret_key_in_browser'],
    ['', 'invalid_publishable_key'],
    ['pk_test_short', 'invalid_publishable_key'],
    [null, 'invalid_publishable_key'],
    [42, 'invalid_publishable_key'],
    [{ key: PK }, 'invalid_publishable_key'],
    ['pk_live_abcdefghijklmnopqrstuvwx', 'secure_context_required'],
  ])('throws synchronously for %j (%s) and makes no request', async (value, code) => {
    vi.stubGlobal('window', globalThis); // a page: a valid key would prefetch the key set
    expect(() => CardvaultDirect(value as string, options)).toThrow(expect.objectContaining({ code }));
    await settle();
    expect(seen).toHaveLength(0);
  });

  it('refuses a secret key before looking at the options', () => {
    expect(() => CardvaultDirect('sk_test_abcdefghijklmnopqrstuvwx', { bogus: 1 } as never)).toThrow(
      expect.objectContaining({ code: 'secret_key_in_browser' }),
    );
  });

  it('throws invalid_argument for bad options, and with no argument at all', () => {
    expect(() => CardvaultDirect(PK, { apiBase: 'ftp://x' })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => (CardvaultDirect as () => unknown)()).toThrow(expect.objectContaining({ code: 'invalid_publishable_key' }));
  });

  it('accepts a live key on a secure page', () => {
    vi.stubGlobal('isSecureContext', true);
    expect(CardvaultDirect('pk_live_abcdefghijklmnopqrstuvwx', options).livemode).toBe(true);
  });

  it('prefetches the key set at construction when a window exists, so createToken is one request', async () => {
    vi.stubGlobal('window', globalThis);
    const cardvault = CardvaultDirect(PK, options);
    await settle();
    expect(keyFetches()).toHaveLength(1);
    seen.length = 0;
    await cardvault.createToken({ ...TEST_CARD });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('POST');
  });

  it('makes no request at construction without a window (server-side rendering)', async () => {
    CardvaultDirect(PK, options);
    await settle();
    expect(seen).toHaveLength(0);
  });

  it('the CDN default export is the same factory', () => {
    expect(CdnCardvaultDirect(PK, options).livemode).toBe(false);
    expect(typeof CdnCardvaultDirect.version).toBe('string');
  });
});

describe('createToken', () => {
  it('tokenizes a valid card: encrypted, billing in clear', async () => {
    const cardvault = CardvaultDirect(PK, options);
    const token = await cardvault.createToken(
      { number: '4242 4242 4242 4242', exp_month: '12', exp_year: String(YEAR + 3).slice(-2), cvc: '123', name: ' Jane Doe ', address_zip: '94107' },
      { billing: { address_line1: '1 Main St', address_country: 'US' } },
    );
    expect(token).toMatchObject({ object: 'token', card: { last4: '4242', name: 'Jane Doe', address_zip: '94107' } });
    await recorded();
    const { form, text } = posts()[0]!;
    expect(text).not.toContain('4242424242424242');
    expect(form.get('card[address_line1]')).toBe('1 Main St');
    expect(form.get('card[address_country]')).toBe('US');
    expect(await decryptCard(form.get('encrypted_card')!, [key])).toEqual({
      number: '4242424242424242',
      exp_month: 12,
      exp_year: YEAR + 3,
      cvc: '123',
      name: 'Jane Doe',
      address_zip: '94107',
    });
  });

  it('gets a fresh client token from the merchant function, only after validation', async () => {
    const mint = vi.fn(async () => 'ct_test_eyJhbGciOiJFUzI1NiJ9.eyJ4IjoxfQ.c2ln');
    const cardvault = CardvaultDirect(mint, options);
    expect(cardvault.livemode).toBeUndefined();
    await rejection(cardvault.createToken({ ...TEST_CARD, number: '4242' }));
    expect(mint).not.toHaveBeenCalled();
    await cardvault.createToken({ ...TEST_CARD });
    expect(mint).toHaveBeenCalledTimes(1);
    await recorded();
    expect(posts()[0]!.form.get('client_token')).toMatch(/^ct_test_/);
  });

  it('refuses a secret key returned by the client-token function, with no token request', async () => {
    const cardvault = CardvaultDirect(async () => 'sk_live_abcdefghijklmnopqrstuvwx', options);
    expect((await rejection(cardvault.createToken({ ...TEST_CARD }))).code).toBe('secret_key_in_browser');
    await settle();
    expect(posts()).toHaveLength(0);
  });

  it('honours an AbortSignal', async () => {
    const cardvault = CardvaultDirect(PK, options);
    const error = await rejection(cardvault.createToken({ ...TEST_CARD }, { signal: AbortSignal.abort() }));
    expect(error.code).toBe('aborted');
    await settle();
    expect(seen).toHaveLength(0);
  });

  it('maps a decline from the vault', async () => {
    server.use(
      http.post(`${API}/v1/tokens`, () =>
        HttpResponse.json({ error: { type: 'card_error', code: 'card_declined', message: 'declined', request_id: 'req_9' } }, { status: 402 }),
      ),
    );
    const error = await rejection(CardvaultDirect(PK, options).createToken({ ...TEST_CARD }));
    expect(error).toMatchObject({ code: 'card_declined', type: 'card_error', requestId: 'req_9', status: 402 });
  });
});

describe('createToken validation: a validation_error naming every invalid field, and no request', () => {
  const cases: [string, Record<string, unknown>, string, string[]][] = [
    ['bad Luhn', { number: '4242424242424241' }, 'invalid_number', ['number']],
    ['short number', { number: '4242 4242' }, 'incomplete_number', ['number']],
    ['empty number', { number: '' }, 'incomplete_number', ['number']],
    ['missing number', { number: undefined }, 'incomplete_number', ['number']],
    ['month 13', { exp_month: 13 }, 'invalid_expiry_month', ['exp_month']],
    ['month 0', { exp_month: '0' }, 'invalid_expiry_month', ['exp_month']],
    ['month 1.5', { exp_month: 1.5 }, 'invalid_expiry_month', ['exp_month']],
    ['3-digit year', { exp_year: '203' }, 'invalid_expiry_year', ['exp_year']],
    ['past year', { exp_year: YEAR - 1 }, 'expiry_in_past', ['exp_year']],
    ['too far ahead', { exp_year: YEAR + 40 }, 'invalid_expiry_year', ['exp_year']],
    ['missing expiry', { exp_month: undefined, exp_year: '' }, 'incomplete_expiry', ['exp_month', 'exp_year']],
    ['short cvc', { cvc: '12' }, 'incomplete_cvc', ['cvc']],
    ['amex needs 4', { number: '378282246310005', cvc: '123' }, 'incomplete_cvc', ['cvc']],
    ['letters in cvc', { cvc: '12a' }, 'invalid_cvc', ['cvc']],
    ['bad zip', { address_zip: '12#45' }, 'invalid_postal_code', ['address_zip']],
    ['control char in name', { name: 'Jane\u0000Doe' }, 'invalid_name', ['name']],
    [
      'everything wrong',
      { number: '1234', exp_month: 13, exp_year: 1999, cvc: 'abc', address_zip: '#' },
      'invalid_number',
      ['number', 'exp_month', 'cvc', 'address_zip'],
    ],
    ['past date in the current year', { exp_month: 1, exp_year: YEAR, __skipInJanuary: true }, 'expiry_in_past', ['exp_month']],
  ];

  it.each(cases)('%s', async (_name, change, code, fields) => {
    const { __skipInJanuary, ...patch } = change;
    if (__skipInJanuary && new Date().getMonth() === 0) return;
    const cardvault = CardvaultDirect(PK, options);
    const card = { ...TEST_CARD, ...patch };
    for (const k of Object.keys(card)) if ((card as Record<string, unknown>)[k] === undefined) delete (card as Record<string, unknown>)[k];
    const error = await rejection(cardvault.createToken(card as never));
    expect(error).toMatchObject({ type: 'validation_error', code, param: fields[0], fields });
    // Never the value in the message.
    expect(error.message).not.toMatch(/\d{6,}/);
    await settle();
    expect(seen).toHaveLength(0);
  });
});

describe('createToken bad input: coded invalid_argument, rejected (never thrown), no request', () => {
  const huge = 'x'.repeat(10_000);
  const digits = '4'.repeat(10_000);
  const cases: [string, unknown, unknown, string][] = [
    ['null card', null, undefined, 'card'],
    ['undefined card', undefined, undefined, 'card'],
    ['a number as card', 4242424242424242, undefined, 'card'],
    ['a string as card', '4242424242424242', undefined, 'card'],
    ['an array as card', ['4242424242424242'], undefined, 'card'],
    ['unknown key', { ...TEST_CARD, cvv: '123' }, undefined, 'cvv'],
    ['number as a number', { ...TEST_CARD, number: 4242424242424242 }, undefined, 'number'],
    ['cvc as a number', { ...TEST_CARD, cvc: 123 }, undefined, 'cvc'],
    ['number null', { ...TEST_CARD, number: null }, undefined, 'number'],
    ['exp_month an object', { ...TEST_CARD, exp_month: { m: 12 } }, undefined, 'exp_month'],
    ['exp_year boolean', { ...TEST_CARD, exp_year: true }, undefined, 'exp_year'],
    ['name an array', { ...TEST_CARD, name: ['Jane'] }, undefined, 'name'],
    ['10,000-char number', { ...TEST_CARD, number: digits }, undefined, 'number'],
    ['10,000-char cvc', { ...TEST_CARD, cvc: digits }, undefined, 'cvc'],
    ['10,000-char name', { ...TEST_CARD, name: huge }, undefined, 'name'],
    ['10,000-char zip', { ...TEST_CARD, address_zip: huge }, undefined, 'address_zip'],
    ['10,000-char month', { ...TEST_CARD, exp_month: digits }, undefined, 'exp_month'],
    ['options null', { ...TEST_CARD }, null, 'options'],
    ['options a string', { ...TEST_CARD }, 'fast', 'options'],
    ['options unknown key', { ...TEST_CARD }, { retries: 3 }, 'options.retries'],
    ['signal not a signal', { ...TEST_CARD }, { signal: {} }, 'signal'],
    ['billing null', { ...TEST_CARD }, { billing: null }, 'billing'],
    ['billing unknown key', { ...TEST_CARD }, { billing: { phone: '1' } }, 'billing.phone'],
    ['billing number value', { ...TEST_CARD }, { billing: { address_zip: 94107 } }, 'billing.address_zip'],
    ['billing 10,000-char value', { ...TEST_CARD }, { billing: { address_line1: huge } }, 'billing.address_line1'],
  ];

  it.each(cases)('%s', async (_name, card, tokenOptions, param) => {
    const cardvault = CardvaultDirect(PK, options);
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = cardvault.createToken(card as never, tokenOptions as never);
    }).not.toThrow();
    const error = await rejection(promise!);
    expect(error).toMatchObject({ code: 'invalid_argument', type: 'invalid_request_error', param });
    expect(error.message.length).toBeLessThan(300);
    await settle();
    expect(seen).toHaveLength(0);
  });
});

describe('key set', () => {
  it('is fetched once across several direct-mode tokenizations', async () => {
    const cardvault = CardvaultDirect(PK, options);
    await cardvault.createToken({ ...TEST_CARD });
    await cardvault.createToken({ ...TEST_CARD });
    await CardvaultDirect(PK, options).createToken({ ...TEST_CARD });
    expect(seen.filter((r) => r.url === KEYS_URL)).toHaveLength(1);
    expect(posts()).toHaveLength(3);
  });
});
