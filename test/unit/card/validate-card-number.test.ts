import { describe, it, expect } from 'vitest';
import { CardvaultError } from '../../../src/errors/cardvault-error';
import { getBrandInfo, validateCardNumber, type CardBrand } from '../../../src/card';
import { luhnNumber, TEST_CARDS, thrownCode } from './test-cards';

type Row = [string, CardBrand | null, boolean, boolean];

describe('validateCardNumber', () => {
  describe.each(TEST_CARDS.map(([brand, n]) => [brand, n] as const))('%s test card %s', (brand, number) => {
    it('is valid', () => {
      expect(validateCardNumber(number)).toEqual({ brand, isValid: true, isPotentiallyValid: true });
    });

    it('is valid with spaces or dashes', () => {
      expect(validateCardNumber(number.replace(/(\d{4})(?=\d)/g, '$1 ')).isValid).toBe(true);
      expect(validateCardNumber(number.replace(/(\d{4})(?=\d)/g, '$1-')).isValid).toBe(true);
      expect(validateCardNumber(` ${number} `).isValid).toBe(true);
    });

    it('is potentially valid at every partial length', () => {
      for (let i = 1; i < number.length; i++) {
        const r = validateCardNumber(number.slice(0, i));
        expect(r.isValid && getBrandInfo(brand).lengths.includes(i)).toBe(r.isValid);
        expect(r.isPotentiallyValid, number.slice(0, i)).toBe(true);
      }
    });

    it('fails with a wrong check digit', () => {
      const last = Number(number.at(-1));
      const r = validateCardNumber(number.slice(0, -1) + String((last + 1) % 10));
      expect(r.brand).toBe(brand);
      expect(r.isValid).toBe(false);
    });
  });

  it.each<Row>([
    ['', null, false, true],
    ['4', 'visa', false, true],
    ['4242', 'visa', false, true],
    ['424242424242', 'visa', false, true],
    ['6', null, false, true], // ambiguous but possible
    ['3', null, false, true],
    ['1', null, false, false], // no brand starts with 1
    ['9999', null, false, false],
    ['2721', null, false, false],
    ['34', 'amex', false, true],
    ['2221', 'mastercard', false, true],
  ])('partial %j', (value, brand, isValid, isPotentiallyValid) => {
    expect(validateCardNumber(value)).toEqual({ brand, isValid, isPotentiallyValid });
  });

  it.each<Row>([
    // 2-series Mastercard, both ends of the range
    [luhnNumber('2221', 16), 'mastercard', true, true],
    [luhnNumber('2720', 16), 'mastercard', true, true],
    [luhnNumber('51', 16), 'mastercard', true, true],
    // every Visa length; 13 and 16 can still grow to 19
    [luhnNumber('4', 13), 'visa', true, true],
    [luhnNumber('4', 19), 'visa', true, true],
    [luhnNumber('4', 14), 'visa', false, true],
    // Elo and Hipercard numbers are 16 digits, whatever Visa/Maestro would allow
    [luhnNumber('401178', 16), 'elo', true, true],
    [luhnNumber('401178', 19), 'elo', false, false],
    [luhnNumber('636368', 16), 'elo', true, true],
    [luhnNumber('384100', 16), 'hipercard', true, true],
    [luhnNumber('637612', 19), 'hipercard', false, false],
    [luhnNumber('622126', 16), 'discover', true, true],
    [luhnNumber('622126', 19), 'discover', true, true],
    // Maestro's short numbers
    [luhnNumber('6759', 12), 'maestro', true, true],
    [luhnNumber('50', 19), 'maestro', true, true],
    // Diners and UnionPay 14 digits
    [luhnNumber('36', 14), 'diners', true, true],
    [luhnNumber('62', 14), 'unionpay', true, true],
    [luhnNumber('81', 16), 'unionpay', true, true],
    [luhnNumber('2204', 19), 'mir', true, true],
    [luhnNumber('3589', 19), 'jcb', true, true],
    [luhnNumber('65', 16), 'discover', true, true],
  ])('complete %s', (value, brand, isValid, isPotentiallyValid) => {
    expect(validateCardNumber(value)).toEqual({ brand, isValid, isPotentiallyValid });
  });

  it.each<Row>([
    // full-length Luhn failures cannot be fixed by typing more
    ['5555555555554445', 'mastercard', false, false],
    ['378282246310006', 'amex', false, false],
    ['6362970000457014', 'elo', false, false],
    ['6062826786276635', 'hipercard', false, false],
    // shorter than the longest length: more digits might still make it valid
    ['4242424242424241', 'visa', false, true],
    ['6011111111111118', 'discover', false, true],
    // too long for the brand
    ['42424242424242424242', 'visa', false, false],
    ['3782822463100050', 'amex', false, false],
    ['55555555555544440', 'mastercard', false, false],
  ])('invalid %s', (value, brand, isValid, isPotentiallyValid) => {
    expect(validateCardNumber(value)).toEqual({ brand, isValid, isPotentiallyValid });
  });

  it.each<Row>([
    ['4242 4242 4242 4242', 'visa', true, true],
    ['4242-4242-4242-4242', 'visa', true, true],
    ['4242 - 4242 4242  4242', 'visa', true, true],
    ['3782 822463 10005', 'amex', true, true],
    ['4242.4242.4242.4242', null, false, false],
    ['4242\t4242424242424', null, false, false],
    ['4242424242424242a', null, false, false],
    ['٤٢٤٢', null, false, false],
    ['+4242424242424242', null, false, false],
  ])('separators and other characters: %j', (value, brand, isValid, isPotentiallyValid) => {
    expect(validateCardNumber(value)).toEqual({ brand, isValid, isPotentiallyValid });
  });

  it('ignores input over 64 characters without scanning it', () => {
    const padded = '4242424242424242'.padStart(64, ' ');
    expect(validateCardNumber(padded).isValid).toBe(true);
    expect(validateCardNumber(' ' + padded)).toEqual({ brand: null, isValid: false, isPotentiallyValid: false });
    expect(validateCardNumber('4'.repeat(10_000))).toEqual({ brand: null, isValid: false, isPotentiallyValid: false });
  });

  it.each([[null], [undefined], [4242424242424242], [{ number: '4242424242424242' }], [['4242']], [true]])(
    'throws invalid_argument for %j',
    (bad) => {
      expect(() => validateCardNumber(bad as unknown as string)).toThrow(CardvaultError);
      expect(thrownCode(() => validateCardNumber(bad as unknown as string))).toBe('invalid_argument');
    },
  );

  it('never puts the value in the error message', () => {
    try {
      validateCardNumber(4242424242424242 as unknown as string);
    } catch (error) {
      expect((error as Error).message).not.toContain('4242');
    }
  });
});
