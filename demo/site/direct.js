/**
 * Checkout in direct mode (the page at `/direct`): HIGHER PCI SCOPE (SAQ A-EP).
 *
 * Here the card inputs are this page's own fields and this script reads the card number. Direct
 * mode encrypts it and tokenizes it with the vault straight from the page, so the card still never
 * reaches the merchant's server — but the page itself handles card data, which is why the site
 * falls under SAQ A-EP instead of SAQ A. Prefer the card element (`/`) when you can.
 */
import { bindAmount, clearResult, describeError, isEmail, payWithToken, pageConfig, showPayment, showResult, tokenize } from './shop.js';

const config = await pageConfig();
const form = /** @type {HTMLFormElement} */ (document.getElementById('direct-form'));
const amountInput = /** @type {HTMLInputElement} */ (document.getElementById('amount'));
const emailInput = /** @type {HTMLInputElement} */ (document.getElementById('email'));
const nameInput = /** @type {HTMLInputElement} */ (document.getElementById('name'));
const numberInput = /** @type {HTMLInputElement} */ (document.getElementById('cc-number'));
const expInput = /** @type {HTMLInputElement} */ (document.getElementById('cc-exp'));
const cvcInput = /** @type {HTMLInputElement} */ (document.getElementById('cc-csc'));
const cardError = /** @type {HTMLElement} */ (document.querySelector('[data-card-error]'));
const payButton = /** @type {HTMLButtonElement} */ (document.querySelector('[data-pay]'));
const resultBox = /** @type {HTMLElement} */ (document.querySelector('[data-result]'));

const amount = bindAmount(amountInput, { totals: document.querySelectorAll('[data-total]'), buttons: [payButton] });
const direct = window.CardvaultDirect(config.publishableKey, { apiBase: config.apiBase });

// Light formatting while typing: groups of four, and "MM / YY".
numberInput.addEventListener('input', () => {
  const digits = numberInput.value.replace(/\D/g, '').slice(0, 19);
  numberInput.value = digits.replace(/(\d{4})(?=\d)/g, '$1 ');
});
expInput.addEventListener('input', (event) => {
  const deleting = event instanceof InputEvent && event.inputType.startsWith('delete');
  const digits = expInput.value.replace(/\D/g, '').slice(0, 4);
  expInput.value = digits.length > 2 || (digits.length === 2 && !deleting) ? `${digits.slice(0, 2)} / ${digits.slice(2)}` : digits;
});
cvcInput.addEventListener('input', () => {
  cvcInput.value = cvcInput.value.replace(/\D/g, '').slice(0, 4);
});

/** Reads the inputs into the shape direct mode takes; the card never leaves this function except to CardvaultDirect. */
function readCard() {
  const [mm = '', yy = ''] = expInput.value.split('/').map((s) => s.trim());
  return {
    number: numberInput.value.replace(/\D/g, ''),
    exp_month: Number(mm),
    exp_year: yy.length === 2 ? 2000 + Number(yy) : Number(yy),
    cvc: cvcInput.value,
  };
}

/**
 * Which input each field of a validation error's `fields` is about. The error text is tied to
 * them (aria-invalid, aria-describedby) and announced once, by the error line's role="alert";
 * the outcome box does not repeat it.
 */
const INPUT_OF = { number: numberInput, exp_month: expInput, exp_year: expInput, cvc: cvcInput, name: nameInput };
cardError.id ||= 'card-error';
function showCardError(error) {
  const bad = new Set((error?.fields ?? []).map((f) => INPUT_OF[f]).filter(Boolean));
  for (const input of new Set(Object.values(INPUT_OF))) {
    input.setAttribute('aria-invalid', String(bad.has(input)));
    const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && id !== cardError.id);
    if (bad.has(input)) ids.push(cardError.id);
    if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
    else input.removeAttribute('aria-describedby');
  }
  cardError.textContent = error ? describeError(error) : '';
}
// Editing a field clears its mark (the line itself stays until the next Pay).
for (const input of new Set(Object.values(INPUT_OF))) input.addEventListener('input', () => input.setAttribute('aria-invalid', 'false'));

let busy = false;
/** Set after a successful charge: a paid order is not paid twice. */
let paid = false;
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (busy || paid) return;
  clearResult(resultBox);
  showCardError(null);
  const cents = amount();
  if (cents === null) return showResult(resultBox, 'error', 'Check the amount', 'Enter an amount between $0.50 and $10,000.');
  if (!isEmail(emailInput.value)) {
    emailInput.focus();
    return showResult(resultBox, 'error', 'Check your email', 'Enter an email address for the receipt.');
  }
  busy = true;
  payButton.disabled = true;
  payButton.classList.add('is-busy');
  try {
    const name = nameInput.value.trim();
    const { token, error } = await tokenize(() => direct.createToken({ ...readCard(), ...(name ? { name } : {}) }));
    if (error) {
      // A card the customer can fix: said once, beside its fields, in the frames' words.
      if (error.type === 'validation_error') return showCardError(error);
      return showResult(resultBox, 'error', 'Payment not completed', describeError(error));
    }
    // Only the token goes to the merchant's backend.
    const result = await payWithToken({ token: token.id, amount: cents, email: emailInput.value.trim() });
    showPayment(resultBox, result, cents);
    paid = result.ok === true;
  } finally {
    busy = false;
    payButton.disabled = paid;
    if (paid) payButton.textContent = 'Paid';
    payButton.classList.remove('is-busy');
  }
});
