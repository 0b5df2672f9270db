import type { CardBrand } from '../types';
import { assertString } from './assert-argument';
import { matchPrefix, resolvedBrand } from './prefix-table';
import { SCAN_INVALID, scanNumber, scannedDigitCount, scannedPrefix } from './scan-number';

/**
 * The brand of a (possibly partial) card number, or null while it cannot be told yet.
 *
 * Spaces and dashes are ignored. Returns null for empty input, a character other than digits,
 * spaces and dashes, a prefix no brand uses, or one that is still ambiguous: "6" could be
 * Discover, UnionPay or Maestro. A brand is returned once it is the only candidate, or the one
 * with the longest (most specific) matching prefix: "4" is Visa, "401178" is Elo.
 * Throws `invalid_argument` when `value` is not a string.
 *
 * @example
 * detectBrand('4242');       // 'visa'
 * detectBrand('2223 00');    // 'mastercard'
 * detectBrand('6362 97');    // 'elo'
 * detectBrand('6');          // null
 */
export function detectBrand(value: string): CardBrand | null {
  assertString(value, 'value');
  const scan = scanNumber(value);
  if (scan === SCAN_INVALID) return null;
  const count = scannedDigitCount(scan);
  if (count === 0) return null;
  return resolvedBrand(matchPrefix(scannedPrefix(scan), count));
}
