import type { CardBrand } from '../../../src/types';

/**
 * The approved test cards from docs/CONTRACT.md, one per brand (plus a 2-series Mastercard and a
 * Visa debit). Kept here rather than imported from test/fixtures/test-cards.ts because that file
 * belongs to the vault helper and may not exist yet; the numbers must stay identical.
 */
export const TEST_CARDS: readonly (readonly [CardBrand, string])[] = [
  ['visa', '4242424242424242'],
  ['visa', '4000056655665556'],
  ['mastercard', '5555555555554444'],
  ['mastercard', '2223003122003222'],
  ['amex', '378282246310005'],
  ['discover', '6011111111111117'],
  ['diners', '3056930009020004'],
  ['jcb', '3566002020360505'],
  ['unionpay', '6200000000000005'],
  ['maestro', '6759649826438453'],
  ['mir', '2200000000000004'],
  ['elo', '6362970000457013'],
  ['hipercard', '6062826786276634'],
];

/** The code of the CardvaultError `fn` throws, or 'no throw'. Asserting the code, not the message. */
export function thrownCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as { name?: string }).name === 'CardvaultError' ? String((error as { code: unknown }).code) : 'not a CardvaultError';
  }
  return 'no throw';
}

/** A number of `length` digits starting with `prefix` whose Luhn check digit is correct. */
export function luhnNumber(prefix: string, length: number): string {
  let body = prefix.padEnd(length - 1, '0');
  let sum = 0;
  for (let i = body.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = body.charCodeAt(i) - 48;
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  body += String((10 - (sum % 10)) % 10);
  return body;
}
