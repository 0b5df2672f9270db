import { describe, expect, it } from 'vitest';
import { FRAME_LOCALES, RTL_LOCALES as BUILD_RTL } from '../../scripts/frame-locales.mjs';
import { LOCALE_CODES, RTL_LOCALES, matchLocale, pickLocale } from '../../src/locale-codes';
import { resolveOptions } from '../../src/options';
import type { LocaleCode } from '../../src/types';

// Every LocaleCode, written out: the compiler fails here if the public type and this list differ.
const ALL: Record<LocaleCode, true> = {
  ar: true, cs: true, da: true, de: true, el: true, en: true, es: true, fi: true, fr: true, he: true, it: true,
  ja: true, ko: true, nb: true, nl: true, pl: true, pt: true, ru: true, sv: true, tr: true, 'zh-Hans': true, 'zh-Hant': true,
};

describe('locale codes', () => {
  it('are the same in the public type, the SDK and the build', () => {
    expect([...LOCALE_CODES].sort()).toEqual(Object.keys(ALL).sort());
    expect([...FRAME_LOCALES].sort()).toEqual([...LOCALE_CODES].sort());
    expect([...BUILD_RTL].sort()).toEqual([...RTL_LOCALES].sort());
  });
});

describe('matchLocale', () => {
  it.each([
    ['en', 'en'],
    ['EN', 'en'],
    ['en-GB', 'en'],
    ['pt-BR', 'pt'],
    ['pt_PT', 'pt'],
    ['fr-CA', 'fr'],
    ['de-CH', 'de'],
    ['he-IL', 'he'],
    ['iw', 'he'],
    ['no', 'nb'],
    ['nn-NO', 'nb'],
    ['nb-NO', 'nb'],
    ['ar-EG', 'ar'],
    ['zh', 'zh-Hans'],
    ['zh-CN', 'zh-Hans'],
    ['zh-SG', 'zh-Hans'],
    ['zh-Hans', 'zh-Hans'],
    ['zh-TW', 'zh-Hant'],
    ['zh-HK', 'zh-Hant'],
    ['zh-MO', 'zh-Hant'],
    ['zh-Hant', 'zh-Hant'],
    ['zh-hant-cn', 'zh-Hant'],
    ['zh-Hans-HK', 'zh-Hans'],
    ['ZH_tw', 'zh-Hant'],
  ] as const)('%s -> %s', (tag, code) => {
    expect(matchLocale(tag)).toBe(code);
  });

  it.each([['xx'], [''], ['gsw-CH'], ['english'], ['__proto__'], ['constructor'], [42], [null], [undefined]])('%j -> undefined', (tag) => {
    expect(matchLocale(tag)).toBeUndefined();
  });
});

describe('pickLocale (auto: the browser languages in order, first match wins)', () => {
  it.each([
    [['fr-CA', 'en'], 'fr'],
    [['gsw-CH', 'de-CH', 'en'], 'de'],
    [['xx', 'pt-BR', 'es'], 'pt'],
    [['zh-TW', 'en'], 'zh-Hant'],
    [['zh-HK'], 'zh-Hant'],
    [['zh-CN'], 'zh-Hans'],
    [['he'], 'he'],
    [['ja-JP', 'en-US'], 'ja'],
    [['xx', 'yy'], 'en'],
    [[], 'en'],
    [[null, 42, '__proto__', 'ko'], 'ko'],
  ] as const)('%j -> %s', (languages, code) => {
    expect(pickLocale(languages)).toBe(code);
  });
});

describe('the factory locale option', () => {
  it('accepts auto, codes and tags that fall back to a code (kept as the code)', () => {
    expect(resolveOptions({}).locale).toBe('auto');
    expect(resolveOptions({ locale: 'auto' }).locale).toBe('auto');
    expect(resolveOptions({ locale: 'ja' }).locale).toBe('ja');
    expect(resolveOptions({ locale: 'pt-BR' }).locale).toBe('pt');
    expect(resolveOptions({ locale: 'zh-TW' }).locale).toBe('zh-Hant');
  });

  it.each([['xx'], ['english'], [''], [42]])('refuses %j with invalid_argument naming the codes', (locale) => {
    expect(() => resolveOptions({ locale })).toThrow(expect.objectContaining({ code: 'invalid_argument', param: 'locale' }));
    expect(() => resolveOptions({ locale })).toThrow(/zh-Hans, zh-Hant/);
  });
});
