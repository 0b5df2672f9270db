/**
 * What each input accepts, how it is formatted and when it is complete or in error. Pure: the
 * DOM side (card-form.ts) and the tokenizing side (tokenize-request.ts) share these rules, so a
 * field the customer sees as complete is exactly a field tokenization accepts.
 */
import { digitsOnly, formatCardNumber, formatExpiry, getBrandInfo, validateCardNumber, validateCvc, validateExpiry, validatePostalCode } from '../card';
import type { CardBrand } from '../types';
import type { ValidationCode } from './locales';

/** Field names as the vault and `CardvaultError.fields` name them. */
export type FieldName = 'number' | 'exp' | 'cvc' | 'postal_code';

/** The raw values of some fields (only ever inside our frames). */
export type FieldValues = Partial<Record<FieldName, string>>;

export interface FieldCheck {
  empty: boolean;
  complete: boolean;
  /** The error that applies to the value as it is now, if any. */
  code?: ValidationCode;
  /** True when the error must show at once (no typing can fix it); otherwise only after blur. */
  now?: boolean;
}

/** Characters that carry meaning in each field; the caret is re-placed by counting them. */
export const SIGNIFICANT: Record<FieldName, RegExp> = { number: /\d/, exp: /\d/, cvc: /\d/, postal_code: /[A-Za-z0-9]/ };

/** Longest number the brand allows (19 while unknown). */
export function maxNumberLength(brand: CardBrand | null): number {
  const lengths = brand ? getBrandInfo(brand).lengths : [19];
  return lengths[lengths.length - 1]!;
}

/** Cleans and formats a value for display (paste noise such as spaces, dashes and dots goes). */
export function formatField(name: FieldName, value: string, brand: CardBrand | null): string {
  if (name === 'number') return formatCardNumber(value);
  if (name === 'exp') return formatExpiry(value);
  if (name === 'cvc') return digitsOnly(value).slice(0, brand ? getBrandInfo(brand).cvcLength : 4);
  return value.replace(/[^A-Za-z0-9 -]/g, '').replace(/^[ -]+/, '').replace(/ {2,}/g, ' ').slice(0, 10);
}

/** Validates one field (`brand`: the card number's brand, for the CVC length). */
export function checkField(name: FieldName, value: string, brand: CardBrand | null, today = new Date()): FieldCheck {
  if (name === 'number') {
    const digits = digitsOnly(value);
    const v = validateCardNumber(digits);
    // A full-length number failing Luhn is still "potentially valid" when a longer length exists
    // (Visa 16 -> 19); it is reported as invalid rather than incomplete.
    const allowed = v.brand !== null && getBrandInfo(v.brand).lengths.includes(digits.length);
    return result(digits, v.isValid, allowed || !v.isPotentiallyValid ? 'invalid_number' : 'incomplete_number', !v.isPotentiallyValid);
  }
  if (name === 'exp') {
    const v = validateExpiry(value, today);
    let code: ValidationCode = 'incomplete_expiry';
    if (v.month !== null && v.year !== null) code = v.year > today.getFullYear() ? 'invalid_expiry_year' : 'expiry_in_past';
    else if (!v.isPotentiallyValid) code = v.month === null ? 'invalid_expiry_month' : 'invalid_expiry_year';
    return result(value.trim(), v.isValid, code, !v.isPotentiallyValid);
  }
  if (name === 'cvc') {
    const v = validateCvc(value, brand);
    return result(value, v.isValid, v.isPotentiallyValid ? 'incomplete_cvc' : 'invalid_cvc', !v.isPotentiallyValid);
  }
  const v = validatePostalCode(value);
  return result(value.trim(), v.isValid, v.isPotentiallyValid ? 'incomplete_postal_code' : 'invalid_postal_code', !v.isPotentiallyValid);
}

function result(value: string, complete: boolean, code: ValidationCode, now: boolean): FieldCheck {
  const out: FieldCheck = { empty: value === '', complete };
  if (!complete) {
    out.code = code;
    out.now = now && value !== '';
  }
  return out;
}

/**
 * Whether a complete field is also "finished" (so focus may move on): a number at its brand's
 * longest length or at 16 digits; a CVC at the brand's length, or 4 digits while the brand is unknown.
 */
export function isFinished(name: FieldName, value: string, brand: CardBrand | null): boolean {
  if (name === 'number') {
    const n = digitsOnly(value).length;
    return n === 16 || n === maxNumberLength(validateCardNumber(value).brand);
  }
  if (name === 'cvc') return brand !== null || value.length === 4;
  // A postal code is never auto-advanced: its length varies by country.
  return name === 'exp';
}
