/**
 * The sandbox test cards the demo prints and shows on every page (the same numbers as
 * docs/CONTRACT.md and the vault's sandbox processor). Any future expiry date and any CVC of the
 * right length work unless a row says otherwise.
 */

/** @typedef {{ number: string, brand: string, outcome: 'approved' | 'declined', code?: string, note: string }} TestCard */

/** @type {readonly TestCard[]} */
export const TEST_CARDS = Object.freeze([
  { number: '4242424242424242', brand: 'Visa', outcome: 'approved', note: 'Succeeds' },
  { number: '5555555555554444', brand: 'Mastercard', outcome: 'approved', note: 'Succeeds' },
  { number: '378282246310005', brand: 'American Express', outcome: 'approved', note: 'Succeeds' },
  { number: '4000000000000002', brand: 'Visa', outcome: 'declined', code: 'card_declined', note: 'Declined' },
  { number: '4000000000009995', brand: 'Visa', outcome: 'declined', code: 'insufficient_funds', note: 'Insufficient funds' },
  { number: '4000000000000069', brand: 'Visa', outcome: 'declined', code: 'expired_card', note: 'Expired card' },
  { number: '4000000000000127', brand: 'Visa', outcome: 'declined', code: 'incorrect_cvc', note: 'Incorrect CVC' },
  { number: '4000000000000119', brand: 'Visa', outcome: 'declined', code: 'processing_error', note: 'Processing error' },
]);

/** The decline cards alone, for the end-to-end suite. */
export const DECLINE_CARDS = TEST_CARDS.filter((c) => c.outcome === 'declined');

/** `4242424242424242` -> `4242 4242 4242 4242` (Amex 4-6-5). */
export function formatTestCard(number) {
  if (number.length === 15) return `${number.slice(0, 4)} ${number.slice(4, 10)} ${number.slice(10)}`;
  return number.replace(/(\d{4})(?=\d)/g, '$1 ');
}
