import { assertString } from './assert-argument';

/**
 * Removes every character that is not an ASCII digit (spaces, dashes, slashes, letters).
 * Throws `invalid_argument` when `value` is not a string.
 *
 * @example
 * digitsOnly('4242 4242-4242 4242'); // '4242424242424242'
 */
export function digitsOnly(value: string): string {
  assertString(value, 'value');
  let out = '';
  let start = -1;
  // Copies runs of digits rather than single characters: the common input is one run.
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const isDigit = c >= 48 && c <= 57;
    if (isDigit && start < 0) start = i;
    else if (!isDigit && start >= 0) {
      out += value.slice(start, i);
      start = -1;
    }
  }
  if (start === 0) return value;
  return start > 0 ? out + value.slice(start) : out;
}
