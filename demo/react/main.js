/**
 * The checkout at `/react`: the same checkout as `/`, written with the React bindings
 * (`cardvault/react`) and bundled with React by demo/build-spa.mjs, the way a merchant's own
 * React app would be built.
 *
 * `<CardvaultProvider>` holds the instance and its elements group; `<CardElement>` is the card
 * frame (it mounts once, StrictMode or not, and forwards its events to the latest props); on Pay,
 * `cardvault.createToken(elements.getElement('card'))` asks the frame for a token. This code only
 * ever sees change events and that token. Written with `createElement` (no JSX) so the demo needs
 * no compiler; JSX compiles to the same calls.
 */
import { createElement as h, StrictMode, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Cardvault } from 'cardvault';
import { CardElement, CardvaultProvider, useCardvault, useElements } from 'cardvault/react';
import { CARD_STYLE, describeError, formatMoney, isEmail, parseAmount, paymentOutcome, payWithToken, pageConfig, tokenize } from '../site/shop.js';

const config = await pageConfig();
const cardvault = Cardvault(config.publishableKey, { apiBase: config.apiBase, frameOrigin: config.frameOrigin, locale: 'en' });

// A module constant: the same object on every render, so nothing is sent to the frame again. The
// card box shows focus itself (the CardvaultElement--focus state class, see styles.css). As on `/`,
// phones hide the brand icon so the number gets the whole first row.
const CARD_OPTIONS = { style: CARD_STYLE, hideIcon: window.matchMedia('(max-width: 480px)').matches };

function Field({ id, label, hint, children }) {
  return h('div', { className: 'field' }, h('label', { htmlFor: id }, label), children, hint ? h('p', { id: `${id}-hint`, className: 'hint' }, hint) : null);
}

function Checkout() {
  const cv = useCardvault();
  const elements = useElements();
  const [amountText, setAmountText] = useState('24.00');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [card, setCard] = useState({ ready: false, complete: false, error: '' });
  const [busy, setBusy] = useState(false);
  /** Set after a successful charge: a paid order is not paid twice. */
  const [paid, setPaid] = useState(false);
  const [result, setResult] = useState(null);
  const emailInput = useRef(null);

  const cents = parseAmount(amountText);
  const total = cents === null ? '—' : formatMoney(cents);
  // The order summary beside this form is the server's HTML, outside this React root.
  useEffect(() => {
    for (const t of document.querySelectorAll('[data-total]')) t.textContent = total;
  }, [total]);

  const pay = async (event) => {
    event.preventDefault();
    if (busy || paid || !card.complete || !cv || !elements) return;
    setResult(null);
    if (cents === null) return setResult({ kind: 'error', title: 'Check the amount', detail: 'Enter an amount between $0.50 and $10,000.' });
    if (!isEmail(email)) {
      emailInput.current?.focus();
      return setResult({ kind: 'error', title: 'Check your email', detail: 'Enter an email address for the receipt.' });
    }
    setBusy(true);
    try {
      // The frame encrypts the card and tokenizes it with the vault; only the token comes back.
      const billing = name.trim() ? { name: name.trim() } : {};
      const { token, error } = await tokenize(() => cv.createToken(elements.getElement('card'), billing));
      if (error) return setResult({ kind: 'error', title: 'Payment not completed', detail: describeError(error) });
      // Only the token goes to our own backend, which charges it with the secret key.
      const charged = await payWithToken({ token: token.id, amount: cents, email: email.trim() });
      setResult(paymentOutcome(charged, cents));
      setPaid(charged.ok === true);
    } finally {
      setBusy(false);
    }
  };

  return h(
    'form',
    { id: 'react-form', className: 'pay-form', noValidate: true, onSubmit: pay },
    h(
      Field,
      { id: 'react-amount', label: 'Amount (USD)', hint: 'Any amount from $0.50 to $10,000 — it is a demo.' },
      h(
        'div',
        { className: 'input-affix' },
        h('span', { 'aria-hidden': 'true' }, '$'),
        h('input', {
          id: 'react-amount',
          name: 'amount',
          type: 'text',
          inputMode: 'decimal',
          value: amountText,
          required: true,
          autoComplete: 'off',
          'aria-describedby': 'react-amount-hint',
          'aria-invalid': cents === null ? 'true' : 'false',
          onChange: (e) => setAmountText(e.target.value),
        }),
      ),
    ),
    h(
      Field,
      { id: 'react-email', label: 'Email' },
      h('input', { id: 'react-email', ref: emailInput, name: 'email', type: 'email', required: true, autoComplete: 'email', placeholder: 'you@example.com', spellCheck: false, value: email, onChange: (e) => setEmail(e.target.value) }),
    ),
    h(
      Field,
      { id: 'react-name', label: 'Name on card' },
      h('input', { id: 'react-name', name: 'name', type: 'text', required: true, autoComplete: 'cc-name', placeholder: 'Jane Appleseed', spellCheck: false, value: name, onChange: (e) => setName(e.target.value) }),
    ),
    h(
      'div',
      { className: 'field' },
      h('span', { className: 'label', id: 'react-card-label' }, 'Card'),
      h(CardElement, {
        id: 'card-element',
        className: 'card-box',
        options: CARD_OPTIONS,
        // New functions on every render: the element is not remounted for them.
        onReady: () => setCard((c) => ({ ...c, ready: true })),
        onChange: (e) => setCard({ ready: true, complete: e.complete, error: e.error ? e.error.message : '' }),
        onLoadError: (e) => setCard({ ready: false, complete: false, error: describeError(e.error) }),
      }),
      h('p', { className: 'field-error', id: 'react-card-errors', 'data-card-error': '', role: 'alert' }, card.error),
    ),
    h('button', { type: 'submit', className: `pay-button${busy ? ' is-busy' : ''}`, 'data-pay': '', disabled: busy || paid || !card.complete }, paid ? 'Paid' : cents === null ? 'Pay' : `Pay ${total}`),
    h('p', { className: 'secure-note' }, h('span', { className: 'lock', 'aria-hidden': 'true' }), 'Card details are entered in a secure frame and sent straight to Cardvault.'),
    h(
      'div',
      { className: `result${result ? ` result--${result.kind}` : ''}`, 'data-result': '', role: result?.kind === 'error' ? 'alert' : 'status', 'aria-live': 'polite', hidden: !result },
      result ? [h('strong', { key: 't' }, result.title), result.detail ? h('p', { key: 'd' }, result.detail) : null] : null,
    ),
  );
}

createRoot(document.getElementById('react-checkout')).render(h(StrictMode, null, h(CardvaultProvider, { cardvault }, h(Checkout))));
