import { assertString, describeType, invalidArgument } from './assert-argument';
import { CardvaultError } from '../errors/cardvault-error';

/** Result of {@link validateExpiry}. */
export interface ExpiryValidation {
  /** A real month, a four-digit year, not in the past, at most {@link MAX_YEARS_AHEAD} years ahead. */
  readonly isValid: boolean;
  /** More typing could still make it valid. */
  readonly isPotentiallyValid: boolean;
  /** The month (1-12) once it is unambiguous, else null. */
  readonly month: number | null;
  /** The four-digit year once two or four year digits are typed, else null. */
  readonly year: number | null;
}

/** Cards are not issued with longer validity; a later date is almost certainly a typo. */
export const MAX_YEARS_AHEAD = 20;

/** Longer input is not a date anyone typed; it is rejected before parsing. */
const MAX_EXPIRY_INPUT = 32;

const INVALID: ExpiryValidation = Object.freeze({ isValid: false, isPotentiallyValid: false, month: null, year: null });
const EMPTY: ExpiryValidation = Object.freeze({ isValid: false, isPotentiallyValid: true, month: null, year: null });

/**
 * Validates an expiry date, either as typed in one field or as separate month and year.
 *
 * One field accepts "MM/YY", "MM/YYYY", "MM / YY", "M/YY" and the digits alone ("1225", "122025").
 * Without a slash a leading "0" or "1" starts a two-digit month, so "1" is potentially valid
 * (January, or October to December) while "13" is not; "2" to "9" are a month on their own.
 * A two-digit year is read in the current century; as it may also be the start of a four-digit
 * year ("20" → "2031"), a past two-digit year that such a year could complete stays potentially valid.
 *
 * The current month is valid (cards expire at the end of their month); past dates, months outside
 * 1-12 and years more than {@link MAX_YEARS_AHEAD} ahead are not. `now` (default: the current
 * time, local calendar) is there so tests do not depend on the clock.
 *
 * Throws `invalid_argument` for a non-string single value, a month or year that is neither a
 * string nor a number, or a `now` that is not a valid Date.
 *
 * @example
 * validateExpiry('12 / 30');            // { isValid: true, isPotentiallyValid: true, month: 12, year: 2030 }
 * validateExpiry(12, 2030);             // same
 * validateExpiry('1');                  // { isValid: false, isPotentiallyValid: true, month: null, year: null }
 * validateExpiry('13');                 // { isValid: false, isPotentiallyValid: false, month: null, year: null }
 * validateExpiry('11/26', new Date(2026, 10, 15)); // valid: the current month
 */
export function validateExpiry(value: string, now?: Date): ExpiryValidation;
export function validateExpiry(month: string | number, year: string | number, now?: Date): ExpiryValidation;
export function validateExpiry(first: unknown, second?: unknown, third?: unknown): ExpiryValidation {
  if (second === undefined || isDate(second)) {
    assertString(first, 'value');
    const clock = readNow(second);
    if (first.length > MAX_EXPIRY_INPUT) return INVALID;
    return validateCombined(first, clock);
  }
  const month = readPart(first, 'month');
  const year = readPart(second, 'year');
  const clock = readNow(third);
  if (month === null || year === null) return INVALID;
  return evaluate(month, year, true, clock);
}

interface Clock {
  year: number;
  month: number;
}

function isDate(value: unknown): value is Date {
  // Compares the tag rather than `instanceof`: a Date from another frame is still a Date.
  return Object.prototype.toString.call(value) === '[object Date]';
}

function readNow(value: unknown): Clock {
  const d = value === undefined ? new Date() : value;
  if (!isDate(d) || Number.isNaN(d.getTime())) throw invalidArgument('now', 'a valid Date');
  return { year: d.getFullYear(), month: d.getMonth() + 1 };
}

/** A month or year as a trimmed digit string, or null when it cannot be one. */
function readPart(value: unknown, param: string): string | null {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 && value < 10000 ? String(value) : null;
  }
  if (typeof value !== 'string') {
    throw new CardvaultError('invalid_argument', {
      param,
      message: `Expected \`${param}\` to be a string or a number, got ${describeType(value)}.`,
    });
  }
  const trimmed = value.trim();
  return trimmed.length <= 4 && isDigits(trimmed) ? trimmed : null;
}

/** ASCII digits only (`\d` without the `u` flag is exactly 0-9); true for ''. */
function isDigits(s: string): boolean {
  return /^\d*$/.test(s);
}

function validateCombined(value: string, clock: Clock): ExpiryValidation {
  // Spaces carry no meaning ("MM / YY" is "MM/YY"); formatExpiry inserts them around the slash.
  const compact = value.replace(/\s+/g, '');
  if (compact === '') return EMPTY;
  const slash = compact.indexOf('/');
  if (slash >= 0) {
    const month = compact.slice(0, slash);
    const year = compact.slice(slash + 1);
    if (month === '' || month.length > 2 || !isDigits(month) || !isDigits(year) || year.length > 4) return INVALID;
    // A slash ends the month, so "1/" is January.
    return evaluate(month, year, true, clock);
  }
  if (!isDigits(compact) || compact.length > 6) return INVALID;
  // Without a slash only "0" and "1" can start a two-digit month.
  const monthLength = compact[0] === '0' || compact[0] === '1' ? 2 : 1;
  return evaluate(compact.slice(0, monthLength), compact.slice(monthLength), compact.length > monthLength, clock);
}

/**
 * @param monthDone whether the month part is known to be complete (a separator or year follows it,
 *   or it was given on its own), so "1" means January rather than the start of "12".
 */
function evaluate(monthPart: string, yearPart: string, monthDone: boolean, clock: Clock): ExpiryValidation {
  if (monthPart === '') return yearPart === '' ? EMPTY : INVALID;
  const monthValue = Number(monthPart);
  if (monthPart.length === 1 && !monthDone) {
    // "0" and "1" are the start of a month still being typed.
    return monthValue <= 1 ? EMPTY : monthOnly(monthValue);
  }
  if (monthValue < 1 || monthValue > 12) return yearPart === '' && monthPart === '0' ? EMPTY : INVALID;
  if (yearPart === '') return monthOnly(monthValue);

  let year: number | null = null;
  let isValid = false;
  if (yearPart.length === 2) {
    year = twoDigitYear(Number(yearPart), clock);
    isValid = inWindow(monthValue, year, clock);
  } else if (yearPart.length === 4) {
    year = Number(yearPart);
    isValid = inWindow(monthValue, year, clock);
  }
  const isPotentiallyValid = isValid || (yearPart.length < 4 && couldComplete(monthValue, yearPart, clock));
  return { isValid, isPotentiallyValid, month: monthValue, year };
}

function monthOnly(month: number): ExpiryValidation {
  return { isValid: false, isPotentiallyValid: true, month, year: null };
}

/** Reads "YY" in the current century, moving to the next one near a century's end ("05" in 2095). */
function twoDigitYear(yy: number, clock: Clock): number {
  const century = clock.year - (clock.year % 100);
  const year = century + yy;
  return year < clock.year - 50 ? year + 100 : year;
}

function inWindow(month: number, year: number, clock: Clock): boolean {
  if (year > clock.year + MAX_YEARS_AHEAD) return false;
  return year > clock.year || (year === clock.year && month >= clock.month);
}

/** Whether some valid year, written with two or four digits, starts with the digits typed. */
function couldComplete(month: number, yearPart: string, clock: Clock): boolean {
  for (let year = clock.year; year <= clock.year + MAX_YEARS_AHEAD; year++) {
    if (!inWindow(month, year, clock)) continue;
    const full = String(year);
    const short = full.slice(-2);
    if (full.startsWith(yearPart) || (yearPart.length < 2 && short.startsWith(yearPart))) return true;
  }
  return false;
}
