import { describe, it, expect } from 'vitest';
import { validateExpiry } from '../../../src/card';
import { thrownCode } from './test-cards';

// 15 November 2026, local time: November 2026 is the current month.
const NOW = new Date(2026, 10, 15);

type Row = [string, boolean, boolean, number | null, number | null];

describe('validateExpiry (one value)', () => {
  it.each<Row>([
    ['12/30', true, true, 12, 2030],
    ['12/2030', true, true, 12, 2030],
    ['12 / 30', true, true, 12, 2030],
    ['12 / 2030', true, true, 12, 2030],
    [' 1/30 ', true, true, 1, 2030],
    ['1/30', true, true, 1, 2030],
    ['01/30', true, true, 1, 2030],
    ['1230', true, true, 12, 2030],
    ['122030', true, true, 12, 2030],
    ['230', true, true, 2, 2030], // "2" can only be February
  ])('accepts the format %j', (value, isValid, isPotentiallyValid, month, year) => {
    expect(validateExpiry(value, NOW)).toEqual({ isValid, isPotentiallyValid, month, year });
  });

  it.each<Row>([
    ['', false, true, null, null],
    ['   ', false, true, null, null],
    ['0', false, true, null, null],
    ['1', false, true, null, null], // January, or October to December
    ['2', false, true, 2, null],
    ['9', false, true, 9, null],
    ['12', false, true, 12, null],
    ['12 / ', false, true, 12, null],
    ['1/', false, true, 1, null],
    ['12/3', false, true, 12, null],
    ['12/2', false, true, 12, null], // 2026… or 2x
    ['12/203', false, true, 12, null],
    ['123', false, true, 12, null],
  ])('partial %j', (value, isValid, isPotentiallyValid, month, year) => {
    expect(validateExpiry(value, NOW)).toEqual({ isValid, isPotentiallyValid, month, year });
  });

  it.each<Row>([
    ['13', false, false, null, null],
    ['00', false, false, null, null],
    ['19', false, false, null, null],
    ['13/30', false, false, null, null],
    ['00/30', false, false, null, null],
    ['0/30', false, false, null, null],
    ['/30', false, false, null, null],
    ['12/30/1', false, false, null, null],
    ['12-30', false, false, null, null],
    ['ab/cd', false, false, null, null],
    ['12/20301', false, false, null, null],
    ['1234567', false, false, null, null],
    ['12/9', false, false, 12, null], // no year in the window starts with 9
  ])('invalid %j', (value, isValid, isPotentiallyValid, month, year) => {
    expect(validateExpiry(value, NOW)).toEqual({ isValid, isPotentiallyValid, month, year });
  });

  it.each<Row>([
    ['11/26', true, true, 11, 2026], // the current month is still valid
    ['11/2026', true, true, 11, 2026],
    ['12/26', true, true, 12, 2026],
    ['10/26', false, false, 10, 2026], // last month
    ['10/2026', false, false, 10, 2026],
    ['12/25', false, false, 12, 2025],
    ['12/2025', false, false, 12, 2025],
    // a past two-digit year may still be the start of a four-digit one ("20" → "2030")
    ['01/20', false, true, 1, 2020],
    ['12/46', true, true, 12, 2046], // 20 years ahead
    ['12/2046', true, true, 12, 2046],
    ['01/47', false, false, 1, 2047], // 21 years ahead
    ['01/2047', false, false, 1, 2047],
    ['01/2099', false, false, 1, 2099],
  ])('past, current and far-future dates: %j', (value, isValid, isPotentiallyValid, month, year) => {
    expect(validateExpiry(value, NOW)).toEqual({ isValid, isPotentiallyValid, month, year });
  });

  it('reads two-digit years in the next century near the end of this one', () => {
    expect(validateExpiry('01/05', new Date(2095, 0, 1))).toEqual({ isValid: true, isPotentiallyValid: true, month: 1, year: 2105 });
  });

  it('handles the January boundary', () => {
    const jan = new Date(2027, 0, 1);
    expect(validateExpiry('12/26', jan).isValid).toBe(false);
    expect(validateExpiry('01/27', jan).isValid).toBe(true);
  });

  it('uses the real clock by default', () => {
    const d = new Date();
    const mm = String(d.getMonth() + 1).padStart(2, '0');
    expect(validateExpiry(`${mm}/${d.getFullYear()}`).isValid).toBe(true);
    expect(validateExpiry(`${mm}/${d.getFullYear() - 1}`).isValid).toBe(false);
  });

  it('rejects input over 32 characters', () => {
    expect(validateExpiry(`12/30${' '.repeat(40)}`, NOW).isPotentiallyValid).toBe(false);
  });
});

describe('validateExpiry (month, year)', () => {
  it.each<[string | number, string | number, boolean, boolean, number | null, number | null]>([
    [12, 2030, true, true, 12, 2030],
    [12, 30, true, true, 12, 2030],
    ['12', '2030', true, true, 12, 2030],
    ['1', '30', true, true, 1, 2030],
    ['01', '30', true, true, 1, 2030],
    [' 12 ', ' 30 ', true, true, 12, 2030],
    [11, 2026, true, true, 11, 2026],
    [10, 2026, false, false, 10, 2026],
    [12, 2047, false, false, 12, 2047],
    [13, 2030, false, false, null, null],
    [0, 2030, false, false, null, null],
    [-1, 2030, false, false, null, null],
    [1.5, 2030, false, false, null, null],
    [Number.NaN, 2030, false, false, null, null],
    ['12', '', false, true, 12, null],
    ['', '', false, true, null, null],
    ['12', 'abcd', false, false, null, null],
  ])('(%j, %j)', (month, year, isValid, isPotentiallyValid, m, y) => {
    expect(validateExpiry(month, year, NOW)).toEqual({ isValid, isPotentiallyValid, month: m, year: y });
  });
});

describe('validateExpiry argument checks', () => {
  it.each([[null], [1230], [{}], [['12/30']]])('throws invalid_argument for a single %j', (bad) => {
    expect(thrownCode(() => validateExpiry(bad as string))).toBe('invalid_argument');
    expect(thrownCode(() => validateExpiry(bad as string, NOW))).toBe('invalid_argument');
  });

  it.each([[null, 2030], [12, null], [{}, 2030], [12, [2030]], [true, 2030]])('throws invalid_argument for (%j, %j)', (m, y) => {
    expect(thrownCode(() => validateExpiry(m as number, y as number, NOW))).toBe('invalid_argument');
  });

  it('throws invalid_argument for a bad `now`', () => {
    expect(thrownCode(() => validateExpiry('12/30', new Date(Number.NaN)))).toBe('invalid_argument');
    expect(thrownCode(() => validateExpiry(12, 2030, 'today' as unknown as Date))).toBe('invalid_argument');
  });
});
