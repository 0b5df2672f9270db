import { describe, expect, it } from 'vitest';
import { CATALOGUE, CardvaultError, isCardvaultError, type ErrorCode } from '../../../src/errors';

describe('CardvaultError', () => {
  it.each(Object.keys(CATALOGUE) as ErrorCode[])('%s takes its type and message from the catalogue', (code) => {
    const e = new CardvaultError(code);
    expect(e.code).toBe(code);
    expect(e.type).toBe(CATALOGUE[code].type);
    expect(e.message).toBe(CATALOGUE[code].message);
    expect(e.name).toBe('CardvaultError');
    expect(e).toBeInstanceOf(Error);
  });

  it('survives a structured clone as JSON and comes back with the same code', () => {
    const e = new CardvaultError('invalid_number', { param: 'number', fields: ['number', 'cvc'], requestId: 'req_1', status: 400 });
    const back = CardvaultError.fromJSON(structuredClone(e.toJSON()));
    expect(back.toJSON()).toEqual(e.toJSON());
  });

  it('turns an unknown code from the wire into api_error', () => {
    expect(CardvaultError.fromJSON({ code: 'made_up', message: 'x' }).code).toBe('api_error');
  });

  it('the guard accepts an error from another realm by name and code, and rejects look-alikes', () => {
    const foreign = { name: 'CardvaultError', code: 'card_declined', type: 'card_error', message: 'x' };
    expect(isCardvaultError(foreign)).toBe(true);
    expect(isCardvaultError({ ...foreign, code: 'not_a_code' })).toBe(false);
    expect(isCardvaultError(new Error('x'))).toBe(false);
    expect(isCardvaultError(null)).toBe(false);
  });

  it('no catalogue message invites card data', () => {
    for (const entry of Object.values(CATALOGUE)) expect(entry.message).not.toMatch(/\d{12,}/);
  });
});
