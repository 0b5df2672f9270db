import { PREFIX_DIGITS } from './prefix-table';

/** Result of {@link scanNumber} for input with a character other than digits, spaces and dashes. */
export const SCAN_INVALID = -1;

/** Longest input the card helpers look at; longer input is rejected without scanning it. */
export const MAX_INPUT_LENGTH = 64;

/**
 * One pass over a card number as typed: checks the characters and collects what brand detection
 * needs, packed into one integer so nothing is allocated per keystroke:
 * `prefix * 128 + digitCount`, where `prefix` is the value of the first `min(digitCount, 6)` digits
 * (at most 999 999 * 128 + 64, well inside a 31-bit integer). Returns {@link SCAN_INVALID} for a
 * character other than a digit, a space or a dash, or for input over {@link MAX_INPUT_LENGTH}.
 *
 * @example
 * const s = scanNumber('4242 42');
 * scannedPrefix(s);     // 424242
 * scannedDigitCount(s); // 6
 */
export function scanNumber(value: string): number {
  const length = value.length;
  if (length > MAX_INPUT_LENGTH) return SCAN_INVALID;
  let prefix = 0;
  let count = 0;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      if (count < PREFIX_DIGITS) prefix = prefix * 10 + d;
      count++;
    } else if (c !== 32 && c !== 45) {
      return SCAN_INVALID;
    }
  }
  return prefix * 128 + count;
}

/** The leading-digits value packed by {@link scanNumber}. */
export function scannedPrefix(scan: number): number {
  return Math.floor(scan / 128);
}

/** The digit count packed by {@link scanNumber}. */
export function scannedDigitCount(scan: number): number {
  return scan % 128;
}
