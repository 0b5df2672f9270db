/**
 * Customer-facing strings shown inside the frames: placeholders, accessible labels, iframe titles
 * and validation messages. Each locale is a `Record<MessageKey, string>`, so a missing translation
 * (including a new validation code added to the catalogue) is a compile error.
 */
import type { ErrorCode } from '../errors/catalogue';

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

type Field = 'number' | 'expiry' | 'cvc' | 'postal_code' | 'name';

/** Keys of every translated string. */
export type MessageKey =
  | `placeholder.${Field | 'cvv' | 'cid'}`
  | `label.${Field}`
  | `title.${Field | 'card'}`
  | ValidationCode;

/**
 * Every key, in the order of the strings below. The translations are `|`-separated strings rather
 * than object literals (keys written once, ~0.4 KB gzip less in the frame); an empty slot means
 * "same as English" (card-brand words and the number placeholder). locales.test.ts checks that
 * every locale has every key, non-empty.
 */
const KEYS = (
  'placeholder.number placeholder.expiry placeholder.cvc placeholder.cvv placeholder.cid placeholder.postal_code placeholder.name ' +
  'label.number label.expiry label.cvc label.postal_code label.name ' +
  'title.card title.number title.expiry title.cvc title.postal_code title.name ' +
  'invalid_number incomplete_number invalid_expiry incomplete_expiry invalid_expiry_month invalid_expiry_year expiry_in_past ' +
  'invalid_cvc incomplete_cvc invalid_postal_code incomplete_postal_code invalid_name'
).split(' ') as MessageKey[];

const TEXT: Record<SupportedLocale, string> = {
  en:
    '1234 1234 1234 1234|MM / YY|CVC|CVV|CID|Postal code|Name on card|' +
    'Card number|Expiration date|Security code|Postal code|Name on card|' +
    'Secure card payment input frame|Secure card number input frame|Secure expiration date input frame|Secure security code input frame|Secure postal code input frame|Secure cardholder name input frame|' +
    "Your card number is invalid.|Your card number is incomplete.|Your card's expiration date is invalid.|Your card's expiration date is incomplete.|Your card's expiration month is invalid.|Your card's expiration year is invalid.|Your card's expiration date is in the past.|" +
    "Your card's security code is invalid.|Your card's security code is incomplete.|Your postal code is invalid.|Your postal code is incomplete.|Enter the name as it appears on your card.",
  es:
    '|MM / AA||||Código postal|Nombre en la tarjeta|' +
    'Número de tarjeta|Fecha de caducidad|Código de seguridad|Código postal|Nombre del titular|' +
    'Marco seguro para introducir la tarjeta|Marco seguro para introducir el número de tarjeta|Marco seguro para introducir la fecha de caducidad|Marco seguro para introducir el código de seguridad|Marco seguro para introducir el código postal|Marco seguro para introducir el nombre del titular|' +
    'El número de la tarjeta no es válido.|El número de la tarjeta está incompleto.|La fecha de caducidad no es válida.|La fecha de caducidad está incompleta.|El mes de caducidad no es válido.|El año de caducidad no es válido.|La fecha de caducidad ya ha pasado.|' +
    'El código de seguridad no es válido.|El código de seguridad está incompleto.|El código postal no es válido.|El código postal está incompleto.|Introduce el nombre tal como aparece en la tarjeta.',
  fr:
    "|MM / AA||||Code postal|Nom sur la carte|" +
    "Numéro de carte|Date d'expiration|Code de sécurité|Code postal|Nom du titulaire|" +
    "Cadre sécurisé de saisie de la carte|Cadre sécurisé de saisie du numéro de carte|Cadre sécurisé de saisie de la date d'expiration|Cadre sécurisé de saisie du code de sécurité|Cadre sécurisé de saisie du code postal|Cadre sécurisé de saisie du nom du titulaire|" +
    "Le numéro de carte n'est pas valide.|Le numéro de carte est incomplet.|La date d'expiration n'est pas valide.|La date d'expiration est incomplète.|Le mois d'expiration n'est pas valide.|L'année d'expiration n'est pas valide.|La date d'expiration est déjà passée.|" +
    "Le code de sécurité n'est pas valide.|Le code de sécurité est incomplet.|Le code postal n'est pas valide.|Le code postal est incomplet.|Saisissez le nom tel qu'il figure sur la carte.",
  de:
    '|MM / JJ||||Postleitzahl|Name auf der Karte|' +
    'Kartennummer|Ablaufdatum|Sicherheitscode|Postleitzahl|Name des Karteninhabers|' +
    'Sicheres Eingabefeld für die Kartendaten|Sicheres Eingabefeld für die Kartennummer|Sicheres Eingabefeld für das Ablaufdatum|Sicheres Eingabefeld für den Sicherheitscode|Sicheres Eingabefeld für die Postleitzahl|Sicheres Eingabefeld für den Namen des Karteninhabers|' +
    'Die Kartennummer ist ungültig.|Die Kartennummer ist unvollständig.|Das Ablaufdatum ist ungültig.|Das Ablaufdatum ist unvollständig.|Der Ablaufmonat ist ungültig.|Das Ablaufjahr ist ungültig.|Das Ablaufdatum liegt in der Vergangenheit.|' +
    'Der Sicherheitscode ist ungültig.|Der Sicherheitscode ist unvollständig.|Die Postleitzahl ist ungültig.|Die Postleitzahl ist unvollständig.|Bitte geben Sie den Namen so ein, wie er auf der Karte steht.',
};

const en = TEXT.en.split('|');
const table = (l: SupportedLocale): Readonly<Record<MessageKey, string>> => {
  const v = TEXT[l].split('|');
  return Object.freeze(Object.fromEntries(KEYS.map((k, i) => [k, v[i] || en[i]!])) as Record<MessageKey, string>);
};

/** All translations, by locale. */
export const MESSAGES: Readonly<Record<SupportedLocale, Readonly<Record<MessageKey, string>>>> = {
  en: table('en'),
  es: table('es'),
  fr: table('fr'),
  de: table('de'),
};

const isSupported = (l: unknown): l is SupportedLocale => l === 'en' || l === 'es' || l === 'fr' || l === 'de';

/**
 * The locale to render: an explicit supported locale as given; `auto` (or anything unknown) takes
 * the first of the browser's languages whose primary subtag is supported, else English.
 * @example resolveLocale('auto', ['fr-CA', 'en']) // 'fr'
 */
export function resolveLocale(option: 'auto' | SupportedLocale, navigatorLanguages: readonly string[]): SupportedLocale {
  if (isSupported(option)) return option;
  for (const lang of Array.isArray(navigatorLanguages) ? navigatorLanguages : []) {
    const primary = typeof lang === 'string' ? lang.split(/[-_]/)[0]?.toLowerCase() : undefined;
    if (isSupported(primary)) return primary;
  }
  return 'en';
}

/**
 * The translation of `key` in `locale`.
 * @example t('de', 'label.number') // 'Kartennummer'
 */
export function t(locale: SupportedLocale, key: MessageKey): string {
  return MESSAGES[locale][key];
}

/** The CVC placeholder key for a brand's `cvcName` (from getBrandInfo): CVV, CID or CVC. */
export function cvcPlaceholderKey(cvcName: string | undefined): MessageKey {
  return cvcName === 'CVV' ? 'placeholder.cvv' : cvcName === 'CID' ? 'placeholder.cid' : 'placeholder.cvc';
}
