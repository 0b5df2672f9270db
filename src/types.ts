/** Public types shared by every entry. Types only: nothing here exists at run time. */

export type CardBrand =
  | 'visa'
  | 'mastercard'
  | 'amex'
  | 'discover'
  | 'diners'
  | 'jcb'
  | 'unionpay'
  | 'maestro'
  | 'mir'
  | 'elo'
  | 'hipercard';

/** A card as it is encrypted and sent to the vault. Only ever exists in the frame or in direct mode. */
export interface CardPayload {
  /** Digits only. */
  number: string;
  exp_month: number;
  /** Four-digit year. */
  exp_year: number;
  cvc: string;
  name?: string;
  address_zip?: string;
}

/** Billing details a merchant may attach to a token. Not card data: sent in clear beside the card. */
export interface BillingDetails {
  name?: string;
  address_line1?: string;
  address_city?: string;
  address_state?: string;
  address_zip?: string;
  address_country?: string;
}

/** The token the vault returns. Safe to hand to the merchant's page and server. */
export interface Token {
  id: string;
  object: 'token';
  livemode: boolean;
  /** Unix seconds. */
  created: number;
  /** Unix seconds. */
  expires_at: number;
  used: boolean;
  card: {
    brand: CardBrand;
    last4: string;
    exp_month: number;
    exp_year: number;
    fingerprint: string;
    name?: string | null;
    address_zip?: string | null;
  };
}

/**
 * The frames' language: `auto` (the first of the browser's `navigator.languages` with a
 * translation, else English), a locale code, or a language tag with a region, which falls back to
 * its language (`pt-BR` → `pt`; Chinese by script or region: `zh-TW`/`zh-HK`/`zh-MO` →
 * `zh-Hant`, `zh`/`zh-CN`/`zh-SG` → `zh-Hans`). See src/locale-codes.ts.
 */
export type Locale = 'auto' | LocaleCode | LocaleLanguage | `${LocaleLanguage}-${string}`;

/** A locale the frames are translated into (22 of them; `ar` and `he` right to left). */
export type LocaleCode =
  | 'ar' | 'cs' | 'da' | 'de' | 'el' | 'en' | 'es' | 'fi' | 'fr' | 'he' | 'it'
  | 'ja' | 'ko' | 'nb' | 'nl' | 'pl' | 'pt' | 'ru' | 'sv' | 'tr' | 'zh-Hans' | 'zh-Hant';

/** The language subtags a {@link Locale} tag may start with (`no`/`nn` read `nb`, `iw` reads `he`). */
export type LocaleLanguage = Exclude<LocaleCode, `zh-${string}`> | 'zh' | 'no' | 'nn' | 'iw';

/** A client token, or an async function that mints a fresh one on the merchant's server. */
export type ClientTokenSource = string | (() => Promise<string>);
