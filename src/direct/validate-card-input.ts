import { digitsOnly, getBrandInfo, validateCardNumber, validateCvc, validateExpiry, validatePostalCode } from '../card';
import { describeType } from '../card/assert-argument';
import { CardvaultError } from '../errors/cardvault-error';
import type { ErrorCode } from '../errors/catalogue';
import type { CardBrand, CardPayload } from '../types';

/** The card a merchant's own form collected, as passed to `createToken` in direct mode. */
export interface DirectCardInput {
  /** Digits, optionally with spaces or dashes. */
  number: string;
  /** 1-12, as a number or a string. */
  exp_month: number | string;
  /** Four digits (or two, read in the current century), as a number or a string. */
  exp_year: number | string;
  cvc: string;
  /** Name on the card. */
  name?: string;
  address_zip?: string;
}

/**
 * Longest value accepted per member, in characters. Anything longer is not something a customer
 * typed into a card form: it is refused as `invalid_argument` before any parsing.
 */
const MAX_LENGTH: Record<keyof DirectCardInput, number> = {
  number: 64,
  exp_month: 8,
  exp_year: 8,
  cvc: 16,
  name: 256,
  address_zip: 64,
};
const MAX_NAME = 100;

interface FieldError {
  field: keyof DirectCardInput;
  code: ErrorCode;
}

/**
 * Checks a direct-mode card and returns the payload to encrypt. Makes no request.
 *
 * - Misuse (not an object, an unknown member, a member of the wrong type, an absurdly long string)
 *   throws `invalid_argument` naming the member.
 * - Invalid or incomplete fields throw ONE `validation_error`: `fields` lists every invalid field,
 *   `param` and `code` are those of the first (in the order number, exp_month, exp_year, cvc,
 *   name, address_zip).
 *
 * Messages never contain the values: they may be card data.
 */
export function validateCardInput(input: unknown, now: Date = new Date()): CardPayload {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new CardvaultError('invalid_argument', {
      param: 'card',
      message: `createToken() expects the card as an object, got ${describeType(input)}.`,
    });
  }
  const card = input as Record<string, unknown>;
  for (const key of Object.keys(card)) {
    if (!Object.prototype.hasOwnProperty.call(MAX_LENGTH, key)) {
      throw new CardvaultError('invalid_argument', {
        param: key.slice(0, 40),
        message: `Unknown card member "${key.slice(0, 40)}". Allowed: number, exp_month, exp_year, cvc, name, address_zip.`,
      });
    }
  }
  const number = readString(card, 'number');
  const expMonth = readStringOrNumber(card, 'exp_month');
  const expYear = readStringOrNumber(card, 'exp_year');
  const cvc = readString(card, 'cvc');
  const name = readString(card, 'name')?.trim();
  const zip = readString(card, 'address_zip')?.trim();

  const errors: FieldError[] = [];
  const fail = (field: keyof DirectCardInput, code: ErrorCode): void => {
    errors.push({ field, code });
  };

  let brand: CardBrand | null = null;
  if (number === undefined || number.trim() === '') fail('number', 'incomplete_number');
  else {
    const result = validateCardNumber(number);
    if (result.isValid) brand = result.brand;
    else {
      // The helper's "potentially valid" is about typing on; a submitted number is only incomplete
      // when it is shorter than its brand's shortest length (a 16-digit Visa failing Luhn is invalid).
      const short = !result.brand || digitsOnly(number).length < getBrandInfo(result.brand).lengths[0]!;
      fail('number', result.isPotentiallyValid && short ? 'incomplete_number' : 'invalid_number');
    }
  }

  const month = parseMonth(expMonth);
  const year = parseYear(expYear);
  let fullYear = 0;
  if (expMonth === undefined || expMonth === '') fail('exp_month', 'incomplete_expiry');
  else if (month === undefined) fail('exp_month', 'invalid_expiry_month');
  if (expYear === undefined || expYear === '') fail('exp_year', 'incomplete_expiry');
  else if (year === undefined) fail('exp_year', 'invalid_expiry_year');
  if (month !== undefined && year !== undefined) {
    const result = validateExpiry(month, year, now);
    fullYear = result.year ?? 0;
    if (!result.isValid) {
      // The helper gives the verdict; this only decides which field to point the customer at.
      const nowYear = now.getFullYear();
      if (fullYear > nowYear) fail('exp_year', 'invalid_expiry_year'); // too far ahead
      else fail(fullYear < nowYear ? 'exp_year' : 'exp_month', 'expiry_in_past');
    }
  }

  if (cvc === undefined || cvc === '') fail('cvc', 'incomplete_cvc');
  else {
    const result = validateCvc(cvc, brand);
    if (!result.isValid) fail('cvc', result.isPotentiallyValid ? 'incomplete_cvc' : 'invalid_cvc');
  }

  // Control characters are not part of anyone's name; they would only corrupt logs and receipts.
  if (name && (name.length > MAX_NAME || /[\u0000-\u001f\u007f]/.test(name))) fail('name', 'invalid_name');

  if (zip) {
    const result = validatePostalCode(zip);
    if (!result.isValid) fail('address_zip', result.isPotentiallyValid ? 'incomplete_postal_code' : 'invalid_postal_code');
  }

  const first = errors[0];
  if (first) {
    throw new CardvaultError(first.code, { param: first.field, fields: errors.map((e) => e.field) });
  }
  const payload: CardPayload = {
    number: digitsOnly(number!),
    exp_month: month!,
    exp_year: fullYear,
    cvc: cvc!,
  };
  if (name) payload.name = name;
  if (zip) payload.address_zip = zip;
  return payload;
}

function readString(card: Record<string, unknown>, key: keyof DirectCardInput): string | undefined {
  const value = card[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw wrongType(key, 'a string', value);
  if (value.length > MAX_LENGTH[key]) throw tooLong(key);
  return value;
}

function readStringOrNumber(card: Record<string, unknown>, key: keyof DirectCardInput): string | number | undefined {
  const value = card[key];
  if (value === undefined || typeof value === 'number') return value;
  if (typeof value !== 'string') throw wrongType(key, 'a number or a string', value);
  if (value.length > MAX_LENGTH[key]) throw tooLong(key);
  return value.trim();
}

/** A month 1-12 from a number or a one- or two-digit string; else undefined. */
function parseMonth(value: string | number | undefined): number | undefined {
  const month = typeof value === 'string' && /^\d{1,2}$/.test(value) ? Number(value) : value;
  return typeof month === 'number' && Number.isInteger(month) && month >= 1 && month <= 12 ? month : undefined;
}

/** A year as two or four digits (numbers below 100 are two-digit years); else undefined. */
function parseYear(value: string | number | undefined): string | undefined {
  if (typeof value === 'string') return /^(\d{2}|\d{4})$/.test(value) ? value : undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return undefined;
  if (value < 100) return String(value).padStart(2, '0');
  return value >= 1000 && value <= 9999 ? String(value) : undefined;
}

function wrongType(param: string, expected: string, value: unknown): CardvaultError {
  return new CardvaultError('invalid_argument', { param, message: `Expected card.${param} to be ${expected}, got ${describeType(value)}.` });
}

function tooLong(param: string): CardvaultError {
  return new CardvaultError('invalid_argument', { param, message: `card.${param} is far longer than any valid value.` });
}
