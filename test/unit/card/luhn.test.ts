import { describe, it, expect } from 'vitest';
import { luhnCheck } from '../../../src/card';
import { TEST_CARDS } from './test-cards';

describe('luhnCheck', () => {
  it.each(TEST_CARDS.map(([brand, n]) => [brand, n]))('%s test card %s passes', (_brand, number) => {
    expect(luhnCheck(number)).toBe(true);
  });

  it.each([
    ['0', true],
    ['00', true],
    ['18', true],
    ['79927398713', true],
    ['79927398710', false],
    ['4242424242424241', false],
    ['4242 4242 4242 4242', true],
    ['4242-4242-4242-4242', true],
    ['4242 4242 4242 4243', false],
    ['', false],
    [' - ', false],
    ['4242a42424242424', false],
    ['４２４２', false], // full-width digits are not digits here
  ])('%j -> %s', (value, expected) => {
    expect(luhnCheck(value)).toBe(expected);
  });

  it('detects every single-digit change of a valid number', () => {
    const base = '4242424242424242';
    for (let i = 0; i < base.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === base[i]) continue;
        expect(luhnCheck(base.slice(0, i) + d + base.slice(i + 1))).toBe(false);
      }
    }
  });
});
