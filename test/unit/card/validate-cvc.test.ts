import { describe, it, expect } from 'vitest';
import { validateCvc, type CardBrand } from '../../../src/card';
import { thrownCode } from './test-cards';

type Row = [string, CardBrand | null | undefined, boolean, boolean];

describe('validateCvc', () => {
  it.each<Row>([
    ['', undefined, false, true],
    ['1', undefined, false, true],
    ['12', undefined, false, true],
    ['123', undefined, true, true],
    ['1234', undefined, true, true], // brand unknown: both sizes are fine
    ['12345', undefined, false, false],
    ['123', null, true, true],
    ['1234', null, true, true],
  ])('brand unknown: %j', (value, brand, isValid, isPotentiallyValid) => {
    expect(validateCvc(value, brand)).toEqual({ isValid, isPotentiallyValid });
  });

  describe.each<[CardBrand, number]>([
    ['visa', 3],
    ['mastercard', 3],
    ['amex', 4],
    ['discover', 3],
    ['diners', 3],
    ['jcb', 3],
    ['unionpay', 3],
    ['maestro', 3],
    ['mir', 3],
    ['elo', 3],
    ['hipercard', 3],
  ])('%s (%i digits)', (brand, size) => {
    it.each([0, 1, 2, 3, 4, 5])('%i digits', (n) => {
      const value = '7'.repeat(n);
      expect(validateCvc(value, brand)).toEqual({ isValid: n === size, isPotentiallyValid: n <= size });
    });
  });

  it.each([['12a'], ['1 23'], ['12-3'], [' 123'], ['١٢٣'], ['1.2']])('rejects non-digits: %j', (value) => {
    expect(validateCvc(value)).toEqual({ isValid: false, isPotentiallyValid: false });
  });

  it.each([[null], [123], [{}], [undefined]])('throws invalid_argument for value %j', (bad) => {
    expect(thrownCode(() => validateCvc(bad as string))).toBe('invalid_argument');
  });

  it.each([['Visa'], ['nope'], [3]])('throws invalid_argument for brand %j', (bad) => {
    expect(thrownCode(() => validateCvc('123', bad as CardBrand))).toBe('invalid_argument');
  });
});
