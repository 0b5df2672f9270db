import { describe, it, expect } from 'vitest';
import { CardvaultError } from '../../../src/errors/cardvault-error';
import { BRAND_SPECS } from '../../../src/card/brands';
import { getBrandInfo, isCardBrand, type CardBrand } from '../../../src/card';
import { thrownCode } from './test-cards';

describe('getBrandInfo', () => {
  it.each<[CardBrand, string, number[], number[], number, string]>([
    ['visa', 'Visa', [13, 16, 19], [4, 8, 12], 3, 'CVV'],
    ['mastercard', 'Mastercard', [16], [4, 8, 12], 3, 'CVC'],
    ['amex', 'American Express', [15], [4, 10], 4, 'CID'],
    ['discover', 'Discover', [16, 17, 18, 19], [4, 8, 12], 3, 'CID'],
    ['diners', 'Diners Club', [14, 15, 16, 17, 18, 19], [4, 8, 12], 3, 'CVV'],
    ['jcb', 'JCB', [16, 17, 18, 19], [4, 8, 12], 3, 'CVV'],
    ['unionpay', 'UnionPay', [14, 15, 16, 17, 18, 19], [4, 8, 12], 3, 'CVN'],
    ['maestro', 'Maestro', [12, 13, 14, 15, 16, 17, 18, 19], [4, 8, 12], 3, 'CVC'],
    ['mir', 'Mir', [16, 17, 18, 19], [4, 8, 12], 3, 'CVP2'],
    ['elo', 'Elo', [16], [4, 8, 12], 3, 'CVE'],
    ['hipercard', 'Hipercard', [16], [4, 8, 12], 3, 'CVC'],
  ])('%s', (brand, niceType, lengths, gaps, cvcLength, cvcName) => {
    expect(getBrandInfo(brand)).toEqual({ brand, niceType, lengths, gaps, cvcLength, cvcName });
  });

  it('returns frozen objects so callers cannot corrupt the shared table', () => {
    const info = getBrandInfo('visa');
    expect(Object.isFrozen(info)).toBe(true);
    expect(Object.isFrozen(info.lengths)).toBe(true);
    expect(Object.isFrozen(info.gaps)).toBe(true);
  });

  it.each([['VISA'], ['unknown'], [''], [null], [42], [{}]])('throws invalid_argument for %j', (bad) => {
    expect(() => getBrandInfo(bad as CardBrand)).toThrow(CardvaultError);
    expect(thrownCode(() => getBrandInfo(bad as CardBrand))).toBe('invalid_argument');
  });
});

describe('isCardBrand', () => {
  it.each([['visa', true], ['hipercard', true], ['Visa', false], ['', false], [null, false], [1, false]])('%j -> %s', (v, out) => {
    expect(isCardBrand(v)).toBe(out);
  });
});

describe('brand table', () => {
  it('covers exactly the CardBrand union', () => {
    expect(BRAND_SPECS.map((s) => s.brand).sort()).toEqual(
      ['amex', 'diners', 'discover', 'elo', 'hipercard', 'jcb', 'maestro', 'mastercard', 'mir', 'unionpay', 'visa'],
    );
  });

  it('applies Luhn to every brand', () => {
    expect(BRAND_SPECS.every((s) => s.luhn)).toBe(true);
  });

  // Longest-prefix-wins only resolves overlaps between prefixes of different lengths; two brands
  // owning overlapping ranges of the same length would make detection ambiguous.
  it('has no overlapping ranges of equal length between two brands', () => {
    const ranges = BRAND_SPECS.flatMap((s) =>
      s.prefixes.map((p) => {
        const [lo, hi = lo] = p.split('-') as [string, string?];
        return { brand: s.brand, len: lo.length, lo: Number(lo), hi: Number(hi) };
      }),
    );
    const clashes: string[] = [];
    for (const a of ranges) {
      for (const b of ranges) {
        if (a.brand < b.brand && a.len === b.len && a.lo <= b.hi && b.lo <= a.hi) clashes.push(`${a.brand}/${b.brand} ${a.lo}`);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('parses the compact table into prefixes, lengths and codes', () => {
    const mastercard = BRAND_SPECS.find((s) => s.brand === 'mastercard');
    expect(mastercard?.prefixes).toEqual(['51-55', '2221-2720']);
    expect(BRAND_SPECS.find((s) => s.brand === 'maestro')?.lengths).toEqual([12, 13, 14, 15, 16, 17, 18, 19]);
    expect(BRAND_SPECS.find((s) => s.brand === 'elo')?.prefixes).toHaveLength(25);
    expect(BRAND_SPECS.find((s) => s.brand === 'hipercard')?.prefixes).toHaveLength(9);
    for (const s of BRAND_SPECS) {
      expect(s.niceType).not.toBe('');
      expect(s.cvcName).toMatch(/^[A-Z]{3}\d?$/);
      expect([3, 4]).toContain(s.cvcLength);
    }
  });

  // prefix-table.ts trusts this shape (it no longer re-checks the table at import, in every frame):
  // a malformed entry would silently mis-detect.
  it('keeps every prefix within six digits and every range ordered', () => {
    for (const s of BRAND_SPECS) {
      for (const p of s.prefixes) {
        expect(p, s.brand).toMatch(/^(\d{1,6})(-\d{1,6})?$/);
        const [lo, hi = lo] = p.split('-') as [string, string?];
        expect(hi.length).toBe(lo.length);
        expect(Number(lo)).toBeLessThanOrEqual(Number(hi));
      }
    }
  });
});
