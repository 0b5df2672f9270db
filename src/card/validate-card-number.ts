import type { CardBrand } from '../types';
import { assertString } from './assert-argument';
import { BRAND_SPECS } from './brands';
import { luhnCheck } from './luhn';
import { candidateMaxLength, matchPrefix, NO_CANDIDATE, PREFIX_DIGITS, resolvedBrandIndex } from './prefix-table';
import { SCAN_INVALID, scanNumber, scannedDigitCount, scannedPrefix } from './scan-number';

/** Result of {@link validateCardNumber}. Frozen and shared between calls: do not mutate. */
export interface CardNumberValidation {
  /** Detected brand, or null while unknown or ambiguous. */
  readonly brand: CardBrand | null;
  /** A known brand, an allowed length for it, and a correct Luhn check digit. */
  readonly isValid: boolean;
  /** More typing could still make it valid (true for empty input and for valid numbers). */
  readonly isPotentiallyValid: boolean;
}

function result(brand: CardBrand | null, isValid: boolean, isPotentiallyValid: boolean): CardNumberValidation {
  return Object.freeze({ brand, isValid, isPotentiallyValid });
}

// Every possible answer is built once: with 11 brands there are only 4 shapes per brand, and
// handing out shared frozen objects keeps the per-keystroke path free of allocations.
const NO_BRAND = [result(null, false, false), result(null, false, true)] as const;
const BY_BRAND: readonly (readonly [CardNumberValidation, CardNumberValidation, CardNumberValidation])[] = BRAND_SPECS.map(
  (s) => [result(s.brand, false, false), result(s.brand, false, true), result(s.brand, true, true)] as const,
);

/**
 * Validates a card number as typed: digits, optionally with spaces or dashes.
 *
 * - `isValid`: the brand is known, the length is one it allows, and the Luhn check passes.
 * - `isPotentiallyValid`: typing more digits could make it valid: it is shorter than the longest
 *   length of some brand its prefix still fits. Empty and ambiguous prefixes ("6") are potentially
 *   valid; a prefix no brand uses ("1"), a full-length number failing Luhn, anything over 19
 *   digits or 64 characters, and any other character are not.
 *
 * Never throws on a string; throws `invalid_argument` for anything else (null, numbers, objects),
 * because that is a programming error rather than customer input.
 *
 * @example
 * validateCardNumber('4242 4242 4242 4242'); // { brand: 'visa', isValid: true,  isPotentiallyValid: true }
 * validateCardNumber('4242');                // { brand: 'visa', isValid: false, isPotentiallyValid: true }
 * validateCardNumber('4242424242424241');    // { brand: 'visa', isValid: false, isPotentiallyValid: true } (13/16/19 are allowed; 19 may still come)
 */
export function validateCardNumber(value: string): CardNumberValidation {
  assertString(value, 'value');
  const scan = scanNumber(value);
  if (scan === SCAN_INVALID) return NO_BRAND[0];
  const count = scannedDigitCount(scan);
  const match = matchPrefix(scannedPrefix(scan), count);
  if (match === NO_CANDIDATE) return NO_BRAND[0];

  const index = resolvedBrandIndex(match);
  // Below six digits another candidate may still take over ("4" is Visa, "401178" is Elo), so
  // "could grow" looks at every candidate. From six digits on every prefix in the table is
  // decided and only the resolved brand's lengths count: "636297…" is Elo (16 digits) for good,
  // even though Maestro's "63" (up to 19) also matches.
  const spec = index < 0 ? undefined : BRAND_SPECS[index]!;
  const maxLength = spec !== undefined && count >= PREFIX_DIGITS ? spec.lengths[spec.lengths.length - 1]! : candidateMaxLength(match);
  const canGrow = count < maxLength;
  if (spec === undefined) return NO_BRAND[canGrow ? 1 : 0];

  const shapes = BY_BRAND[index]!;
  if (spec.lengths.includes(count) && (!spec.luhn || luhnCheck(value))) return shapes[2];
  return shapes[canGrow ? 1 : 0];
}
