import { describe, it, expect } from 'vitest';
import { detectBrand, type CardBrand } from '../../../src/card';
import { TEST_CARDS, thrownCode } from './test-cards';

describe('detectBrand', () => {
  describe.each(TEST_CARDS.map(([brand, n]) => [brand, n] as const))('%s test card %s', (brand, number) => {
    it('is detected in full', () => {
      expect(detectBrand(number)).toBe(brand);
    });
    it('is detected with spaces and dashes', () => {
      expect(detectBrand(number.replace(/(\d{4})(?=\d)/g, '$1 '))).toBe(brand);
      expect(detectBrand(number.replace(/(\d{4})(?=\d)/g, '$1-'))).toBe(brand);
    });
    it('is detected from its first six digits', () => {
      expect(detectBrand(number.slice(0, 6))).toBe(brand);
    });
  });

  it.each<[string, CardBrand | null]>([
    // empty, unknown and ambiguous
    ['', null],
    ['   ', null],
    ['1', null],
    ['9', null],
    ['2', null], // Mastercard 2-series or Mir
    ['22', null],
    ['3', null], // Amex, Diners, JCB
    ['5', null], // Mastercard or Maestro
    ['6', null], // Discover, UnionPay, Maestro, Elo, Hipercard
    ['60', null], // Discover 6011 or Hipercard 606282
    // single candidate or most specific full match
    ['4', 'visa'],
    ['42', 'visa'],
    ['51', 'mastercard'],
    ['55', 'mastercard'],
    ['2221', 'mastercard'],
    ['2720', 'mastercard'],
    ['27', 'mastercard'],
    ['2721', null],
    ['220', 'mir'],
    ['2204', 'mir'],
    ['2205', null],
    ['34', 'amex'],
    ['37', 'amex'],
    ['601', 'discover'],
    ['6011', 'discover'],
    ['644', 'discover'],
    ['649', 'discover'],
    ['65', 'discover'],
    ['300', 'diners'],
    ['305', 'diners'],
    ['306', null],
    ['36', 'diners'],
    ['38', 'diners'],
    ['39', 'diners'],
    ['35', 'jcb'],
    ['3528', 'jcb'],
    ['3589', 'jcb'],
    ['3527', null],
    ['62', 'unionpay'],
    ['81', 'unionpay'],
    ['8', 'unionpay'],
    ['50', 'maestro'],
    ['5018', 'maestro'],
    ['56', 'maestro'],
    ['59', 'maestro'],
    ['63', 'maestro'],
    ['6304', 'maestro'],
    ['67', 'maestro'],
    ['6759', 'maestro'],
    ['676770', 'maestro'],
    ['493698', 'maestro'],
  ])('%j -> %s', (value, brand) => {
    expect(detectBrand(value)).toBe(brand);
  });

  // The longest matching prefix wins, so narrow BIN ranges beat the broad brand they sit in.
  it.each<[string, CardBrand, CardBrand]>([
    ['401178', 'elo', 'visa'],
    ['401179', 'elo', 'visa'],
    ['431274', 'elo', 'visa'],
    ['438935', 'elo', 'visa'],
    ['451416', 'elo', 'visa'],
    ['457393', 'elo', 'visa'],
    ['457631', 'elo', 'visa'],
    ['457632', 'elo', 'visa'],
    ['504175', 'elo', 'maestro'],
    ['506699', 'elo', 'maestro'],
    ['506778', 'elo', 'maestro'],
    ['509000', 'elo', 'maestro'],
    ['509999', 'elo', 'maestro'],
    ['627780', 'elo', 'unionpay'],
    ['636297', 'elo', 'maestro'],
    ['636368', 'elo', 'maestro'],
    ['650031', 'elo', 'discover'],
    ['650033', 'elo', 'discover'],
    ['650035', 'elo', 'discover'],
    ['650051', 'elo', 'discover'],
    ['650405', 'elo', 'discover'],
    ['650439', 'elo', 'discover'],
    ['650485', 'elo', 'discover'],
    ['650538', 'elo', 'discover'],
    ['650541', 'elo', 'discover'],
    ['650598', 'elo', 'discover'],
    ['650700', 'elo', 'discover'],
    ['650718', 'elo', 'discover'],
    ['650720', 'elo', 'discover'],
    ['650727', 'elo', 'discover'],
    ['650901', 'elo', 'discover'],
    ['650978', 'elo', 'discover'],
    ['651652', 'elo', 'discover'],
    ['651679', 'elo', 'discover'],
    ['655000', 'elo', 'discover'],
    ['655019', 'elo', 'discover'],
    ['655021', 'elo', 'discover'],
    ['655058', 'elo', 'discover'],
    ['384100', 'hipercard', 'diners'],
    ['384140', 'hipercard', 'diners'],
    ['384160', 'hipercard', 'diners'],
    ['606282', 'hipercard', 'discover'],
    ['637095', 'hipercard', 'maestro'],
    ['637568', 'hipercard', 'maestro'],
    ['637599', 'hipercard', 'maestro'],
    ['637609', 'hipercard', 'maestro'],
    ['637612', 'hipercard', 'maestro'],
    ['622126', 'discover', 'unionpay'],
    ['622500', 'discover', 'unionpay'],
    ['622925', 'discover', 'unionpay'],
  ])('%s is %s, not %s', (prefix, brand) => {
    expect(detectBrand(prefix)).toBe(brand);
    expect(detectBrand(prefix + '0000000000')).toBe(brand);
  });

  it.each<[string, CardBrand]>([
    ['650034', 'discover'], // the hole between Elo's 650031-650033 and 650035-650051
    ['655020', 'discover'],
    ['650030', 'discover'],
    ['622125', 'unionpay'],
    ['622926', 'unionpay'],
    ['627781', 'unionpay'],
    ['401177', 'visa'],
    ['384101', 'diners'],
    ['506698', 'maestro'],
    ['637096', 'maestro'],
  ])('just outside a narrow range: %s is %s', (prefix, brand) => {
    expect(detectBrand(prefix)).toBe(brand);
  });

  it('keeps the broad brand while the narrow one is only a possibility', () => {
    expect(detectBrand('4011')).toBe('visa');
    expect(detectBrand('6362')).toBe('maestro');
    expect(detectBrand('6500')).toBe('discover');
  });

  it.each([['4242x'], ['4242.4242'], ['4242/42'], ['٤٢٤٢']])('returns null for other characters: %j', (value) => {
    expect(detectBrand(value)).toBe(null);
  });

  it.each([[null], [undefined], [4242], [{}], [['4242']]])('throws invalid_argument for %j', (bad) => {
    expect(thrownCode(() => detectBrand(bad as string))).toBe('invalid_argument');
  });
});
