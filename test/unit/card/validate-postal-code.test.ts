import { describe, it, expect } from 'vitest';
import { validatePostalCode } from '../../../src/card';
import { thrownCode } from './test-cards';

describe('validatePostalCode', () => {
  it.each<[string, boolean, boolean]>([
    ['94107', true, true],
    ['94107-1234', true, true],
    ['SW1A 1AA', true, true],
    ['sw1a 1aa', true, true],
    ['K1A 0B1', true, true],
    ['110', true, true],
    ['  75008  ', true, true],
    ['', false, true],
    ['1', false, true],
    ['12', false, true],
    ['12345-', false, true], // mid-typing
    ['12345678901', false, false],
    ['-1234', false, false],
    ['12#45', false, false],
    ['1234_5', false, false],
    ['75008\n', true, true],
    ['ü1234', false, false],
  ])('%j', (value, isValid, isPotentiallyValid) => {
    expect(validatePostalCode(value)).toEqual({ isValid, isPotentiallyValid });
  });

  it.each([[null], [94107], [{}]])('throws invalid_argument for %j', (bad) => {
    expect(thrownCode(() => validatePostalCode(bad as string))).toBe('invalid_argument');
  });
});
