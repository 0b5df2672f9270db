/**
 * The merchant: a web site and its own small backend, on its own origin.
 *
 * This is the only process that holds the SECRET key. The browser sends it a token (never card
 * data); this server charges the token by calling the vault server-to-server with
 * `Authorization: Bearer sk_…`. The vault refuses that key on any request with an Origin header,
 * so it only works from a server like this one.
 */
import { createServer, request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { merchantCsp } from './csp.mjs';
import { renderPage, renderNotFound } from './pages.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

/** Page assets: a fixed list, so nothing outside demo/site is ever served. */
const ASSETS = {
  '/assets/styles.css': { file: here('./site/styles.css'), type: 'text/css; charset=utf-8' },
  '/assets/shop.js': { file: here('./site/shop.js'), type: 'text/javascript; charset=utf-8' },
  '/assets/checkout.js': { file: here('./site/checkout.js'), type: 'text/javascript; charset=utf-8' },
  '/assets/direct.js': { file: here('./site/direct.js'), type: 'text/javascript; charset=utf-8' },
  '/favicon.svg': { file: here('./site/favicon.svg'), type: 'image/svg+xml' },
};

/** "View source" links: each page's script and this server, as plain text. */
export const SOURCES = {
  'checkout.js': here('./site/checkout.js'),
  'spa-main.js': here('./spa/main.js'),
  'react-main.js': here('./react/main.js'),
  'direct.js': here('./site/direct.js'),
  'shop.js': here('./site/shop.js'),
  'merchant-server.mjs': here('./merchant-server.mjs'),
};

/**
 * Plain-words explanations of the processor's decline codes, for the customer. The codes are the
 * card_error codes of the shared catalogue (src/errors/catalogue.ts).
 */
export const DECLINE_MESSAGES = {
  card_declined: 'Your card was declined. Please use a different card.',
  insufficient_funds: 'Your card has insufficient funds. Please use a different card.',
  expired_card: 'Your card has expired. Please check the expiry date or use a different card.',
  incorrect_cvc: "Your card's security code is incorrect. Please check the 3 or 4 digits on the card.",
  processing_error: 'We could not process your card just now. Please try again in a moment.',
};
const GENERIC_FAILURE = 'The payment could not be completed. Your card was not charged. Please try again.';

const MAX_BODY = 4096;
const TOKEN = /^tok_[A-Za-z0-9_]{8,200}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/;

/**
 * @param {{
 *   getOrigins: () => { cdn: string, vault: string, merchant: string },
 *   vaultUrl: () => string,
 *   keys: { publishable: string, secret: string },
 *   sri: { version: string, files: Record<string, { integrity: string, path: string }> },
 *   spaBundle: () => Promise<string>,
 *   reactBundle: () => Promise<string>,
 *   log?: (line: string) => void,
 *   cspReport?: string,
 * }} config
 */
export function createMerchantServer(config) {
  const log = config.log ?? (() => {});
  return createServer((req, res) => {
    void handle(req, res).catch((error) => {
      log(`merchant: internal error ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) json(res, 500, { ok: false, code: 'internal', message: GENERIC_FAILURE });
      else res.destroy();
    });
  });

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://merchant');
    const path = url.pathname;
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');

    if (path === '/api/pay') {
      if (req.method !== 'POST') return json(res, 405, { ok: false, code: 'method_not_allowed', message: 'Use POST.' });
      return pay(req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
      return;
    }

    const origins = config.getOrigins();
    const page = { '/': 'checkout', '/spa': 'spa', '/react': 'react', '/direct': 'direct' }[path];
    if (page) {
      const html = renderPage(page, { ...origins, keys: { publishable: config.keys.publishable }, sri: config.sri });
      // Direct mode calls the vault from the page itself; the iframe pages never do.
      const csp = merchantCsp({ cdn: origins.cdn, vault: page === 'direct' ? origins.vault : undefined, report: config.cspReport });
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': csp,
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : html);
      return;
    }
    const bundle = { '/spa/app.js': config.spaBundle, '/react/app.js': config.reactBundle }[path];
    if (bundle) {
      const code = await bundle();
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : code);
      return;
    }
    const asset = ASSETS[/** @type {keyof typeof ASSETS} */ (path)];
    if (asset) {
      res.writeHead(200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : readFileSync(asset.file));
      return;
    }
    if (path.startsWith('/source/')) {
      const file = SOURCES[/** @type {keyof typeof SOURCES} */ (path.slice('/source/'.length))];
      if (file) {
        res.writeHead(200, {
          'Content-Type': 'text/plain; charset=utf-8',
          'Content-Security-Policy': "default-src 'none'",
          'Cache-Control': 'no-cache',
        });
        res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
        return;
      }
    }
    res.writeHead(404, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': merchantCsp({ cdn: origins.cdn, report: config.cspReport }),
    });
    res.end(renderNotFound());
  }

  /**
   * POST /api/pay { token, amount, email } -> { ok, brand, last4 } | { ok: false, code, message }.
   * Accepts exactly these three fields: card data is never something this server takes.
   * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
   */
  async function pay(req, res) {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      return json(res, 415, { ok: false, code: 'unsupported_media_type', message: 'Send JSON.' });
    }
    const raw = await readBody(req, MAX_BODY);
    if (raw === null) return json(res, 413, { ok: false, code: 'body_too_large', message: 'Request too large.' });
    /** @type {unknown} */
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      return json(res, 400, { ok: false, code: 'body_malformed', message: 'The request was not valid JSON.' });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return json(res, 400, { ok: false, code: 'body_malformed', message: 'Expected a JSON object.' });
    }
    const { token, amount, email, ...rest } = /** @type {Record<string, unknown>} */ (body);
    if (Object.keys(rest).length > 0) {
      return json(res, 400, { ok: false, code: 'parameter_unknown', message: 'Only token, amount and email are accepted.' });
    }
    if (typeof token !== 'string' || !TOKEN.test(token)) {
      return json(res, 400, { ok: false, code: 'parameter_invalid', message: 'A valid card token is required.' });
    }
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 50 || amount > 1_000_000) {
      return json(res, 400, { ok: false, code: 'parameter_invalid', message: 'The amount must be between $0.50 and $10,000.00.' });
    }
    if (typeof email !== 'string' || !EMAIL.test(email)) {
      return json(res, 400, { ok: false, code: 'parameter_invalid', message: 'A valid email address is required.' });
    }

    // One token pays for one order: keyed by the token, a repeated /api/pay (a double submit, a
    // retry after a lost response) gets the first charge's answer instead of token_already_used.
    const charge = await vaultPost(config.vaultUrl(), '/v1/charges', config.keys.secret, {
      token,
      amount: String(amount),
      currency: 'usd',
      description: `Demo order for ${email}`,
    }, `pay-${token}`);
    const { status, data } = charge;
    const card = data?.card ?? {};
    if (status === 200 && data?.status === 'succeeded') {
      log(`merchant: charged ${data.id ?? '(charge)'} ${card.brand ?? ''} •••• ${card.last4 ?? ''} ${amount}¢`);
      return json(res, 200, { ok: true, brand: card.brand ?? null, last4: card.last4 ?? null, amount, charge: data.id ?? null });
    }
    // A decline is HTTP 402 with a card_error code (either an error body or a failed charge).
    const code = data?.error?.code ?? data?.failure_code ?? 'payment_failed';
    const message = DECLINE_MESSAGES[/** @type {keyof typeof DECLINE_MESSAGES} */ (code)] ?? GENERIC_FAILURE;
    log(`merchant: charge failed (${status}) ${code}`);
    return json(res, status === 402 ? 402 : 400, { ok: false, code, message });
  }
}

/**
 * A server-to-server form POST to the vault with the secret key. node:http sends exactly the
 * headers below — in particular no Origin header (the vault refuses secret keys when one is sent).
 * @param {string} base @param {string} path @param {string} secret @param {Record<string, string>} fields
 * @param {string} [idempotencyKey] the Idempotency-Key of the call
 * @returns {Promise<{ status: number, data: any }>}
 */
function vaultPost(base, path, secret, fields, idempotencyKey) {
  const body = new URLSearchParams(fields).toString();
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${secret}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          Accept: 'application/json',
          ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
        },
        timeout: 15_000,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          let data = null;
          try {
            data = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            /* not JSON: leave data null */
          }
          resolve({ status: res.statusCode ?? 0, data });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('vault request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** @param {import('node:http').IncomingMessage} req @param {number} limit @returns {Promise<string | null>} */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let over = false;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} body */
function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}
