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

const DEFAULT_GAPS: readonly number[] = Object.freeze([4, 8, 12]);
const GAPS_4_6: readonly number[] = Object.freeze([4, 10]);
const GAPS_19: readonly number[] = Object.freeze([4, 8, 12, 16]);

/**
 * The brand table, one brand per line: `brand|niceType|cvcName cvcLength|lengths|prefixes`, where
 * lengths are comma-separated and prefixes space-separated, either being `a-b` for an inclusive
 * range. Strings rather than object literals so the property names are written once (the table
 * ships in every frame). Every brand listed uses Luhn. Order only matters for the tie-break of two
 * different brands matching a prefix of the same length, which a unit test forbids, so the order
 * is by popularity for readability.
 */
const TABLE = [
  'visa|Visa|CVV 3|13,16,19|4',
  // 2-series (2221-2720) has been issued since 2017; leaving it out rejects real cards.
  'mastercard|Mastercard|CVC 3|16|51-55 2221-2720',
  'amex|American Express|CID 4|15|34 37',
  // 622126-622925 is inside UnionPay's 62; the longer range wins, so these are Discover.
  'discover|Discover|CID 3|16-19|6011 644-649 65 622126-622925',
  'diners|Diners Club|CVV 3|14-19|300-305 36 38 39',
  'jcb|JCB|CVV 3|16-19|3528-3589',
  'unionpay|UnionPay|CVN 3|14-19|62 81',
  'maestro|Maestro|CVC 3|12-19|493698 50 5018 5020 5038 56-59 63 67 6304 6759 676770 676774',
  'mir|Mir|CVP2 3|16-19|2200-2204',
  // Elo BINs sit inside Visa (4), Maestro (50, 63) UnionPay (62) and Discover (65); each is six
  // digits long so it always wins over those shorter prefixes.
  'elo|Elo|CVE 3|16|401178 401179 431274 438935 451416 457393 457631 457632 504175 506699-506778 509000-509999 ' +
    '627780 636297 636368 650031-650033 650035-650051 650405-650439 650485-650538 650541-650598 ' +
    '650700-650718 650720-650727 650901-650978 651652-651679 655000-655019 655021-655058',
  // Inside Diners (38), Maestro (63) and near Discover; six digits so they win.
  'hipercard|Hipercard|CVC 3|16|384100 384140 384160 606282 637095 637568 637599 637609 637612',
];

/** Public descriptions by brand; frozen and shared, so callers cannot corrupt the table. */
const INFO_BY_BRAND = new Map<string, BrandInfo>();

/** The parsed brand table (see {@link TABLE}). */
export const BRAND_SPECS: readonly BrandSpec[] = TABLE.map((line) => {
  const [brand, niceType, cvc, lengthList, prefixes] = line.split('|') as [CardBrand, string, string, string, string];
  const [cvcName, cvcLength] = cvc.split(' ') as [string, string];
  const lengths: number[] = [];
  for (const item of lengthList.split(',')) {
    const [from, to = from] = item.split('-');
    for (let n = Number(from); n <= Number(to); n++) lengths.push(n);
  }
  const info: BrandInfo = Object.freeze({
    brand,
    niceType,
    lengths: Object.freeze(lengths),
    gaps: brand === 'amex' ? GAPS_4_6 : DEFAULT_GAPS,
    cvcLength: Number(cvcLength),
    cvcName,
  });
  INFO_BY_BRAND.set(brand, info);
  return { ...info, prefixes: prefixes.split(' '), luhn: true };
});

/** Longest number any brand allows; also the limit for a number whose brand is not known yet. */
export const MAX_CARD_LENGTH = 19;

/**
 * True when `value` is one of the brands Cardvault knows.
 *
 * @example
 * isCardBrand('visa');  // true
 * isCardBrand('VISA');  // false (brands are lower-case identifiers)
 */
export function isCardBrand(value: unknown): value is CardBrand {
  return typeof value === 'string' && INFO_BY_BRAND.has(value);
}

/** The description of a known brand, unchecked (for well-typed internal callers). */
export function brandInfoOf(brand: CardBrand): BrandInfo {
  // The map is built from the same table the CardBrand union describes, so a miss is impossible
  // for a well-typed caller; callers with untrusted input go through getBrandInfo.
  return INFO_BY_BRAND.get(brand) as BrandInfo;
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
