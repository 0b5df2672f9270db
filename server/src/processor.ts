/**
 * The sandbox processor: approves or declines a charge by test card number, like a real
 * processor's test mode. The same numbers are in test/fixtures/test-cards.ts and the OpenAPI file.
 */
import type { CardPayload } from '../../src/types';

export type DeclineCode = 'card_declined' | 'insufficient_funds' | 'expired_card' | 'incorrect_cvc' | 'processing_error';

/** Test numbers that decline, with the decline code. Every other valid number is approved. */
export const DECLINING_CARDS: Readonly<Record<string, DeclineCode>> = {
  '4000000000000002': 'card_declined',
  '4000000000009995': 'insufficient_funds',
  '4000000000000069': 'expired_card',
  '4000000000000127': 'incorrect_cvc',
  '4000000000000119': 'processing_error',
};

/** One approved test number per brand. */
export const APPROVED_CARDS: Readonly<Record<string, string>> = {
  '4242424242424242': 'visa',
  '4000056655665556': 'visa',
  '5555555555554444': 'mastercard',
  '2223003122003222': 'mastercard',
  '378282246310005': 'amex',
  '6011111111111117': 'discover',
  '3056930009020004': 'diners',
  '3566002020360505': 'jcb',
  '6200000000000005': 'unionpay',
  '6759649826438453': 'maestro',
  '2200000000000004': 'mir',
  '6362970000457013': 'elo',
  '6062826786276634': 'hipercard',
};

export type ProcessorResult = { status: 'succeeded' } | { status: 'failed'; code: DeclineCode };

/**
 * Decides a charge. In live mode (there is no real acquirer behind the reference vault) the test
 * numbers decline with `card_declined`, as a real live processor would; other cards are approved.
 */
export function processCharge(card: CardPayload, livemode: boolean, now: Date): ProcessorResult {
  const isTestCard = card.number in DECLINING_CARDS || card.number in APPROVED_CARDS;
  if (livemode && isTestCard) return { status: 'failed', code: 'card_declined' };
  const decline = DECLINING_CARDS[card.number];
  if (decline) return { status: 'failed', code: decline };
  // A card that expired between tokenization and charge.
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() + 1;
  if (card.exp_year < y || (card.exp_year === y && card.exp_month < m)) return { status: 'failed', code: 'expired_card' };
  return { status: 'succeeded' };
}
