import { describe, it, expect } from 'vitest';
import { digitsOnly, formatCardNumber, formatExpiry } from '../../../src/card';
import { TEST_CARDS, thrownCode } from './test-cards';

describe('formatCardNumber', () => {
  it.each<[string, string]>([
    ['', ''],
    ['4', '4'],
    ['4242', '4242'],
    ['42424', '4242 4'],
    ['4242424242424242', '4242 4242 4242 4242'],
    ['4242 4242 4242 4242', '4242 4242 4242 4242'],
    ['4242-4242-4242-4242', '4242 4242 4242 4242'],
    ['4242424242424', '4242 4242 4242 4'],
    // 19 digits: 4-4-4-4-3
    ['4242424242424242424', '4242 4242 4242 4242 424'],
    ['6759649826438453123', '6759 6498 2643 8453 123'],
    // truncated to the brand's longest length
    ['42424242424242424242424', '4242 4242 4242 4242 424'],
    ['55555555555544449999', '5555 5555 5555 4444'],
    ['63629700004570139', '6362 9700 0045 7013'],
    // amex 4-6-5
    ['3782', '3782'],
    ['37828', '3782 8'],
    ['3782822463', '3782 822463'],
    ['37828224631', '3782 822463 1'],
    ['378282246310005', '3782 822463 10005'],
    ['3782822463100059999', '3782 822463 10005'],
    // diners 14 digits 4-6-4
    ['30569309025904', '3056 930902 5904'],
    // unknown brand: up to 19 digits, default gaps
    ['1234567890123456789012', '1234 5678 9012 3456 789'],
    ['abc', ''],
    ['4a2b4c2', '4242'],
  ])('%j -> %j', (value, expected) => {
    expect(formatCardNumber(value)).toBe(expected);
  });

  it.each(TEST_CARDS.map(([brand, n]) => [brand, n]))('formats the %s test card %s and round-trips', (_brand, number) => {
    const formatted = formatCardNumber(number);
    expect(digitsOnly(formatted)).toBe(number);
    expect(formatCardNumber(formatted)).toBe(formatted);
  });

  it.each([[null], [4242], [{}]])('throws invalid_argument for %j', (bad) => {
    expect(thrownCode(() => formatCardNumber(bad as string))).toBe('invalid_argument');
  });
});

describe('formatExpiry', () => {
  it.each<[string, string]>([
    ['', ''],
    ['1', '1'],
    ['0', '0'],
    ['12', '12 / '],
    ['123', '12 / 3'],
    ['1230', '12 / 30'],
    ['122030', '12 / 2030'],
    ['1220301', '12 / 2030'],
    ['2', '02 / '],
    ['9', '09 / '],
    ['13', '01 / 3'],
    ['1/', '01 / '],
    ['1/3', '01 / 3'],
    ['12/', '12 / '],
    ['12/30', '12 / 30'],
    ['12 / 30', '12 / 30'],
    ['12 / ', '12 / '],
    // backspace over the separator
    ['12 /', '12'],
    ['12 ', '12'],
    ['ab', ''],
  ])('%j -> %j', (value, expected) => {
    expect(formatExpiry(value)).toBe(expected);
  });

  it.each([[null], [1230]])('throws invalid_argument for %j', (bad) => {
    expect(thrownCode(() => formatExpiry(bad as unknown as string))).toBe('invalid_argument');
  });
});

describe('digitsOnly', () => {
  it.each<[string, string]>([
    ['', ''],
    ['4242', '4242'],
    ['4242 4242-4242/4242', '4242424242424242'],
    [' 42 ', '42'],
    ['a1b2c3', '123'],
    ['abc', ''],
    ['４２', ''],
  ])('%j -> %j', (value, expected) => {
    expect(digitsOnly(value)).toBe(expected);
  });

  it('throws invalid_argument for a non-string', () => {
    expect(thrownCode(() => digitsOnly(42 as unknown as string))).toBe('invalid_argument');
  });
});
