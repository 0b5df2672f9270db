import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../src/errors/catalogue';
import { MESSAGES, cvcPlaceholderKey, resolveLocale, t, type MessageKey } from '../../../src/frame/locales';
import de from '../../../src/frame/locales/de';
import en from '../../../src/frame/locales/en';
import es from '../../../src/frame/locales/es';
import fr from '../../../src/frame/locales/fr';

const LOCALES = ['en', 'es', 'fr', 'de'] as const;
const VALIDATION_CODES = Object.entries(CATALOGUE)
  .filter(([, e]) => e.type === 'validation_error')
  .map(([code]) => code);

describe('locales', () => {
  it('has every key in every locale, non-empty', () => {
    const keys = Object.keys(MESSAGES.en!).sort();
    expect(keys.length).toBeGreaterThanOrEqual(20);
    for (const l of LOCALES) {
      expect(Object.keys(MESSAGES[l]!).sort()).toEqual(keys);
      for (const k of keys) expect(t(l, k as MessageKey).trim()).not.toBe('');
    }
  });

  it('has exactly as many strings in each locale file as there are keys', () => {
    // A missing or extra `|` would shift every later string onto the wrong key.
    const count = Object.keys(MESSAGES.en!).length;
    for (const text of [en, es, fr, de]) expect(text.split('|')).toHaveLength(count);
  });

  it('translates every validation_error code in the catalogue', () => {
    expect(VALIDATION_CODES.length).toBeGreaterThanOrEqual(12);
    for (const l of LOCALES) for (const code of VALIDATION_CODES) expect(MESSAGES[l]).toHaveProperty(code);
  });

  it('actually translates (labels and errors differ from English)', () => {
    for (const l of ['es', 'fr', 'de'] as const) {
      expect(t(l, 'label.number')).not.toBe(t('en', 'label.number'));
      expect(t(l, 'invalid_number')).not.toBe(t('en', 'invalid_number'));
    }
  });

  it('has the expected English strings', () => {
    expect(t('en', 'placeholder.number')).toBe('1234 1234 1234 1234');
    expect(t('en', 'placeholder.expiry')).toBe('MM / YY');
    expect(t('en', 'label.cvc')).toBe('Security code');
  });

  it('picks the CVC placeholder by brand cvcName', () => {
    expect(t('en', cvcPlaceholderKey('CID'))).toBe('CID');
    expect(t('en', cvcPlaceholderKey('CVV'))).toBe('CVV');
    expect(t('en', cvcPlaceholderKey('CVC'))).toBe('CVC');
    expect(t('en', cvcPlaceholderKey(undefined))).toBe('CVC');
  });
});

describe('resolveLocale', () => {
  it.each([
    ['auto', ['fr-CA', 'en'], 'fr'],
    ['auto', ['pt-BR', 'de-AT', 'en'], 'de'],
    ['auto', ['ES'], 'es'],
    ['auto', ['zh-Hans'], 'en'],
    ['auto', [], 'en'],
    ['de', ['fr-FR'], 'de'],
    ['en', ['es'], 'en'],
  ] as const)('%s with %j -> %s', (option, langs, expected) => {
    expect(resolveLocale(option, langs)).toBe(expected);
  });

  it('treats unknown options and junk languages as auto/en', () => {
    expect(resolveLocale('it' as never, ['fr'])).toBe('fr');
    expect(resolveLocale('auto', [null, 42, '__proto__', 'de'] as never)).toBe('de');
    expect(resolveLocale('auto', 'fr' as never)).toBe('en');
  });
});
