/**
 * Checkout with the combined card element (the page at `/`).
 *
 * The card number, expiry and CVC are typed into a Cardvault frame served from the CDN origin.
 * This script never sees them: it gets `change` events (complete / empty / error / brand — never a
 * value), asks the frame for a token, and sends only that token to the merchant's backend.
 */
import { bindAmount, CARD_STYLE, clearResult, describeError, isEmail, payWithToken, pageConfig, showPayment, showResult, tokenize } from './shop.js';

const config = await pageConfig();
const form = /** @type {HTMLFormElement} */ (document.getElementById('checkout-form'));
const amountInput = /** @type {HTMLInputElement} */ (document.getElementById('amount'));
const emailInput = /** @type {HTMLInputElement} */ (document.getElementById('email'));
const nameInput = /** @type {HTMLInputElement} */ (document.getElementById('name'));
const cardBox = /** @type {HTMLElement} */ (document.querySelector('[data-card-box]'));
const cardError = /** @type {HTMLElement} */ (document.querySelector('[data-card-error]'));
const payButton = /** @type {HTMLButtonElement} */ (document.querySelector('[data-pay]'));
const resultBox = /** @type {HTMLElement} */ (document.querySelector('[data-result]'));

const amount = bindAmount(amountInput, { totals: document.querySelectorAll('[data-total]'), buttons: [payButton] });

// 1. One Cardvault instance for the page. A secret key here would throw secret_key_in_browser.
const cardvault = window.Cardvault(config.publishableKey, {
  apiBase: config.apiBase,
  frameOrigin: config.frameOrigin,
  locale: 'en',
});

// 2. The combined card element, styled to match the page (the frame sanitises the style).
// Below ~320 px of frame width the combined field wraps onto two rows; on phones the brand icon
// is hidden so the number gets the whole first row.
const narrow = window.matchMedia('(max-width: 480px)').matches;
// The visible label's words, so screen readers name the field as sighted customers see it.
const card = cardvault.elements().create('card', { label: 'Card', hideIcon: narrow, style: CARD_STYLE });

let cardComplete = false;
let busy = false;
/** Set after a successful charge: a paid order is not paid twice. */
let paid = false;
const refreshPay = () => {
  payButton.disabled = busy || paid || !cardComplete;
  if (paid) payButton.textContent = 'Paid';
};

card.on('ready', () => cardBox.classList.add('is-ready'));
card.on('focus', () => cardBox.classList.add('is-focused'));
card.on('blur', () => cardBox.classList.remove('is-focused'));
// 3. Pay stays disabled until the frame says the card is complete; errors show while typing.
// The error text is shown for sighted customers; the frame's own live region announces it to
// screen readers, so this element is deliberately not a live region (no double announcement).
card.on('change', (event) => {
  cardComplete = Boolean(event.complete);
  cardBox.classList.toggle('is-invalid', Boolean(event.error));
  cardBox.classList.toggle('is-complete', cardComplete);
  cardError.textContent = event.error ? event.error.message : '';
  refreshPay();
});
// A frame that failed to load cannot announce anything: this one is the page's to announce.
card.on('loaderror', (event) => {
  cardError.setAttribute('role', 'alert');
  cardError.textContent = describeError(event?.error ?? { code: 'frame_load_failed' });
});
card.mount('#card-element');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (busy || paid || !cardComplete) return;
  clearResult(resultBox);
  const cents = amount();
  if (cents === null) return showResult(resultBox, 'error', 'Check the amount', 'Enter an amount between $0.50 and $10,000.');
  if (!isEmail(emailInput.value)) {
    emailInput.focus();
    return showResult(resultBox, 'error', 'Check your email', 'Enter an email address for the receipt.');
  }
  busy = true;
  refreshPay();
  payButton.classList.add('is-busy');
  try {
    // 4. The frame encrypts the card and tokenizes it with the vault; we get a token back.
    const name = nameInput.value.trim();
    const { token, error } = await tokenize(() => cardvault.createToken(card, name ? { name } : {}));
    if (error) return showResult(resultBox, 'error', 'Payment not completed', describeError(error));
    // 5. Only the token goes to our own backend, which charges it with the secret key.
    const result = await payWithToken({ token: token.id, amount: cents, email: emailInput.value.trim() });
    showPayment(resultBox, result, cents);
    paid = result.ok === true;
  } finally {
    busy = false;
    payButton.classList.remove('is-busy');
    refreshPay();
  }
});
