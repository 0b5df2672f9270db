/**
 * Customer-facing strings shown inside the frames: placeholders, accessible labels (also the frame
 * document's title) and validation messages. The iframe element's title comes from the host
 * (src/host/iframe-title.ts), which also resolves `auto` and picks the frame bundle of the locale.
 */
import type { ErrorCode } from '../errors/catalogue';
import de from './locales/de';
import en from './locales/en';
import es from './locales/es';
import fr from './locales/fr';

/** Locales with translations. */
export type SupportedLocale = 'en' | 'es' | 'fr' | 'de';

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

/** Keys of every translated string. */
export type MessageKey = `placeholder.${Field | 'cvv' | 'cid'}` | `label.${Field}` | ValidationCode;

/**
 * Every key, in the order of the `|`-separated strings in ./locales/<locale>.ts (written once;
 * object literals would repeat every key in every locale). locales.test.ts checks that every
 * locale has every key, non-empty.
 */
const KEYS = (
  'placeholder.number placeholder.expiry placeholder.cvc placeholder.cvv placeholder.cid placeholder.postal_code ' +
  'label.number label.expiry label.cvc label.postal_code ' +
  'invalid_number incomplete_number invalid_expiry incomplete_expiry invalid_expiry_month invalid_expiry_year expiry_in_past ' +
  'invalid_cvc incomplete_cvc invalid_postal_code incomplete_postal_code invalid_name'
).split(' ') as MessageKey[];

/**
 * The translations this code carries: all four here, ONE in each shipped frame bundle. The build
 * (rollup.config.mjs, `frameLocale`) makes one frame bundle per locale and empties the other
 * imports, so a customer's frame downloads its own language only (~0.75 KB gzip less per frame,
 * and adding a locale costs the other locales nothing). The host picks the bundle's document.
 */
const TEXT: Partial<Record<SupportedLocale, string>> = { en, es, fr, de };

/** All translations carried, by locale. */
export const MESSAGES: Readonly<Partial<Record<SupportedLocale, Readonly<Record<MessageKey, string>>>>> = Object.fromEntries(
  Object.entries(TEXT)
    .filter(([, text]) => text)
    .map(([locale, text]) => {
      const v = text!.split('|');
      return [locale, Object.freeze(Object.fromEntries(KEYS.map((k, i) => [k, v[i]!])))];
    }),
);

const isCarried = (l: unknown): l is SupportedLocale => typeof l === 'string' && Object.prototype.hasOwnProperty.call(MESSAGES, l);

/**
 * The locale to render, among those carried: an explicit one as given; `auto` (or anything
 * unknown) takes the first of the browser's languages whose primary subtag is carried, else
 * English, else the one locale of a single-locale bundle.
 * @example resolveLocale('auto', ['fr-CA', 'en']) // 'fr'
 */
export function resolveLocale(option: 'auto' | SupportedLocale, navigatorLanguages: readonly string[]): SupportedLocale {
  if (isCarried(option)) return option;
  for (const lang of Array.isArray(navigatorLanguages) ? navigatorLanguages : []) {
    const primary = typeof lang === 'string' ? lang.split(/[-_]/)[0]?.toLowerCase() : undefined;
    if (isCarried(primary)) return primary;
  }
  return isCarried('en') ? 'en' : (Object.keys(MESSAGES)[0] as SupportedLocale);
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
