/**
 * Customer-facing strings shown inside the frames: placeholders, accessible labels, the frame's
 * title (its document's and, through `hello`, the iframe element's) and validation messages.
 * The host resolves `auto` and picks the frame document of the locale (src/locale-codes.ts).
 */
import type { ErrorCode } from '../errors/catalogue';
import type { LocaleCode } from '../types';
import TEXT from './locales/index';

/** Locales with translations. */
export type SupportedLocale = LocaleCode;

/**
 * The catalogue's `validation_error` codes (checked against ErrorCode here, and against the
 * catalogue's entries by test/unit/frame/locales.test.ts): each needs a message in every locale.
 */
export type ValidationCode = Extract<
  ErrorCode,
  | 'invalid_number'
  | 'incomplete_number'
  | 'invalid_expiry'
  | 'incomplete_expiry'
  | 'invalid_expiry_month'
  | 'invalid_expiry_year'
  | 'expiry_in_past'
  | 'invalid_cvc'
  | 'incomplete_cvc'
  | 'invalid_postal_code'
  | 'incomplete_postal_code'
  | 'invalid_name'
>;

type Field = 'number' | 'expiry' | 'cvc' | 'postal_code';

/**
 * Keys of every translated string. `title` is a template: `%` becomes the list of the frame's
 * input labels ("Secure payment field: Card number, Expiration date, Security code, and Postal code").
 * `locked` is what a frame that refused a second `connect` shows (src/frame/lock.ts).
 */
export type MessageKey = 'title' | `placeholder.${Field | 'cvv' | 'cid'}` | `label.${Field}` | ValidationCode | 'locked';

/**
 * Every key, in the order of the `|`-separated strings in ./locales/<locale>.ts (written once;
 * object literals would repeat every key in every locale). locales.test.ts checks that every
 * locale has every key, non-empty.
 */
const KEYS = (
  'title placeholder.number placeholder.expiry placeholder.cvc placeholder.cvv placeholder.cid placeholder.postal_code ' +
  'label.number label.expiry label.cvc label.postal_code ' +
  'invalid_number incomplete_number invalid_expiry incomplete_expiry invalid_expiry_month invalid_expiry_year expiry_in_past ' +
  'invalid_cvc incomplete_cvc invalid_postal_code incomplete_postal_code invalid_name locked'
).split(' ') as MessageKey[];

/**
 * All translations carried, by locale: every locale here, ONE in each shipped frame bundle. The
 * build (rollup.config.mjs, `frameLocale`) makes one frame bundle per locale with only that
 * locale's strings, so a customer's frame downloads its own language only and adding a locale
 * costs the other locales nothing (decision 0003).
 */
export const MESSAGES: Readonly<Partial<Record<SupportedLocale, Readonly<Record<MessageKey, string>>>>> = Object.fromEntries(
  Object.entries(TEXT).map(([locale, text]) => {
    const v = text!.split('|');
    return [locale, Object.freeze(Object.fromEntries(KEYS.map((k, i) => [k, v[i]!])))];
  }),
);

const isCarried = (l: unknown): l is SupportedLocale => typeof l === 'string' && Object.prototype.hasOwnProperty.call(MESSAGES, l);

/**
 * The locale to render, among those carried: the fragment's (the host resolved `auto` and loaded
 * this locale's document), else English, else the one locale of a single-locale bundle.
 * @example resolveLocale('fr') // 'fr'
 */
export function resolveLocale(option: string): SupportedLocale {
  return isCarried(option) ? option : isCarried('en') ? 'en' : (Object.keys(MESSAGES)[0] as SupportedLocale);
}

/**
 * The translation of `key` in `locale`.
 * @example t('de', 'label.number') // 'Kartennummer'
 */
export function t(locale: SupportedLocale, key: MessageKey): string {
  return MESSAGES[locale]![key];
}

/** The CVC placeholder key for a brand's `cvcName` (from getBrandInfo): CVV, CID or CVC. */
export function cvcPlaceholderKey(cvcName: string | undefined): MessageKey {
  return cvcName === 'CVV' ? 'placeholder.cvv' : cvcName === 'CID' ? 'placeholder.cid' : 'placeholder.cvc';
}
