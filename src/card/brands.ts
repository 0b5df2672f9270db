import type { CardBrand } from '../types';
import { assertString, invalidArgument } from './assert-argument';

/**
 * What a card brand looks like: which prefixes it owns, how long its numbers are, how they are
 * grouped, and what its security code is called.
 */
export interface BrandSpec {
  readonly brand: CardBrand;
  /** Human name for UI and screen readers, e.g. "American Express". */
  readonly niceType: string;
  /**
   * Prefixes (IIN/BIN ranges) as `"4"` or inclusive ranges `"2221-2720"` (both ends the same
   * number of digits). Overlaps between brands are allowed on purpose: the longest matching prefix
   * wins (see prefix-table.ts), so narrow ranges such as Elo's BINs can sit inside Visa's `4`.
   */
  readonly prefixes: readonly string[];
  /** Allowed number lengths, ascending. */
  readonly lengths: readonly number[];
  /** Positions (in digits) where formatting inserts a space. */
  readonly gaps: readonly number[];
  readonly cvcLength: number;
  /** What the brand prints next to the code, e.g. "CVV", "CID". */
  readonly cvcName: string;
  /** Whether the last digit is a Luhn check digit. True for every brand we list today. */
  readonly luhn: boolean;
}

/** The public description of a brand, as returned by {@link getBrandInfo}. */
export interface BrandInfo {
  readonly brand: CardBrand;
  readonly niceType: string;
  readonly lengths: readonly number[];
  readonly gaps: readonly number[];
  readonly cvcLength: number;
  readonly cvcName: string;
}

const DEFAULT_GAPS = [4, 8, 12] as const;

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let n = from; n <= to; n++) out.push(n);
  return out;
}

function spec(s: BrandSpec): BrandSpec {
  return Object.freeze({ ...s, prefixes: Object.freeze(s.prefixes), lengths: Object.freeze(s.lengths), gaps: Object.freeze(s.gaps) });
}

/**
 * The brand table. Order only matters for the tie-break of two different brands matching a prefix
 * of the same length, which a unit test forbids, so the order is by popularity for readability.
 */
export const BRAND_SPECS: readonly BrandSpec[] = Object.freeze([
  spec({ brand: 'visa', niceType: 'Visa', prefixes: ['4'], lengths: [13, 16, 19], gaps: DEFAULT_GAPS, cvcLength: 3, cvcName: 'CVV', luhn: true }),
  spec({
    brand: 'mastercard',
    niceType: 'Mastercard',
    // 2-series (2221-2720) has been issued since 2017; leaving it out rejects real cards.
    prefixes: ['51-55', '2221-2720'],
    lengths: [16],
    gaps: DEFAULT_GAPS,
    cvcLength: 3,
    cvcName: 'CVC',
    luhn: true,
  }),
  spec({ brand: 'amex', niceType: 'American Express', prefixes: ['34', '37'], lengths: [15], gaps: [4, 10], cvcLength: 4, cvcName: 'CID', luhn: true }),
  spec({
    brand: 'discover',
    niceType: 'Discover',
    // 622126-622925 is inside UnionPay's 62; the longer range wins, so these are Discover.
    prefixes: ['6011', '644-649', '65', '622126-622925'],
    lengths: range(16, 19),
    gaps: DEFAULT_GAPS,
    cvcLength: 3,
    cvcName: 'CID',
    luhn: true,
  }),
  spec({ brand: 'diners', niceType: 'Diners Club', prefixes: ['300-305', '36', '38', '39'], lengths: range(14, 19), gaps: DEFAULT_GAPS, cvcLength: 3, cvcName: 'CVV', luhn: true }),
  spec({ brand: 'jcb', niceType: 'JCB', prefixes: ['3528-3589'], lengths: range(16, 19), gaps: DEFAULT_GAPS, cvcLength: 3, cvcName: 'CVV', luhn: true }),
  spec({ brand: 'unionpay', niceType: 'UnionPay', prefixes: ['62', '81'], lengths: range(14, 19), gaps: DEFAULT_GAPS, cvcLength: 3, cvcName: 'CVN', luhn: true }),
  spec({
    brand: 'maestro',
    niceType: 'Maestro',
    prefixes: ['493698', '50', '5018', '5020', '5038', '56-59', '63', '67', '6304', '6759', '676770', '676774'],
    lengths: range(12, 19),
    gaps: DEFAULT_GAPS,
    cvcLength: 3,
    cvcName: 'CVC',
    luhn: true,
  }),
  spec({ brand: 'mir', niceType: 'Mir', prefixes: ['2200-2204'], lengths: range(16, 19), gaps: DEFAULT_GAPS, cvcLength: 3, cvcName: 'CVP2', luhn: true }),
  spec({
    brand: 'elo',
    niceType: 'Elo',
    // Elo BINs sit inside Visa (4), Maestro (50, 63) UnionPay (62) and Discover (65); each is six
    // digits long so it always wins over those shorter prefixes.
    prefixes: [
      '401178', '401179', '431274', '438935', '451416', '457393', '457631', '457632',
      '504175', '506699-506778', '509000-509999',
      '627780', '636297', '636368',
      '650031-650033', '650035-650051', '650405-650439', '650485-650538', '650541-650598',
      '650700-650718', '650720-650727', '650901-650978', '651652-651679',
      '655000-655019', '655021-655058',
    ],
    lengths: [16],
    gaps: DEFAULT_GAPS,
    cvcLength: 3,
    cvcName: 'CVE',
    luhn: true,
  }),
  spec({
    brand: 'hipercard',
    niceType: 'Hipercard',
    // Inside Diners (38), Maestro (63) and near Discover; six digits so they win.
    prefixes: ['384100', '384140', '384160', '606282', '637095', '637568', '637599', '637609', '637612'],
    lengths: [16],
    gaps: DEFAULT_GAPS,
    cvcLength: 3,
    cvcName: 'CVC',
    luhn: true,
  }),
]);

/** Longest number any brand allows; also the limit for a number whose brand is not known yet. */
export const MAX_CARD_LENGTH = 19;

const SPEC_BY_BRAND = new Map<string, BrandSpec>(BRAND_SPECS.map((s) => [s.brand, s]));
const INFO_BY_BRAND = new Map<string, BrandInfo>(
  BRAND_SPECS.map((s) => [
    s.brand,
    Object.freeze({ brand: s.brand, niceType: s.niceType, lengths: s.lengths, gaps: s.gaps, cvcLength: s.cvcLength, cvcName: s.cvcName }),
  ]),
);

/**
 * True when `value` is one of the brands Cardvault knows.
 *
 * @example
 * isCardBrand('visa');  // true
 * isCardBrand('VISA');  // false (brands are lower-case identifiers)
 */
export function isCardBrand(value: unknown): value is CardBrand {
  return typeof value === 'string' && SPEC_BY_BRAND.has(value);
}

/** The full spec of a known brand (internal: includes prefixes and the Luhn flag). */
export function getBrandSpec(brand: CardBrand): BrandSpec {
  // The map is built from the same table the CardBrand union describes, so a miss is impossible
  // for a well-typed caller; callers with untrusted input go through getBrandInfo.
  return SPEC_BY_BRAND.get(brand) as BrandSpec;
}

/**
 * Lengths, gaps and security-code details of a brand. The returned object is frozen and shared.
 * Throws `invalid_argument` for anything that is not a known brand.
 *
 * @example
 * getBrandInfo('amex');
 * // { brand: 'amex', niceType: 'American Express', lengths: [15], gaps: [4, 10], cvcLength: 4, cvcName: 'CID' }
 */
export function getBrandInfo(brand: CardBrand): BrandInfo {
  assertString(brand, 'brand');
  const info = INFO_BY_BRAND.get(brand);
  if (info === undefined) throw invalidArgument('brand', 'a known card brand');
  return info;
}

const GAPS_4_6 = Object.freeze([4, 10]);
const GAPS_19 = Object.freeze([4, 8, 12, 16]);

/**
 * Where to put spaces in a number of `length` digits of `brand` (or of an unknown brand).
 * Diners uses 4-6-4 for its classic 14-digit numbers and 4-4-4-4 for 16-digit co-branded ones;
 * numbers longer than 16 digits get a fifth group (4-4-4-4-3) so they stay readable.
 *
 * @example
 * gapsFor('amex', 15);   // [4, 10]
 * gapsFor(null, 19);     // [4, 8, 12, 16]
 */
export function gapsFor(brand: CardBrand | null, length: number): readonly number[] {
  if (brand === 'amex') return GAPS_4_6;
  if (brand === 'diners' && length <= 14) return GAPS_4_6;
  return length > 16 ? GAPS_19 : DEFAULT_GAPS;
}
