import { brandInfoOf, gapsFor, MAX_CARD_LENGTH } from './brands';
import { detectBrand } from './detect-brand';
import { digitsOnly } from './digits-only';

/**
 * Formats a card number for display while typing: keeps only digits, cuts them to the brand's
 * longest length (19 while the brand is unknown) and puts spaces at the brand's gaps:
 * American Express 4-6-5, most brands 4-4-4-4, numbers over 16 digits 4-4-4-4-3.
 * Throws `invalid_argument` when `value` is not a string.
 *
 * @example
 * formatCardNumber('378282246310005');     // '3782 822463 10005'
 * formatCardNumber('4242424242424242');    // '4242 4242 4242 4242'
 * formatCardNumber('4242-4242-4242-4242-424'); // '4242 4242 4242 4242 424'
 */
export function formatCardNumber(value: string): string {
  const digits = digitsOnly(value);
  const brand = detectBrand(digits);
  const lengths = brand === null ? null : brandInfoOf(brand).lengths;
  const max = lengths === null ? MAX_CARD_LENGTH : lengths[lengths.length - 1]!;
  const kept = digits.length > max ? digits.slice(0, max) : digits;
  const gaps = gapsFor(brand, kept.length);
  let out = '';
  let from = 0;
  for (const gap of gaps) {
    if (gap >= kept.length) break;
    out += kept.slice(from, gap) + ' ';
    from = gap;
  }
  return out + kept.slice(from);
}
