import { ELEMENT_TYPES, type ElementType } from '../protocol/messages';
import type { Locale } from '../types';

export type FrameLocale = Exclude<Locale, 'auto'>;

// One string per locale: a template, then the five nouns in ELEMENT_TYPES order
// (card, cardNumber, cardExpiry, cardCvc, postalCode). Compact: this is the host's only string table.
const TITLES: Record<FrameLocale, string> = {
  en: 'Secure % input frame|card|card number|expiration date|CVC|postal code',
  es: 'Campo seguro: %|tarjeta|número de tarjeta|fecha de vencimiento|CVC|código postal',
  fr: 'Champ sécurisé : %|carte|numéro de carte|date d’expiration|CVC|code postal',
  de: 'Sicheres Eingabefeld: %|Karte|Kartennummer|Ablaufdatum|CVC|Postleitzahl',
};

/** The iframe's accessible title, e.g. "Secure card number input frame". */
export function iframeTitle(locale: FrameLocale, type: ElementType): string {
  const [template, ...nouns] = TITLES[locale].split('|');
  return template!.replace('%', nouns[ELEMENT_TYPES.indexOf(type)]!);
}

/** Resolves `auto` from the browser language; anything untranslated falls back to English. */
export function resolveLocale(locale: Locale): FrameLocale {
  const l = locale === 'auto' ? (navigator.language || '').slice(0, 2).toLowerCase() : locale;
  return (l in TITLES ? l : 'en') as FrameLocale;
}
