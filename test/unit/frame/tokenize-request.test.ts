// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { FieldName, FieldValues } from '../../../src/frame/field-rules';
import { findSiblings, REGISTRY_KEY, type FieldEntry } from '../../../src/frame/registry';
import { parseApiBase, tokenizeGroup } from '../../../src/frame/tokenize-request';
import type { TokenizeRequest } from '../../../src/protocol/messages';
import type { CreateCardTokenParams } from '../../../src/transport/tokenize';
import type { Token } from '../../../src/types';

const GROUP = 'g'.repeat(22);
const TOKEN = { id: 'tok_1', object: 'token', livemode: false, created: 1, expires_at: 2, used: false, card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2034, fingerprint: 'f' } } as Token;

function entry(type: FieldEntry['type'], values: FieldValues, bound: string | null = null) {
  const showErrors = vi.fn<(names: readonly FieldName[]) => void>();
  let binding = bound;
  return {
    group: GROUP,
    type,
    names: Object.keys(values) as FieldName[],
    read: () => values,
    brand: () => null,
    showErrors,
    take: () => undefined,
    focus: () => false,
    binding: () => binding,
    bind: (b: string) => {
      binding ??= b;
    },
  } satisfies FieldEntry;
}
function request(over: Partial<TokenizeRequest> = {}): TokenizeRequest {
  return { requestId: 'r1', credential: { kind: 'key', value: `pk_test_${'a'.repeat(24)}` }, apiBase: 'https://api.cardvault.test/', timeouts: { request: 5000, total: 20000 }, ...over };
}
const deps = (impl: (p: CreateCardTokenParams) => Promise<Token> = async () => TOKEN) => ({ createCardToken: vi.fn(impl), secureContext: true });

describe('tokenizeGroup', () => {
  it('gathers split fields and tokenizes the clean card', async () => {
    const d = deps();
    const entries = [entry('cardNumber', { number: '4242 4242 4242 4242' }), entry('cardExpiry', { exp: '12 / 34' }), entry('cardCvc', { cvc: '123' }), entry('postalCode', { postal_code: ' 94107 ' })];
    const r = await tokenizeGroup(request({ billing: { name: 'Ada', address_zip: '00000', address_country: 'GB' } }), entries, 'en', d, 'https://shop.example');
    expect(r).toEqual({ requestId: 'r1', ok: true, token: TOKEN });
    const params = d.createCardToken.mock.calls[0]![0];
    expect(params.card).toEqual({ number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123', address_zip: '94107' });
    // The postal-code field wins over billing.address_zip (never sent twice).
    expect(params.billing).toEqual({ name: 'Ada', address_country: 'GB' });
    expect(params.apiBase).toBe('https://api.cardvault.test');
    // The page origin the handshake verified, for the vault's live-key origin check.
    expect(params.hostOrigin).toBe('https://shop.example');
    expect(params.credential).toMatchObject({ kind: 'key', livemode: false });
  });

  it('names every invalid field, with the first one\'s code, and makes each frame show its errors', async () => {
    const d = deps();
    const num = entry('cardNumber', { number: '4242 4242' });
    const exp = entry('cardExpiry', { exp: '12 / 34' });
    const cvc = entry('cardCvc', { cvc: '1' });
    const r = await tokenizeGroup(request(), [num, exp, cvc], 'en', d);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ type: 'validation_error', code: 'incomplete_number', param: 'number', fields: ['number', 'cvc'], message: 'Your card number is incomplete.' });
    expect(num.showErrors).toHaveBeenCalledWith(['number']);
    expect(cvc.showErrors).toHaveBeenCalledWith(['cvc']);
    expect(exp.showErrors).not.toHaveBeenCalled();
    expect(d.createCardToken).not.toHaveBeenCalled();
    expect(JSON.stringify(r)).not.toContain('4242');
  });

  it('checks the CVC against the brand', async () => {
    const r = await tokenizeGroup(request(), [entry('card', { number: '378282246310005', exp: '12 / 34', cvc: '123' })], 'en', deps());
    expect(r).toMatchObject({ ok: false, error: { code: 'incomplete_cvc', fields: ['cvc'] } });
  });

  it('reports a missing field', async () => {
    const r = await tokenizeGroup(request(), [entry('cardNumber', { number: '4242424242424242' })], 'en', deps());
    expect(r).toMatchObject({ ok: false, error: { code: 'incomplete_expiry', fields: ['exp', 'cvc'] } });
  });

  it('re-checks the credential itself', async () => {
    const d = deps();
    const card = entry('card', { number: '4242424242424242', exp: '12 / 34', cvc: '123' });
    const r = await tokenizeGroup(request({ credential: { kind: 'key', value: `sk_test_${'a'.repeat(24)}` } }), [card], 'en', d);
    expect(r).toMatchObject({ ok: false, error: { code: 'secret_key_in_browser' } });
    expect(JSON.stringify(r)).not.toContain('sk_test');
    const live = await tokenizeGroup(request({ credential: { kind: 'key', value: `pk_live_${'a'.repeat(24)}` } }), [card], 'en', { ...d, secureContext: false });
    expect(live).toMatchObject({ ok: false, error: { code: 'secure_context_required' } });
    expect(d.createCardToken).not.toHaveBeenCalled();
  });

  it('refuses a bad API base', async () => {
    const card = entry('card', { number: '4242424242424242', exp: '12 / 34', cvc: '123' });
    const r = await tokenizeGroup(request({ apiBase: 'javascript:alert(1)' }), [card], 'en', deps());
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_argument', param: 'apiBase' } });
    expect(parseApiBase('http://127.0.0.1:4242', false)).toBe('http://127.0.0.1:4242');
    expect(parseApiBase('http://api.example', true)).toBeNull();
    expect(parseApiBase('https://u:p@api.example', false)).toBeNull();
  });

  it('passes coded transport errors through, and wraps anything else', async () => {
    const card = entry('card', { number: '4242424242424242', exp: '12 / 34', cvc: '123' });
    const { CardvaultError } = await import('../../../src/errors');
    const declined = await tokenizeGroup(request(), [card], 'en', deps(async () => { throw new CardvaultError('card_declined', { requestId: 'req_1' }); }));
    expect(declined).toMatchObject({ ok: false, error: { code: 'card_declined', requestId: 'req_1' } });
    const boom = await tokenizeGroup(request(), [card], 'en', deps(async () => { throw new Error('4242424242424242'); }));
    expect(boom).toMatchObject({ ok: false, error: { code: 'api_error' } });
    expect(JSON.stringify(boom)).not.toContain('4242');
  });
});

describe('findSiblings', () => {
  it('reads only same-origin frames of the same group', () => {
    const origin = 'https://frames.cardvault.test';
    const mine = { group: GROUP, type: 'cardCvc' };
    const other = { group: 'h'.repeat(22), type: 'cardCvc' };
    const crossOrigin = { get location(): Location { throw new DOMException('Blocked', 'SecurityError'); } };
    const frames: unknown[] = [];
    const self = { location: { origin }, parent: { frames } } as unknown as Window;
    frames.push(
      self,
      crossOrigin,
      { location: { origin: 'https://shop.example' }, [REGISTRY_KEY]: mine },
      { location: { origin }, [REGISTRY_KEY]: other },
      { location: { origin } },
      { location: { origin }, [REGISTRY_KEY]: mine },
    );
    expect(findSiblings(self, GROUP)).toEqual([mine]);
  });

  describe('credential binding (a skimmer injecting a frame into the group)', () => {
    const MERCHANT = `pk_test_${'m'.repeat(24)}`;
    const ATTACKER = `pk_test_${'x'.repeat(24)}`;
    const split = (bound: string | null) => [
      entry('cardNumber', { number: '4242 4242 4242 4242' }, bound),
      entry('cardExpiry', { exp: '12 / 34' }, bound),
      entry('cardCvc', { cvc: '123' }, bound),
    ];

    it('a frame bound to the merchant key refuses to tokenize for another key', async () => {
      const d = deps();
      const r = await tokenizeGroup(request({ credential: { kind: 'key', value: ATTACKER } }), split(`pk:${MERCHANT}`), 'en', d);
      expect(r).toMatchObject({ ok: false, error: { code: 'credential_mismatch' } });
      expect(d.createCardToken).not.toHaveBeenCalled();
    });

    it("an injected frame bound to another key cannot gather the merchant's fields", async () => {
      const d = deps();
      const injected = entry('postalCode', { postal_code: '94107' }, `pk:${ATTACKER}`);
      const r = await tokenizeGroup(request({ credential: { kind: 'key', value: ATTACKER } }), [injected, ...split(`pk:${MERCHANT}`)], 'en', d);
      // It sees only its own field: the number, expiry and CVC of the merchant's frames stay put.
      expect(r).toMatchObject({ ok: false, error: { code: 'incomplete_number', fields: ['number', 'exp', 'cvc'] } });
      expect(d.createCardToken).not.toHaveBeenCalled();
    });

    it('the merchant tokenizes its own bound group as before', async () => {
      const d = deps();
      const r = await tokenizeGroup(request({ credential: { kind: 'key', value: MERCHANT } }), split(`pk:${MERCHANT}`), 'en', d);
      expect(r).toMatchObject({ ok: true });
    });

    it('an unbound group (client-token function) binds on its first tokenization', async () => {
      const group = split(null);
      const claims = (sub: string) => btoa(JSON.stringify({ sub })).replace(/=+$/, '');
      const token = (sub: string) => `ct_test_eyJhbGciOiJIUzI1NiJ9.${claims(sub)}.c2lnbmF0dXJlc2lnbmF0dXJl`;
      const d = deps();
      await expect(tokenizeGroup(request({ credential: { kind: 'client_token', value: token('acct_1') } }), group, 'en', d)).resolves.toMatchObject({ ok: true });
      expect(group.map((e) => e.binding())).toEqual(['acct:acct_1', 'acct:acct_1', 'acct:acct_1']);
      // A fresh token for the same account still works; another account's does not.
      await expect(tokenizeGroup(request({ credential: { kind: 'client_token', value: token('acct_1') } }), group, 'en', d)).resolves.toMatchObject({ ok: true });
      await expect(tokenizeGroup(request({ credential: { kind: 'client_token', value: token('acct_evil') } }), group, 'en', d)).resolves.toMatchObject({ ok: false, error: { code: 'credential_mismatch' } });
    });
  });
});
