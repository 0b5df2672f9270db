import { assertString } from './assert-argument';

/** Result of {@link validatePostalCode}. */
export interface PostalCodeValidation {
  readonly isValid: boolean;
  readonly isPotentiallyValid: boolean;
}

/** Shortest and longest postal codes accepted (trimmed), covering e.g. "110" (IS) to "SW1A 1AA"/"12345-6789". */
export const POSTAL_CODE_MIN = 3;
export const POSTAL_CODE_MAX = 10;

/**
 * Validates a postal code leniently: 3 to 10 letters, digits, spaces or dashes once trimmed, and
 * starting and ending with a letter or digit. Country-specific rules are left to the issuer's
 * address check: rejecting a real code at checkout costs more than accepting a typo.
 *
 * @example
 * validatePostalCode('94107');    // { isValid: true,  isPotentiallyValid: true }
 * validatePostalCode('SW1A 1AA'); // { isValid: true,  isPotentiallyValid: true }
 * validatePostalCode('12');       // { isValid: false, isPotentiallyValid: true }
 * validatePostalCode('12#45');    // { isValid: false, isPotentiallyValid: false }
 */
export function validatePostalCode(value: string): PostalCodeValidation {
  assertString(value, 'value');
  const trimmed = value.trim();
  const length = trimmed.length;
  if (length > POSTAL_CODE_MAX) return { isValid: false, isPotentiallyValid: false };
  for (let i = 0; i < length; i++) {
    const c = trimmed.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!alnum && c !== 32 && c !== 45) return { isValid: false, isPotentiallyValid: false };
  }
  if (length === 0) return { isValid: false, isPotentiallyValid: true };
  // A trailing dash is normal mid-typing ("12345-"), so it only blocks isValid; a leading one
  // can never be fixed by typing more.
  const leadingDash = trimmed.charCodeAt(0) === 45;
  const trailingDash = trimmed.charCodeAt(length - 1) === 45;
  const isValid = length >= POSTAL_CODE_MIN && !leadingDash && !trailingDash;
  return { isValid, isPotentiallyValid: !leadingDash };
}
