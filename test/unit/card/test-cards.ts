import type { CardBrand } from '../../../src/types';
import { APPROVED_CARDS } from '../../fixtures/test-cards';

/** The approved test cards (one per brand, plus a 2-series Mastercard and a Visa debit) as [brand, number]. */
export const TEST_CARDS: readonly (readonly [CardBrand, string])[] = APPROVED_CARDS.map((c) => [c.brand, c.number] as const);

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
