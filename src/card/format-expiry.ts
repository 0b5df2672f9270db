import { assertString } from './assert-argument';

/**
 * Formats an expiry date while typing as "MM / YY" (or "MM / YYYY"):
 * - a first digit above 1 can only be a month on its own, so it is padded: "2" → "02 / ";
 * - "1" and "0" wait for a second digit: "1" → "1", and "13" becomes "01 / 3";
 * - "1/" (a slash typed after one digit) pads the month: "01 / ";
 * - at most six digits (MMYYYY) are kept.
 *
 * Deleting backwards from "12 / " leaves "12 /" or "12 ", which formats to "12" so that
 * backspace can get past the separator instead of having it re-inserted.
 * Throws `invalid_argument` when `value` is not a string.
 *
 * @example
 * formatExpiry('1');    // '1'
 * formatExpiry('12');   // '12 / '
 * formatExpiry('123');  // '12 / 3'
 * formatExpiry('2');    // '02 / '
 */
export function formatExpiry(value: string): string {
  assertString(value, 'value');
  let digits = '';
  let slashAfter = -1; // digit count when the first slash was typed
  for (let i = 0; i < value.length && digits.length < 6; i++) {
    const ch = value[i]!;
    if (ch >= '0' && ch <= '9') digits += ch;
    else if (ch === '/' && slashAfter < 0) slashAfter = digits.length;
  }
  if (digits === '') return '';
  if (digits[0]! > '1' || (slashAfter === 1 && digits[0] !== '0') || (digits[0] === '1' && digits.length > 1 && digits[1]! > '2')) {
    digits = ('0' + digits).slice(0, 6);
  }
  if (digits.length === 1) return digits;
  // Only the exact leftovers of a backspace ("12 /", "12 ") are matched: a slash typed straight
  // after the month ("12/") is still completed to "12 / ".
  if (digits.length === 2 && /^\d\d \/?$/.test(value.trimStart())) return digits;
  return digits.slice(0, 2) + ' / ' + digits.slice(2);
}
