/**
 * The frame locales' public codes and how a language tag (an option, or one of the browser's
 * `navigator.languages`) maps onto them. Pure: the host resolves `auto` with it, the factory
 * validates its `locale` option with it; the frames never need it (each carries one locale).
 *
 * Codes are BCP 47 primary language subtags, except Chinese, which is split by script:
 * `zh-Hans` (Simplified) and `zh-Hant` (Traditional). scripts/frame-locales.mjs lists the same
 * codes for the build (test/unit/locale-codes.test.ts keeps the two lists equal).
 */

import type { LocaleCode } from './types';

export type { LocaleCode };

/** Every locale the frames are translated into (the public type is `LocaleCode` in src/types.ts). */
export const LOCALE_CODES: readonly LocaleCode[] = 'ar cs da de el en es fi fr he it ja ko nb nl pl pt ru sv tr zh-Hans zh-Hant'.split(' ') as LocaleCode[];

/** Languages written right to left, among LOCALE_CODES. */
export const RTL_LOCALES: readonly LocaleCode[] = ['ar', 'he'];

// Older or sibling codes browsers still report: Norwegian (`no`, and Nynorsk `nn`, whose readers
// read Bokmål), Hebrew's pre-1989 `iw`.
const ALIASES: Record<string, LocaleCode> = { no: 'nb', nn: 'nb', iw: 'he' };

/**
 * The locale for a language tag, or undefined when none is translated. Case and `_` vs `-` do not
 * matter; a region falls back to its language (`pt-BR` → `pt`, `fr-CA` → `fr`). Chinese: the
 * script subtag decides (`zh-Hant-HK`, `zh-Hans-TW`); without one, Taiwan, Hong Kong and Macao
 * read Traditional and everything else (`zh`, `zh-CN`, `zh-SG`) Simplified.
 * @example matchLocale('zh-TW') // 'zh-Hant'
 * @example matchLocale('pt_BR') // 'pt'
 */
export function matchLocale(tag: unknown): LocaleCode | undefined {
  if (typeof tag !== 'string') return undefined;
  const [language = '', ...rest] = tag.toLowerCase().split(/[-_]/);
  if (language === 'zh') {
    const traditional = rest.includes('hant') || (!rest.includes('hans') && rest.some((s) => s === 'tw' || s === 'hk' || s === 'mo'));
    return traditional ? 'zh-Hant' : 'zh-Hans';
  }
  const code = ALIASES[language] ?? language;
  return (LOCALE_CODES as readonly string[]).includes(code) ? (code as LocaleCode) : undefined;
}

/**
 * The locale to load for `auto`: the first of the browser's languages (in the customer's order of
 * preference) that has a translation, else English.
 * @example pickLocale(['gsw-CH', 'de-CH', 'en']) // 'de'
 */
export function pickLocale(languages: readonly unknown[]): LocaleCode {
  for (const tag of languages) {
    const code = matchLocale(tag);
    if (code) return code;
  }
  return 'en';
}
