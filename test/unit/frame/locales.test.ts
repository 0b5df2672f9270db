import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../src/errors/catalogue';
import { LOCALE_CODES, RTL_LOCALES } from '../../../src/locale-codes';
import { MESSAGES, cvcPlaceholderKey, resolveLocale, t, type MessageKey } from '../../../src/frame/locales';
import TEXT from '../../../src/frame/locales/index';

const LOCALES = LOCALE_CODES;
const VALIDATION_CODES = Object.entries(CATALOGUE)
  .filter(([, e]) => e.type === 'validation_error')
  .map(([code]) => code);
const SOURCE = (l: string) => readFileSync(join(process.cwd(), 'src', 'frame', 'locales', `${l}.ts`), 'utf8');

describe('locales', () => {
  it('carries every locale code, at least twenty, right-to-left and CJK included', () => {
    expect(Object.keys(MESSAGES).sort()).toEqual([...LOCALE_CODES].sort());
    expect(LOCALES.length).toBeGreaterThanOrEqual(20);
    for (const l of ['ar', 'he', 'ja', 'ko', 'zh-Hans', 'zh-Hant']) expect(LOCALES).toContain(l);
    expect([...RTL_LOCALES].sort()).toEqual(['ar', 'he']);
  });

  it('has every key in every locale, non-empty and trimmed', () => {
    const keys = Object.keys(MESSAGES.en!).sort();
    expect(keys.length).toBeGreaterThanOrEqual(23);
    for (const l of LOCALES) {
      expect(Object.keys(MESSAGES[l]!).sort(), l).toEqual(keys);
      for (const k of keys) {
        const s = t(l, k as MessageKey);
        expect(s.trim(), `${l} ${k}`).not.toBe('');
        expect(s, `${l} ${k}`).toBe(s.trim());
      }
    }
  });

  it('has exactly as many strings in each locale file as there are keys', () => {
    // A missing or extra `|` would shift every later string onto the wrong key.
    const count = Object.keys(MESSAGES.en!).length;
    for (const l of LOCALES) expect(TEXT[l]!.split('|'), l).toHaveLength(count);
  });

  it('keeps each locale file to string literals joined with + (the build reads them without TypeScript)', () => {
    for (const l of LOCALES) {
      const body = SOURCE(l).replace(/\/\*[\s\S]*?\*\//g, '').trim();
      expect(body, l).toMatch(/^export default \(\s*(?:(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*\+?\s*)+\);$/);
    }
  });

  it('translates every validation_error code in the catalogue', () => {
    expect(VALIDATION_CODES.length).toBeGreaterThanOrEqual(12);
    for (const l of LOCALES) for (const code of VALIDATION_CODES) expect(MESSAGES[l]).toHaveProperty(code);
  });

  it('actually translates (labels, errors and the title differ from English)', () => {
    for (const l of LOCALES.filter((x) => x !== 'en')) {
      for (const k of ['label.number', 'invalid_number', 'incomplete_cvc', 'title'] as const) expect(t(l, k), `${l} ${k}`).not.toBe(t('en', k));
    }
  });

  it('has a title template with one % for the list of input labels', () => {
    for (const l of LOCALES) expect(t(l, 'title').split('%'), l).toHaveLength(2);
  });

  it('keeps placeholders that mean digits as ASCII digits (inputs stay ASCII, also in Arabic)', () => {
    for (const l of LOCALES) expect(t(l, 'placeholder.number'), l).toBe('1234 1234 1234 1234');
  });

  it('writes the expiry hint the way each locale does', () => {
    const hints: Record<string, string> = { en: 'MM / YY', es: 'MM / AA', fr: 'MM / AA', pt: 'MM / AA', it: 'MM / AA', de: 'MM / JJ', nl: 'MM / JJ', sv: 'MM / ÅÅ', fi: 'KK / VV', tr: 'AA / YY', ru: 'ММ / ГГ', ja: '月 / 年', 'zh-Hans': '月 / 年', 'zh-Hant': '月 / 年', ko: '월 / 년' };
    for (const [l, hint] of Object.entries(hints)) expect(t(l as never, 'placeholder.expiry'), l).toBe(hint);
    // Arabic words in a left-to-right input: LEFT-TO-RIGHT MARKs keep "month" on the left, where the month is typed.
    expect(t('ar', 'placeholder.expiry')).toBe('شهر\u200e / \u200eسنة');
  });

  it('has the expected English strings', () => {
    expect(t('en', 'placeholder.number')).toBe('1234 1234 1234 1234');
    expect(t('en', 'placeholder.expiry')).toBe('MM / YY');
    expect(t('en', 'label.cvc')).toBe('Security code');
    expect(t('en', 'title')).toBe('Secure payment field: %');
  });

  it('picks the CVC placeholder by brand cvcName', () => {
    expect(t('en', cvcPlaceholderKey('CID'))).toBe('CID');
    expect(t('en', cvcPlaceholderKey('CVV'))).toBe('CVV');
    expect(t('en', cvcPlaceholderKey('CVC'))).toBe('CVC');
    expect(t('en', cvcPlaceholderKey(undefined))).toBe('CVC');
  });
});

describe('resolveLocale (the frame renders the locale of its document)', () => {
  it.each([
    ['de', 'de'],
    ['zh-Hant', 'zh-Hant'],
    ['ar', 'ar'],
    ['auto', 'en'],
    ['xx', 'en'],
    ['__proto__', 'en'],
  ] as const)('%s -> %s', (option, expected) => {
    expect(resolveLocale(option)).toBe(expected);
  });
});
