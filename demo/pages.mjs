/**
 * Server-side HTML of the merchant pages. Everything dynamic (origins, the publishable key, the
 * script's integrity from sri.json) is escaped into attributes here, so the pages need no inline
 * script: page logic lives in files under demo/site/, demo/spa/ and demo/react/, read from a <meta> tag.
 */
import { TEST_CARDS, formatTestCard } from './test-cards.mjs';

/** @param {unknown} value */
const esc = (value) =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * @typedef {{ cdn: string, vault: string, merchant: string, keys: { publishable: string },
 *   sri: { version: string, files: Record<string, { integrity: string, path: string }> } }} PageContext
 */

const PAGES = {
  checkout: { path: '/', nav: 'Card element', title: 'Checkout — card element' },
  spa: { path: '/spa', nav: 'Split fields', title: 'Checkout — split fields, single-page app' },
  react: { path: '/react', nav: 'React', title: 'Checkout — React' },
  direct: { path: '/direct', nav: 'Direct mode', title: 'Checkout — direct mode (SAQ A-EP)' },
};

/**
 * A `<script>` tag for one of our CDN files, pinned with its integrity from sri.json.
 * @param {PageContext} ctx @param {string} name e.g. `cardvault.min.js`
 */
function cdnScript(ctx, name) {
  const entry = ctx.sri.files[name];
  if (!entry) throw new Error(`dist/sri.json has no entry for ${name}: run \`npm run build\`.`);
  return `<script src="${esc(ctx.cdn + entry.path)}" integrity="${esc(entry.integrity)}" crossorigin="anonymous"></script>`;
}

/** @param {PageContext} ctx */
function configMeta(ctx) {
  return `<meta name="cardvault-demo" data-publishable-key="${esc(ctx.keys.publishable)}" data-api-base="${esc(ctx.vault)}" data-frame-origin="${esc(ctx.cdn)}" data-version="${esc(ctx.sri.version)}">`;
}

function testCardTable() {
  const rows = TEST_CARDS.map(
    (c) =>
      `<tr><td><code class="card-number">${esc(formatTestCard(c.number))}</code></td><td>${esc(c.brand)}</td><td><span class="pill pill--${c.outcome}">${esc(c.note)}</span></td></tr>`,
  ).join('\n          ');
  return `<section class="panel test-cards" aria-labelledby="test-cards-title">
      <h2 id="test-cards-title">Test cards</h2>
      <p class="muted">Use any future expiry date (for example 12 / 34), any 3-digit CVC (4 digits for American Express) and any postal code of 3 to 10 letters or digits (for example 94107).</p>
      <div class="table-scroll" tabindex="0" role="region" aria-label="Test card numbers (scrolls sideways on small screens)">
        <table>
          <thead><tr><th scope="col">Card number</th><th scope="col">Brand</th><th scope="col">Result</th></tr></thead>
          <tbody>
          ${rows}
          </tbody>
        </table>
      </div>
    </section>`;
}

/**
 * @param {keyof typeof PAGES} current
 * @param {{ ctx: PageContext, head: string, main: string, sources: [string, string][] }} parts
 */
function layout(current, { ctx, head, main, sources }) {
  const nav = Object.entries(PAGES)
    .map(([key, p]) => `<a href="${p.path}"${key === current ? ' aria-current="page"' : ''}>${esc(p.nav)}</a>`)
    .join('');
  const sourceLinks = sources.map(([file, label]) => `<a href="/source/${esc(file)}">${esc(label)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${esc(PAGES[current].title)} · Northwind Coffee (Cardvault demo)</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/styles.css">
${configMeta(ctx)}
${head}
</head>
<body>
<a class="skip-link" href="#main">Skip to checkout</a>
<header class="site-header">
  <div class="test-banner" role="note"><strong>Test mode</strong> — no real money moves. Pay with a test card below; Cardvault v${esc(ctx.sri.version)}.</div>
  <div class="wrap header-row">
    <a class="logo" href="/"><span class="logo-mark" aria-hidden="true"></span>Northwind Coffee</a>
    <nav class="demo-nav" aria-label="Demo pages">${nav}</nav>
  </div>
</header>
<main id="main" class="wrap">
${main}
${testCardTable()}
</main>
<footer class="site-footer">
  <div class="wrap">
    <p>View source: ${sourceLinks} · <a href="/source/merchant-server.mjs">merchant backend</a></p>
    <p class="muted">A Cardvault demo. Three origins: this merchant (<code>${esc(ctx.merchant)}</code>), the Cardvault CDN and card frames (<code>${esc(ctx.cdn)}</code>) and the vault (<code>${esc(ctx.vault)}</code>).</p>
  </div>
</footer>
</body>
</html>
`;
}

/** The order summary and the email / amount fields every page shares. */
function orderSummary() {
  return `<section class="panel summary" aria-labelledby="summary-title">
    <h2 id="summary-title">Order summary</h2>
    <div class="line-item">
      <span class="product-thumb" aria-hidden="true"></span>
      <div class="line-item-text"><span class="line-item-name">Single-origin beans, 1 kg</span><span class="muted">Whole bean · ships in 2 days</span></div>
    </div>
    <dl class="totals">
      <div><dt>Shipping</dt><dd>Free</dd></div>
      <div class="total"><dt>Total</dt><dd data-total>$24.00</dd></div>
    </dl>
  </section>`;
}

/** @param {string} idPrefix */
function contactFields(idPrefix = '') {
  return `<div class="field">
          <label for="${idPrefix}amount">Amount (USD)</label>
          <div class="input-affix"><span aria-hidden="true">$</span><input id="${idPrefix}amount" name="amount" type="text" inputmode="decimal" value="24.00" required autocomplete="off" aria-describedby="${idPrefix}amount-hint"></div>
          <p id="${idPrefix}amount-hint" class="hint">Any amount from $0.50 to $10,000 — it is a demo.</p>
        </div>
        <div class="field">
          <label for="${idPrefix}email">Email</label>
          <input id="${idPrefix}email" name="email" type="email" required autocomplete="email" placeholder="you@example.com" spellcheck="false">
        </div>`;
}

const RESULT = `<div class="result" data-result role="status" aria-live="polite" hidden></div>`;

/** @param {PageContext} ctx */
function checkoutPage(ctx) {
  const main = `<h1 class="page-title">Checkout</h1>
<p class="lede">The card field below is a Cardvault frame served from another origin: this page never sees the card number.</p>
<div class="checkout-grid">
  ${orderSummary()}
  <section class="panel" aria-labelledby="pay-title">
    <h2 id="pay-title">Payment</h2>
    <form id="checkout-form" class="pay-form" novalidate>
      ${contactFields()}
      <div class="field">
        <label for="name">Name on card</label>
        <input id="name" name="name" type="text" required autocomplete="cc-name" placeholder="Jane Appleseed" spellcheck="false">
      </div>
      <div class="field">
        <span class="label" id="card-label">Card</span>
        <div id="card-element" class="card-box" data-card-box aria-labelledby="card-label"><span class="card-loading">Loading secure card field…</span></div>
        <!-- Not a live region: the card frame announces its own errors (docs/accessibility.md). -->
        <p class="field-error" id="card-errors" data-card-error></p>
      </div>
      <button type="submit" class="pay-button" data-pay disabled>Pay $24.00</button>
      <p class="secure-note"><span class="lock" aria-hidden="true"></span>Card details are entered in a secure frame and sent straight to Cardvault.</p>
      ${RESULT}
    </form>
  </section>
</div>`;
  return layout('checkout', {
    ctx,
    head: `${cdnScript(ctx, 'cardvault.min.js')}\n<script type="module" src="/assets/checkout.js"></script>`,
    main,
    sources: [
      ['checkout.js', 'this page (checkout.js)'],
      ['shop.js', 'shared helpers (shop.js)'],
    ],
  });
}

/** @param {PageContext} ctx */
function spaPage(ctx) {
  const main = `<h1 class="page-title">Checkout <span class="muted-title">— split fields</span></h1>
<p class="lede">A single-page app bundled with rollup from the <code>cardvault</code> ESM package. The card fields mount on step 2 and unmount when you go back.</p>
<div class="checkout-grid">
  ${orderSummary()}
  <section class="panel" aria-labelledby="spa-step-title">
    <ol class="steps" aria-label="Checkout steps">
      <li data-step-marker="details" aria-current="step">1. Your details</li>
      <li data-step-marker="card">2. Card</li>
    </ol>
    <h2 id="spa-step-title" tabindex="-1">Your details</h2>
    <form id="details-step" class="pay-form" data-step="details" novalidate>
      ${contactFields('spa-')}
      <div class="field">
        <label for="spa-name">Name on card</label>
        <input id="spa-name" name="name" type="text" required autocomplete="cc-name" placeholder="Jane Appleseed" spellcheck="false">
      </div>
      <p class="field-error" data-details-error role="alert"></p>
      <button type="submit" class="pay-button" data-continue>Continue to card</button>
    </form>
    <form id="card-step" class="pay-form" data-step="card" novalidate hidden>
      <div class="field">
        <span class="label" id="number-label">Card number</span>
        <div id="card-number" class="card-box" data-field="cardNumber" aria-labelledby="number-label"></div>
      </div>
      <div class="field-row">
        <div class="field">
          <span class="label" id="expiry-label">Expiry</span>
          <div id="card-expiry" class="card-box" data-field="cardExpiry" aria-labelledby="expiry-label"></div>
        </div>
        <div class="field">
          <span class="label" id="cvc-label">CVC</span>
          <div id="card-cvc" class="card-box" data-field="cardCvc" aria-labelledby="cvc-label"></div>
        </div>
        <div class="field">
          <span class="label" id="postal-label">Postal code</span>
          <div id="postal-code" class="card-box" data-field="postalCode" aria-labelledby="postal-label"></div>
        </div>
      </div>
      <!-- Not a live region: each card frame announces its own errors (docs/accessibility.md). -->
      <p class="field-error" id="spa-card-errors" data-card-error></p>
      <div class="button-row">
        <button type="button" class="secondary-button" data-back>Back</button>
        <button type="submit" class="pay-button" data-pay disabled>Pay $24.00</button>
      </div>
      ${RESULT}
    </form>
  </section>
</div>`;
  return layout('spa', {
    ctx,
    head: '<script type="module" src="/spa/app.js"></script>',
    main,
    sources: [
      ['spa-main.js', 'this app (spa/main.js)'],
      ['shop.js', 'shared helpers (shop.js)'],
    ],
  });
}

/** @param {PageContext} ctx */
function reactPage(ctx) {
  const main = `<h1 class="page-title">Checkout <span class="muted-title">— React</span></h1>
<p class="lede">A React app built with the <code>cardvault/react</code> bindings and bundled with rollup: <code>&lt;CardvaultProvider&gt;</code>, <code>&lt;CardElement&gt;</code> and <code>cardvault.createToken(elements.getElement('card'))</code>.</p>
<div class="checkout-grid">
  ${orderSummary()}
  <section class="panel" aria-labelledby="pay-title">
    <h2 id="pay-title">Payment</h2>
    <div id="react-checkout"><p class="card-loading">Loading the checkout…</p></div>
  </section>
</div>`;
  return layout('react', {
    ctx,
    head: '<script type="module" src="/react/app.js"></script>',
    main,
    sources: [
      ['react-main.js', 'this app (react/main.js)'],
      ['shop.js', 'shared helpers (shop.js)'],
    ],
  });
}

/** @param {PageContext} ctx */
function directPage(ctx) {
  const main = `<h1 class="page-title">Checkout <span class="muted-title">— direct mode</span></h1>
<aside class="callout callout--warning" aria-labelledby="scope-title">
  <h2 id="scope-title">Higher PCI scope: SAQ A-EP</h2>
  <p>In direct mode the card inputs are this page's own <code>&lt;input&gt;</code> elements and this page's JavaScript reads the card number before Cardvault encrypts and tokenizes it. Your site is then in PCI DSS <strong>SAQ A-EP</strong> scope, not SAQ A. Prefer the <a href="/">card element</a> unless you must own the inputs.</p>
</aside>
<div class="checkout-grid">
  ${orderSummary()}
  <section class="panel" aria-labelledby="pay-title">
    <h2 id="pay-title">Payment</h2>
    <form id="direct-form" class="pay-form" novalidate>
      ${contactFields()}
      <div class="field">
        <label for="name">Name on card</label>
        <input id="name" name="name" type="text" required autocomplete="cc-name" placeholder="Jane Appleseed" spellcheck="false">
      </div>
      <div class="field">
        <label for="cc-number">Card number</label>
        <input id="cc-number" type="text" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" required spellcheck="false" maxlength="23">
      </div>
      <div class="field-row">
        <div class="field">
          <label for="cc-exp">Expiry</label>
          <input id="cc-exp" type="text" inputmode="numeric" autocomplete="cc-exp" placeholder="MM / YY" required spellcheck="false" maxlength="7">
        </div>
        <div class="field">
          <label for="cc-csc">CVC</label>
          <input id="cc-csc" type="text" inputmode="numeric" autocomplete="cc-csc" placeholder="123" required spellcheck="false" maxlength="4">
        </div>
      </div>
      <p class="field-error" data-card-error role="alert"></p>
      <button type="submit" class="pay-button" data-pay>Pay $24.00</button>
      ${RESULT}
    </form>
  </section>
</div>`;
  return layout('direct', {
    ctx,
    head: `${cdnScript(ctx, 'cardvault-direct.min.js')}\n<script type="module" src="/assets/direct.js"></script>`,
    main,
    sources: [
      ['direct.js', 'this page (direct.js)'],
      ['shop.js', 'shared helpers (shop.js)'],
    ],
  });
}

/**
 * @param {'checkout' | 'spa' | 'react' | 'direct'} page
 * @param {PageContext} ctx
 */
export function renderPage(page, ctx) {
  if (page === 'spa') return spaPage(ctx);
  if (page === 'react') return reactPage(ctx);
  if (page === 'direct') return directPage(ctx);
  return checkoutPage(ctx);
}

export function renderNotFound() {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Not found</title><link rel="stylesheet" href="/assets/styles.css"></head><body><main class="wrap"><h1 class="page-title">Page not found</h1><p><a href="/">Back to the checkout</a></p></main></body></html>`;
}
