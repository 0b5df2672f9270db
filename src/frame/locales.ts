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

const en: Record<MessageKey, string> = {
  'placeholder.number': '1234 1234 1234 1234',
  'placeholder.expiry': 'MM / YY',
  'placeholder.cvc': 'CVC',
  'placeholder.cvv': 'CVV',
  'placeholder.cid': 'CID',
  'placeholder.postal_code': 'Postal code',
  'placeholder.name': 'Name on card',
  'label.number': 'Card number',
  'label.expiry': 'Expiration date',
  'label.cvc': 'Security code',
  'label.postal_code': 'Postal code',
  'label.name': 'Name on card',
  'title.card': 'Secure card payment input frame',
  'title.number': 'Secure card number input frame',
  'title.expiry': 'Secure expiration date input frame',
  'title.cvc': 'Secure security code input frame',
  'title.postal_code': 'Secure postal code input frame',
  'title.name': 'Secure cardholder name input frame',
  invalid_number: 'Your card number is invalid.',
  incomplete_number: 'Your card number is incomplete.',
  invalid_expiry: "Your card's expiration date is invalid.",
  incomplete_expiry: "Your card's expiration date is incomplete.",
  invalid_expiry_month: "Your card's expiration month is invalid.",
  invalid_expiry_year: "Your card's expiration year is invalid.",
  expiry_in_past: "Your card's expiration date is in the past.",
  invalid_cvc: "Your card's security code is invalid.",
  incomplete_cvc: "Your card's security code is incomplete.",
  invalid_postal_code: 'Your postal code is invalid.',
  incomplete_postal_code: 'Your postal code is incomplete.',
  invalid_name: 'Enter the name as it appears on your card.',
};

const es: Record<MessageKey, string> = {
  'placeholder.number': '1234 1234 1234 1234',
  'placeholder.expiry': 'MM / AA',
  'placeholder.cvc': 'CVC',
  'placeholder.cvv': 'CVV',
  'placeholder.cid': 'CID',
  'placeholder.postal_code': 'Código postal',
  'placeholder.name': 'Nombre en la tarjeta',
  'label.number': 'Número de tarjeta',
  'label.expiry': 'Fecha de caducidad',
  'label.cvc': 'Código de seguridad',
  'label.postal_code': 'Código postal',
  'label.name': 'Nombre del titular',
  'title.card': 'Marco seguro para introducir la tarjeta',
  'title.number': 'Marco seguro para introducir el número de tarjeta',
  'title.expiry': 'Marco seguro para introducir la fecha de caducidad',
  'title.cvc': 'Marco seguro para introducir el código de seguridad',
  'title.postal_code': 'Marco seguro para introducir el código postal',
  'title.name': 'Marco seguro para introducir el nombre del titular',
  invalid_number: 'El número de la tarjeta no es válido.',
  incomplete_number: 'El número de la tarjeta está incompleto.',
  invalid_expiry: 'La fecha de caducidad no es válida.',
  incomplete_expiry: 'La fecha de caducidad está incompleta.',
  invalid_expiry_month: 'El mes de caducidad no es válido.',
  invalid_expiry_year: 'El año de caducidad no es válido.',
  expiry_in_past: 'La fecha de caducidad ya ha pasado.',
  invalid_cvc: 'El código de seguridad no es válido.',
  incomplete_cvc: 'El código de seguridad está incompleto.',
  invalid_postal_code: 'El código postal no es válido.',
  incomplete_postal_code: 'El código postal está incompleto.',
  invalid_name: 'Introduce el nombre tal como aparece en la tarjeta.',
};

const fr: Record<MessageKey, string> = {
  'placeholder.number': '1234 1234 1234 1234',
  'placeholder.expiry': 'MM / AA',
  'placeholder.cvc': 'CVC',
  'placeholder.cvv': 'CVV',
  'placeholder.cid': 'CID',
  'placeholder.postal_code': 'Code postal',
  'placeholder.name': 'Nom sur la carte',
  'label.number': 'Numéro de carte',
  'label.expiry': "Date d'expiration",
  'label.cvc': 'Code de sécurité',
  'label.postal_code': 'Code postal',
  'label.name': 'Nom du titulaire',
  'title.card': 'Cadre sécurisé de saisie de la carte',
  'title.number': 'Cadre sécurisé de saisie du numéro de carte',
  'title.expiry': "Cadre sécurisé de saisie de la date d'expiration",
  'title.cvc': 'Cadre sécurisé de saisie du code de sécurité',
  'title.postal_code': 'Cadre sécurisé de saisie du code postal',
  'title.name': 'Cadre sécurisé de saisie du nom du titulaire',
  invalid_number: "Le numéro de carte n'est pas valide.",
  incomplete_number: 'Le numéro de carte est incomplet.',
  invalid_expiry: "La date d'expiration n'est pas valide.",
  incomplete_expiry: "La date d'expiration est incomplète.",
  invalid_expiry_month: "Le mois d'expiration n'est pas valide.",
  invalid_expiry_year: "L'année d'expiration n'est pas valide.",
  expiry_in_past: "La date d'expiration est déjà passée.",
  invalid_cvc: "Le code de sécurité n'est pas valide.",
  incomplete_cvc: 'Le code de sécurité est incomplet.',
  invalid_postal_code: "Le code postal n'est pas valide.",
  incomplete_postal_code: 'Le code postal est incomplet.',
  invalid_name: "Saisissez le nom tel qu'il figure sur la carte.",
};

const de: Record<MessageKey, string> = {
  'placeholder.number': '1234 1234 1234 1234',
  'placeholder.expiry': 'MM / JJ',
  'placeholder.cvc': 'CVC',
  'placeholder.cvv': 'CVV',
  'placeholder.cid': 'CID',
  'placeholder.postal_code': 'Postleitzahl',
  'placeholder.name': 'Name auf der Karte',
  'label.number': 'Kartennummer',
  'label.expiry': 'Ablaufdatum',
  'label.cvc': 'Sicherheitscode',
  'label.postal_code': 'Postleitzahl',
  'label.name': 'Name des Karteninhabers',
  'title.card': 'Sicheres Eingabefeld für die Kartendaten',
  'title.number': 'Sicheres Eingabefeld für die Kartennummer',
  'title.expiry': 'Sicheres Eingabefeld für das Ablaufdatum',
  'title.cvc': 'Sicheres Eingabefeld für den Sicherheitscode',
  'title.postal_code': 'Sicheres Eingabefeld für die Postleitzahl',
  'title.name': 'Sicheres Eingabefeld für den Namen des Karteninhabers',
  invalid_number: 'Die Kartennummer ist ungültig.',
  incomplete_number: 'Die Kartennummer ist unvollständig.',
  invalid_expiry: 'Das Ablaufdatum ist ungültig.',
  incomplete_expiry: 'Das Ablaufdatum ist unvollständig.',
  invalid_expiry_month: 'Der Ablaufmonat ist ungültig.',
  invalid_expiry_year: 'Das Ablaufjahr ist ungültig.',
  expiry_in_past: 'Das Ablaufdatum liegt in der Vergangenheit.',
  invalid_cvc: 'Der Sicherheitscode ist ungültig.',
  incomplete_cvc: 'Der Sicherheitscode ist unvollständig.',
  invalid_postal_code: 'Die Postleitzahl ist ungültig.',
  incomplete_postal_code: 'Die Postleitzahl ist unvollständig.',
  invalid_name: 'Bitte geben Sie den Namen so ein, wie er auf der Karte steht.',
};

/** All translations, by locale. */
export const MESSAGES: Readonly<Record<SupportedLocale, Readonly<Record<MessageKey, string>>>> = { en, es, fr, de };

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
