import type { CardBrand } from '../types';
import { BRAND_SPECS, MAX_CARD_LENGTH } from './brands';

/**
 * The brand table compiled once, at import, into flat typed arrays so that matching a number's
 * leading digits costs a few integer comparisons per range and allocates nothing. Detection runs
 * on every keystroke in the frame and is benchmarked, so the hot path is kept free of regexes,
 * strings and closures.
 *
 * A number is described by `prefix`, the integer value of its first `k = min(n, 6)` digits, and
 * `n`, its digit count. For each range and each k in 1..6 we store the interval `prefix` must fall
 * in:
 * - k >= range length: the range scaled up to k digits (e.g. "34" at k=4 is 3400..3499): a full match;
 * - k <  range length: the range cut down to k digits (e.g. "622126-622925" at k=3 is 622..622):
 *   the number could still grow into the range, a partial match (the brand is a candidate).
 */

/** Longest prefix in the table; all prefixes must be at most this long. */
export const PREFIX_DIGITS = 6;

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000] as const;

interface Row {
  brandIndex: number;
  length: number;
  lo: number;
  hi: number;
}

function parseRanges(): Row[] {
  const rows: Row[] = [];
  BRAND_SPECS.forEach((spec, brandIndex) => {
    for (const p of spec.prefixes) {
      // The table's shape (1-6 digits, ordered ranges of equal-length ends) is a unit test's job
      // (brands.test.ts), not a cost every frame pays at start-up.
      const [from, to = from] = p.split('-') as [string, string?];
      rows.push({ brandIndex, length: from.length, lo: Number(from), hi: Number(to) });
    }
  });
  // Grouping by first digit lets a lookup scan only the ranges that can possibly match.
  rows.sort((a, b) => firstDigit(a) - firstDigit(b));
  return rows;
}

function firstDigit(row: Row): number {
  return Math.floor(row.lo / POW10[row.length - 1]!);
}

const ROWS = parseRanges();
const ROW_COUNT = ROWS.length;

/** Per row: brand index. */
const ROW_BRAND = new Int8Array(ROW_COUNT);
/** Per row: prefix length in digits. */
const ROW_LENGTH = new Int8Array(ROW_COUNT);
/** Per row and k (1..6): lower and upper bound at index `row * 12 + (k - 1) * 2` (+1 for upper). */
const ROW_BOUNDS = new Int32Array(ROW_COUNT * PREFIX_DIGITS * 2);
/** Rows whose first digit is d are `BUCKET_START[d] .. BUCKET_START[d + 1] - 1`. */
const BUCKET_START = new Int16Array(11);

ROWS.forEach((row, i) => {
  ROW_BRAND[i] = row.brandIndex;
  ROW_LENGTH[i] = row.length;
  for (let k = 1; k <= PREFIX_DIGITS; k++) {
    const at = i * PREFIX_DIGITS * 2 + (k - 1) * 2;
    if (k >= row.length) {
      const scale = POW10[k - row.length]!;
      ROW_BOUNDS[at] = row.lo * scale;
      ROW_BOUNDS[at + 1] = row.hi * scale + scale - 1;
    } else {
      const scale = POW10[row.length - k]!;
      ROW_BOUNDS[at] = Math.floor(row.lo / scale);
      ROW_BOUNDS[at + 1] = Math.floor(row.hi / scale);
    }
  }
});
{
  let r = 0;
  for (let d = 0; d <= 9; d++) {
    BUCKET_START[d] = r;
    while (r < ROW_COUNT && firstDigit(ROWS[r]!) === d) r++;
  }
  BUCKET_START[10] = ROW_COUNT;
}

const BRAND_NAMES: readonly CardBrand[] = BRAND_SPECS.map((s) => s.brand);
const BRAND_MAX_LENGTH: readonly number[] = BRAND_SPECS.map((s) => s.lengths[s.lengths.length - 1]!);

/** `matchPrefix` result when no brand can start with the digits typed so far. */
export const NO_CANDIDATE = 0;

/**
 * Matches the leading digits of a number against the table and packs the answer into one integer
 * (so the hot path allocates nothing):
 * - bits 0-4: index of the resolved brand + 1, or 0 when there is none or it is ambiguous;
 * - bits 5+:  the longest length any candidate brand allows (0 when nothing can match).
 *
 * The resolved brand is the only candidate, or else the brand with the longest full match (a
 * 6-digit Elo BIN beats Visa's `4`). Two brands fully matching at the same length would be a table
 * error and resolve to none. Read the result with {@link resolvedBrand} and {@link candidateMaxLength}.
 *
 * @param prefix integer value of the first `min(digitCount, 6)` digits
 * @param digitCount how many digits the whole number has
 * @example
 * resolvedBrand(matchPrefix(4, 1));          // 'visa'
 * resolvedBrand(matchPrefix(401178, 16));    // 'elo'
 * resolvedBrand(matchPrefix(6, 1));          // null (Discover, UnionPay, Maestro, …)
 */
export function matchPrefix(prefix: number, digitCount: number): number {
  if (digitCount <= 0) return (MAX_CARD_LENGTH << 5) | 0;
  const k = digitCount < PREFIX_DIGITS ? digitCount : PREFIX_DIGITS;
  const first = Math.floor(prefix / POW10[k - 1]!);
  const end = BUCKET_START[first + 1]!;
  let candidates = 0; // bit mask of candidate brand indexes
  let bestLength = 0;
  let best = -1;
  let tie = false;
  for (let r = BUCKET_START[first]!; r < end; r++) {
    const at = r * PREFIX_DIGITS * 2 + (k - 1) * 2;
    if (prefix < ROW_BOUNDS[at]! || prefix > ROW_BOUNDS[at + 1]!) continue;
    const b = ROW_BRAND[r]!;
    candidates |= 1 << b;
    const length = ROW_LENGTH[r]!;
    if (k >= length) {
      if (length > bestLength) {
        bestLength = length;
        best = b;
        tie = false;
      } else if (length === bestLength && b !== best) {
        tie = true;
      }
    }
  }
  if (candidates === 0) return NO_CANDIDATE;

  let maxLength = 0;
  let only = -1;
  let count = 0;
  for (let b = 0; b < BRAND_NAMES.length; b++) {
    if ((candidates & (1 << b)) === 0) continue;
    count++;
    only = b;
    const m = BRAND_MAX_LENGTH[b]!;
    if (m > maxLength) maxLength = m;
  }
  const resolved = count === 1 ? only : tie ? -1 : best;
  return (maxLength << 5) | (resolved + 1);
}

/** The brand packed in a {@link matchPrefix} result, or null. */
export function resolvedBrand(match: number): CardBrand | null {
  const index = (match & 31) - 1;
  return index < 0 ? null : BRAND_NAMES[index]!;
}

/** Index in BRAND_SPECS of the brand packed in a {@link matchPrefix} result, or -1. */
export function resolvedBrandIndex(match: number): number {
  return (match & 31) - 1;
}

/** The longest length any still-possible brand allows; 0 when no brand can match. */
export function candidateMaxLength(match: number): number {
  return match >>> 5;
}
