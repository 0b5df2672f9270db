/**
 * Helpers the demo pages share: reading the page's config, money, and talking to the merchant's
 * own backend. Nothing here ever touches card data — the pages only handle tokens.
 */

/**
 * The card element's look on `/` and `/react` (the frame sanitises it). The card box shows focus
 * itself, so the frame's own fallback ring would be a second ring inside it.
 */
export const CARD_STYLE = {
  base: {
    color: '#1f2937',
    fontSize: '16px',
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    iconColor: '#4b5563',
    '::placeholder': { color: '#6b7280' },
    ':focus-visible': { outline: 'none' },
  },
  invalid: { color: '#b42318', iconColor: '#b42318' },
};

/** The page's settings, rendered by the server into `<meta name="cardvault-demo" data-…>`. */
export function readConfig() {
  const meta = document.querySelector('meta[name="cardvault-demo"]');
  if (!(meta instanceof HTMLMetaElement)) throw new Error('The page is missing its cardvault-demo <meta> tag.');
  const d = meta.dataset;
  return {
    publishableKey: d.publishableKey ?? '',
    apiBase: d.apiBase ?? '',
    frameOrigin: d.frameOrigin ?? '',
  };
}

/**
 * The page's settings once they are complete. A page served without a publishable key or API
 * base (a vault that was not up yet, a misconfigured server) cannot take a payment: instead of
 * letting Cardvault() throw on the empty key, it says so on the page and the returned promise
 * never settles, so a page's `await pageConfig()` stops its script right there, quietly.
 */
export function pageConfig() {
  const config = readConfig();
  if (config.publishableKey && config.apiBase) return Promise.resolve(config);
  const message = document.createElement('p');
  message.className = 'callout callout--warning';
  message.setAttribute('role', 'alert');
  message.setAttribute('data-config-missing', '');
  message.textContent = 'The payment form is not available: this page was served without its Cardvault key. Reload the page in a moment.';
  const form = document.querySelector('.pay-form, #react-checkout');
  form?.before(message);
  for (const loading of document.querySelectorAll('.card-loading')) loading.textContent = 'Card field unavailable.';
  for (const button of document.querySelectorAll('[data-pay], [data-continue]')) {
    if (button instanceof HTMLButtonElement) button.disabled = true;
  }
  return new Promise(() => {});
}

/** "24", "24.5", "$1,024.00" -> cents, or null when it is not a valid amount. */
export function parseAmount(text) {
  const clean = String(text).replace(/[\s$,]/g, '');
  if (!/^\d{1,5}(\.\d{1,2})?$/.test(clean)) return null;
  const cents = Math.round(Number(clean) * 100);
  return cents >= 50 && cents <= 1_000_000 ? cents : null;
}

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
/** 2400 -> "$24.00" */
export const formatMoney = (cents) => money.format(cents / 100);

const BRANDS = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  maestro: 'Maestro',
  mir: 'Mir',
  elo: 'Elo',
  hipercard: 'Hipercard',
};
/** `visa` -> `Visa` */
export const brandName = (brand) => BRANDS[brand] ?? (brand ? String(brand) : 'Card');

/** A simple email check for the form (the backend checks again). */
export const isEmail = (value) => /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(String(value).trim());

/**
 * Sends ONLY the token, the amount and the email to the merchant's backend, which charges the
 * token with its secret key. Resolves to `{ ok: true, brand, last4 }` or `{ ok: false, code, message }`.
 */
export async function payWithToken({ token, amount, email }) {
  let response;
  try {
    response = await fetch('/api/pay', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, amount, email }),
    });
  } catch {
    return { ok: false, code: 'network', message: 'We could not reach the store. Check your connection and try again.' };
  }
  try {
    return await response.json();
  } catch {
    return { ok: false, code: 'invalid_response', message: 'The store sent an unexpected answer. Your card was not charged.' };
  }
}

/**
 * Words for the customer when tokenizing fails (before any charge). Validation messages from the
 * SDK are already written for customers; everything else gets a plain explanation.
 */
export function describeError(error) {
  const code = error && typeof error === 'object' ? error.code : undefined;
  const type = error && typeof error === 'object' ? error.type : undefined;
  if (type === 'validation_error' && error.message) return error.message;
  switch (code) {
    case 'network_failure':
    case 'timeout':
      return 'We could not reach the payment service. Check your connection and try again.';
    case 'frame_load_failed':
      return 'The secure card form did not load. Reload the page and try again.';
    case 'rate_limited':
    case 'card_testing_suspected':
      return 'Too many attempts. Please wait a minute and try again.';
    case 'card_declined':
    case 'insufficient_funds':
    case 'expired_card':
    case 'incorrect_cvc':
    case 'processing_error':
      return error.message ?? 'Your card was declined.';
    default:
      if (type === 'card_error' && error.message) return error.message;
      return 'Something went wrong and your card was not charged. Please try again.';
  }
}

/**
 * Normalises what `createToken` gives back into `{ token }` or `{ error }`, whether the SDK
 * resolves with a result object or rejects with a CardvaultError.
 */
export async function tokenize(promiseFactory) {
  try {
    const result = await promiseFactory();
    if (result && typeof result === 'object') {
      if ('error' in result && result.error) return { error: result.error };
      if ('token' in result && result.token) return { token: result.token };
      if (typeof result.id === 'string' && result.id.startsWith('tok_')) return { token: result };
    }
    return { error: { code: 'invalid_response' } };
  } catch (error) {
    return { error };
  }
}

/** Shows the outcome under the Pay button. `kind` is success or error. */
export function showResult(box, kind, title, detail) {
  box.hidden = false;
  box.className = `result result--${kind}`;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.replaceChildren();
  const strong = document.createElement('strong');
  strong.textContent = title;
  box.append(strong);
  if (detail) {
    const p = document.createElement('p');
    p.textContent = detail;
    box.append(p);
  }
}

/** Clears the outcome box. */
export function clearResult(box) {
  box.hidden = true;
  box.replaceChildren();
}

/**
 * The outcome of a charge in words: "Visa •••• 4242 was charged…" on success, the decline in plain
 * words otherwise. `{ kind, title, detail }`, as `showResult` takes them.
 */
export function paymentOutcome(result, cents) {
  return result.ok
    ? { kind: 'success', title: 'Payment successful', detail: `${brandName(result.brand)} •••• ${result.last4} was charged ${formatMoney(cents)}. Thank you!` }
    : { kind: 'error', title: 'Payment declined', detail: result.message ?? 'The payment could not be completed.' };
}

/** Shows the outcome of a charge (see `paymentOutcome`). */
export function showPayment(box, result, cents) {
  const { kind, title, detail } = paymentOutcome(result, cents);
  showResult(box, kind, title, detail);
}

/** Keeps the total and the Pay button label in step with the amount field. */
export function bindAmount(input, { totals, buttons }) {
  const update = () => {
    const cents = parseAmount(input.value);
    const label = cents === null ? '—' : formatMoney(cents);
    for (const t of totals) t.textContent = label;
    for (const b of buttons) b.textContent = cents === null ? 'Pay' : `Pay ${label}`;
    input.setAttribute('aria-invalid', cents === null ? 'true' : 'false');
    return cents;
  };
  input.addEventListener('input', update);
  update();
  return () => parseAmount(input.value);
}
