import { describe, expect, it } from 'vitest';
import { parseToken } from '../../../src/transport/parse-token';

const good = () => ({
  id: 'tok_abc123',
  object: 'token',
  livemode: false,
  created: 1_760_000_000,
  expires_at: 1_760_000_900,
  used: false,
  card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, fingerprint: 'fp_1', name: null, address_zip: '94107' },
});

describe('parseToken', () => {
  it('accepts a token and copies only the known members', () => {
    const token = parseToken({ ...good(), extra: 1 });
    expect(token).toEqual(good());
  });

  it('accepts a brand it does not know yet (forward compatible)', () => {
    expect(parseToken({ ...good(), card: { ...good().card, brand: 'newbrand' } }).card.brand).toBe('newbrand');
  });

  const mutations: [string, (t: ReturnType<typeof good>) => unknown][] = [
    ['null', () => null],
    ['an array', () => []],
    ['a string', () => 'tok_abc'],
    ['id without tok_', (t) => ({ ...t, id: 'card_1' })],
    ['object not token', (t) => ({ ...t, object: 'card' })],
    ['livemode not boolean', (t) => ({ ...t, livemode: 'false' })],
    ['created not integer', (t) => ({ ...t, created: 1.5 })],
    ['used missing', ({ used: _u, ...t }) => t],
    ['card missing', ({ card: _c, ...t }) => t],
    ['last4 not 4 digits', (t) => ({ ...t, card: { ...t.card, last4: '42424' } })],
    ['exp_month 13', (t) => ({ ...t, card: { ...t.card, exp_month: 13 } })],
    ['exp_year as string', (t) => ({ ...t, card: { ...t.card, exp_year: '2030' } })],
    ['brand with markup', (t) => ({ ...t, card: { ...t.card, brand: '<b>visa</b>' } })],
    ['name a number', (t) => ({ ...t, card: { ...t.card, name: 5 } })],
  ];
  it.each(mutations)('refuses %s with invalid_response', (_name, mutate) => {
    expect(() => parseToken(mutate(good()))).toThrow(expect.objectContaining({ code: 'invalid_response' }));
  });
});
