import type { CardBrand } from '../types';
import { assertString, invalidArgument } from './assert-argument';
import { brandInfoOf, isCardBrand } from './brands';

/** Result of {@link validateCvc}. */
export interface CvcValidation {
  readonly isValid: boolean;
  readonly isPotentiallyValid: boolean;
}

const RESULTS = [
  Object.freeze({ isValid: false, isPotentiallyValid: false }),
  Object.freeze({ isValid: false, isPotentiallyValid: true }),
  Object.freeze({ isValid: true, isPotentiallyValid: true }),
] as const;

/**
 * Validates a card security code (CVV/CVC/CID…): digits only, with the brand's exact length, or
 * 3 or 4 digits while the brand is unknown (so a code typed before the number is not rejected).
 *
 * Throws `invalid_argument` when `value` is not a string or `brand` is neither a known brand nor
 * null/undefined.
 *
 * @example
 * validateCvc('123');          // { isValid: true,  isPotentiallyValid: true }
 * validateCvc('123', 'amex');  // { isValid: false, isPotentiallyValid: true } (American Express uses 4)
 * validateCvc('12a');          // { isValid: false, isPotentiallyValid: false }
 */
export function validateCvc(value: string, brand?: CardBrand | null): CvcValidation {
  assertString(value, 'value');
  if (brand !== undefined && brand !== null && !isCardBrand(brand)) throw invalidArgument('brand', 'a known card brand or null');
  const length = value.length;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return RESULTS[0];
  }
  const min = brand ? brandInfoOf(brand).cvcLength : 3;
  const max = brand ? min : 4;
  if (length >= min && length <= max) return RESULTS[2];
  return RESULTS[length < max ? 1 : 0];
}
