/**
 * The single-page checkout at `/spa`, built from the ESM package (`import … from 'cardvault'`) and
 * bundled with rollup by demo/build-spa.mjs.
 *
 * Two steps: details, then card. The split card fields (number, expiry, CVC, postal code) are
 * created and mounted when step 2 opens and unmounted when the customer goes back, the way a
 * router would mount and unmount a component. Each field is a Cardvault frame on the CDN origin;
 * this code only ever sees change events and, at the end, a token.
 */
import { Cardvault } from 'cardvault';
import { bindAmount, clearResult, describeError, isEmail, payWithToken, pageConfig, showPayment, showResult, tokenize } from '../site/shop.js';

const config = await pageConfig();
const cardvault = Cardvault(config.publishableKey, { apiBase: config.apiBase, frameOrigin: config.frameOrigin, locale: 'en' });
const elements = cardvault.elements();

const $ = (selector) => /** @type {HTMLElement} */ (document.querySelector(selector));
const detailsForm = /** @type {HTMLFormElement} */ ($('[data-step="details"]'));
const cardForm = /** @type {HTMLFormElement} */ ($('[data-step="card"]'));
const title = $('#spa-step-title');
const amountInput = /** @type {HTMLInputElement} */ ($('#spa-amount'));
const emailInput = /** @type {HTMLInputElement} */ ($('#spa-email'));
const nameInput = /** @type {HTMLInputElement} */ ($('#spa-name'));
const detailsError = $('[data-details-error]');
const cardError = $('[data-card-error]');
const payButton = /** @type {HTMLButtonElement} */ ($('[data-pay]'));
const resultBox = $('[data-result]');

const amount = bindAmount(amountInput, { totals: document.querySelectorAll('[data-total]'), buttons: [payButton] });

const style = {
  // The card box shows focus itself, so the frame's fallback ring is dropped.
  base: { color: '#1f2937', fontSize: '16px', iconColor: '#4b5563', '::placeholder': { color: '#6b7280' }, ':focus-visible': { outline: 'none' } },
  invalid: { color: '#b42318', iconColor: '#b42318' },
};
// Each field's `label` repeats its visible label, so its accessible name matches what is shown.
const FIELDS = /** @type {const} */ ([
  ['cardNumber', '#card-number', { placeholder: '1234 1234 1234 1234', label: 'Card number' }],
  ['cardExpiry', '#card-expiry', { label: 'Expiry' }],
  ['cardCvc', '#card-cvc', { label: 'CVC' }],
  ['postalCode', '#postal-code', { label: 'Postal code' }],
]);

/** Field state from change events: complete and the current error, per field. Never a value. */
const state = new Map();
/** The mounted elements while step 2 is open. */
let mounted = [];
let busy = false;
/** Set after a successful charge: a paid order is not paid twice. */
let paid = false;

function refresh() {
  const all = FIELDS.every(([type]) => state.get(type)?.complete);
  const firstError = FIELDS.map(([type]) => state.get(type)?.error).find(Boolean);
  // Shown, not announced: each card frame's live region announces its own error once.
  cardError.textContent = firstError ? firstError.message : '';
  payButton.disabled = busy || paid || !all;
  if (paid) payButton.textContent = 'Paid';
}

function mountFields() {
  state.clear();
  mounted = FIELDS.map(([type, selector, options]) => {
    const element = elements.create(type, { style, ...options });
    const box = $(selector);
    element.on('focus', () => box.classList.add('is-focused'));
    element.on('blur', () => box.classList.remove('is-focused'));
    element.on('change', (event) => {
      state.set(type, { complete: Boolean(event.complete), error: event.error ?? null });
      box.classList.toggle('is-invalid', Boolean(event.error));
      box.classList.toggle('is-complete', Boolean(event.complete));
      refresh();
    });
    element.mount(selector);
    return element;
  });
  refresh();
}

/**
 * Leaving step 2: destroy the fields so no frame or listener stays behind (a router unmounting
 * a component). They are created afresh when the customer comes back.
 */
function unmountFields() {
  for (const element of mounted) {
    element.unmount();
    element.destroy();
  }
  mounted = [];
  for (const [, selector] of FIELDS) $(selector).classList.remove('is-focused', 'is-invalid', 'is-complete');
}

function show(step) {
  const card = step === 'card';
  detailsForm.hidden = card;
  cardForm.hidden = !card;
  for (const li of document.querySelectorAll('[data-step-marker]')) {
    if (li.getAttribute('data-step-marker') === step) li.setAttribute('aria-current', 'step');
    else li.removeAttribute('aria-current');
  }
  title.textContent = card ? 'Card details' : 'Your details';
  if (card && mounted.length === 0) mountFields();
  if (!card && mounted.length > 0) unmountFields();
  title.focus();
}

function route() {
  const wantsCard = location.hash === '#card';
  // Step 2 needs step 1's details; a reload on #card starts over.
  if (wantsCard && !detailsValid()) {
    history.replaceState(null, '', '#details');
    return show('details');
  }
  show(wantsCard ? 'card' : 'details');
}

function detailsValid() {
  return amount() !== null && isEmail(emailInput.value);
}

detailsForm.addEventListener('submit', (event) => {
  event.preventDefault();
  if (amount() === null) {
    detailsError.textContent = 'Enter an amount between $0.50 and $10,000.';
    return amountInput.focus();
  }
  if (!isEmail(emailInput.value)) {
    detailsError.textContent = 'Enter an email address for the receipt.';
    return emailInput.focus();
  }
  detailsError.textContent = '';
  location.hash = '#card';
});

$('[data-back]').addEventListener('click', () => {
  clearResult(resultBox);
  location.hash = '#details';
});

cardForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (busy || payButton.disabled) return;
  clearResult(resultBox);
  const cents = amount();
  if (cents === null) return;
  busy = true;
  refresh();
  payButton.classList.add('is-busy');
  try {
    // Any one mounted field of the group identifies the group; the frames tokenize together.
    const name = nameInput.value.trim();
    const { token, error } = await tokenize(() => cardvault.createToken(mounted[0], name ? { name } : {}));
    if (error) return showResult(resultBox, 'error', 'Payment not completed', describeError(error));
    const result = await payWithToken({ token: token.id, amount: cents, email: emailInput.value.trim() });
    showPayment(resultBox, result, cents);
    paid = result.ok === true;
  } finally {
    busy = false;
    payButton.classList.remove('is-busy');
    refresh();
  }
});

window.addEventListener('hashchange', route);
route();
