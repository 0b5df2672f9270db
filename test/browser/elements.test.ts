/**
 * Cardvault Elements in real Chromium: the host page and the frames on different 127.0.0.1
 * origins, the frames talking to the real vault (started in-process from dist-server), the host
 * page under a strict CSP with `require-trusted-types-for 'script'`.
 *
 * Needs `npm run build` first (dist/ and dist-server/).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoAccount, silentSink, startServer, type RunningServer } from '../../server/src/index';
import { launchChromium, ROOT, serve, VERSION, htmlPage, type LaunchedBrowser, type TestServer } from './harness';

const NUMBER = '4242424242424242';
const NUMBER_FORMS = [NUMBER, '4242 4242 4242 4242', '4242%204242', '4242+4242'];

interface Violation {
  doc: string;
  directive: string;
  blocked: string;
}
interface SeenRequest {
  url: string;
  postData: string;
  fromHostPage: boolean;
}

/** The host page's own script (script-src 'self'): records messages, CSP violations, listeners, timers. */
const HOST_JS = `
window.__messages = [];
addEventListener('message', function (e) {
  var s; try { s = JSON.stringify(e.data); } catch (x) { s = String(e.data); }
  window.__messages.push(s);
});
// Counts the SDK's live window 'message' listeners and pending timers (added after the recorder).
(function () {
  var live = new Set(), add = window.addEventListener, remove = window.removeEventListener;
  window.addEventListener = function (t, fn, o) { if (t === 'message') live.add(fn); return add.call(this, t, fn, o); };
  window.removeEventListener = function (t, fn, o) { if (t === 'message') live.delete(fn); return remove.call(this, t, fn, o); };
  var timers = new Set(), st = window.setTimeout, ct = window.clearTimeout;
  window.setTimeout = function (fn, ms) {
    var id = st.call(window, function () { timers.delete(id); fn(); }, ms);
    timers.add(id); return id;
  };
  window.clearTimeout = function (id) { timers.delete(id); return ct.call(window, id); };
  window.__live = function () { return { listeners: live.size, timers: timers.size, iframes: document.querySelectorAll('iframe').length }; };
})();
`;

const HOST_HTML = (cdn: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Checkout</title>
<script src="${cdn}/v${VERSION}/cardvault.min.js"></script>
<script src="/host.js"></script>
</head><body><main>
<h1>Checkout</h1>
<div id="card"></div>
<div id="number"></div><div id="expiry"></div><div id="cvc"></div><div id="postal"></div>
</main></body></html>`;

describe('Cardvault Elements in Chromium', () => {
  let chromium: LaunchedBrowser;
  let cdn: TestServer;
  let host: TestServer;
  let vault: RunningServer;
  let publishableKey: string;
  let dataDir: string;
  let vaultUrl: string;
  const violations: Violation[] = [];
  const requests: SeenRequest[] = [];
  /** Every request the vault received, as `METHOD /path` (CORS preflights, which the page never sees, included). */
  const atVault: string[] = [];

  beforeAll(async () => {
    // Frames and the CDN bundle: one origin (as js.cardvault.dev serves both).
    cdn = await serve({ dist: true });
    dataDir = mkdtempSync(join(tmpdir(), 'cardvault-elements-'));
    // The real vault, in-process. The frames call it; the host page never does (its CSP has
    // connect-src 'none').
    vault = await startServer({ port: 0, host: '127.0.0.1', dataDir, log: silentSink });
    publishableKey = (await ensureDemoAccount(vault.vault)).publishableKey;
    vaultUrl = vault.url;
    vault.server.on('request', (req: { method?: string; url?: string }) => atVault.push(`${req.method} ${req.url}`));
    const csp = [
      "default-src 'none'",
      `script-src 'self' ${cdn.origin}`,
      "style-src 'self'",
      `frame-src ${cdn.origin}`,
      "connect-src 'none'",
      "img-src 'none'",
      "require-trusted-types-for 'script'",
      "trusted-types 'none'",
      "base-uri 'none'",
    ].join('; ');
    host = await serve({
      routes: {
        '/': htmlPage(HOST_HTML(cdn.origin), { 'Content-Security-Policy': csp }),
        '/host.js': (_req, res) => {
          res.setHeader('Content-Type', 'text/javascript');
          res.end(HOST_JS);
        },
      },
    });
    chromium = await launchChromium();
    const { context } = chromium;
    // A binding and an init script reach every frame, cross-origin ones included (CDP injection is
    // not subject to the documents' CSP), and run before the documents' own scripts.
    await context.exposeBinding('__cvCsp', (_source, v: Violation) => {
      violations.push(v);
    });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { __cvCsp(v: unknown): void }).__cvCsp({
          doc: e.documentURI,
          directive: e.violatedDirective,
          blocked: e.blockedURI,
        });
      });
    });
    context.on('request', (r) => {
      requests.push({ url: r.url(), postData: r.postData() ?? '', fromHostPage: r.frame().parentFrame() === null });
    });
  });

  afterAll(async () => {
    await chromium?.close();
    await vault?.close();
    await cdn?.close();
    await host?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function openHost(): Promise<Page> {
    const page = await chromium.context.newPage();
    await page.goto(host.url('/'));
    await page.waitForFunction(() => typeof (window as unknown as { Cardvault?: unknown }).Cardvault === 'function');
    return page;
  }

  /** Mounts elements in the page (as `window.__els[type]`) and waits for every `ready`. */
  async function mount(page: Page, mounts: Array<[type: string, selector: string]>, locale = 'en'): Promise<void> {
    await page.evaluate(
      async ({ mounts, pk, apiBase, frameOrigin, locale }) => {
        const w = window as unknown as Record<string, any>;
        w.__cv = w.Cardvault(pk, { apiBase, frameOrigin, locale });
        const elements = w.__cv.elements();
        w.__els = {};
        await Promise.all(
          mounts.map(
            ([type, selector]) =>
              new Promise<void>((ok, ko) => {
                const el = elements.create(type);
                w.__els[type] = el;
                el.on('ready', () => ok());
                el.on('loaderror', (e: { error: Error }) => ko(e.error));
                el.mount(selector);
              }),
          ),
        );
      },
      { mounts, pk: publishableKey, apiBase: vaultUrl, frameOrigin: cdn.origin, locale },
    );
  }

  function frameOf(page: Page, type: string): Frame {
    const f = page.frames().find((fr) => fr.url().startsWith(cdn.origin) && new URLSearchParams(new URL(fr.url()).hash.slice(1)).get('type') === type);
    if (!f) throw new Error(`no ${type} frame`);
    return f;
  }

  async function typeInto(frame: Frame, autocomplete: string, text: string) {
    const input = frame.locator(`input[autocomplete="${autocomplete}"]`);
    await input.click();
    await input.pressSequentially(text, { delay: 5 });
  }

  /** Fills the four split fields with a valid test card. */
  async function fillSplit(page: Page, from: 'cardNumber' | 'cardExpiry' = 'cardNumber') {
    const fields: Array<[string, string, string]> = [
      ['cardNumber', 'cc-number', NUMBER],
      ['cardExpiry', 'cc-exp', '1234'],
      ['cardCvc', 'cc-csc', '123'],
      ['postalCode', 'postal-code', '94107'],
    ];
    for (const [type, token, text] of fields.slice(from === 'cardNumber' ? 0 : 1)) await typeInto(frameOf(page, type), token, text);
  }

  /** `createToken(window.__els[type])` in the page: the token, or `{ error: { code, message } }`. */
  const createTokenFor = (page: Page, type: string) =>
    page.evaluate(async (t) => {
      const w = window as unknown as Record<string, any>;
      try {
        return await w.__cv.createToken(w.__els[t]);
      } catch (e) {
        return { error: { code: (e as { code?: string }).code, message: (e as Error).message } };
      }
    }, type);

  const containsNumber = (s: string) => {
    let decoded = s;
    try {
      decoded = decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      // keep s
    }
    return NUMBER_FORMS.some((n) => s.includes(n) || decoded.includes(n));
  };

  it('types a test card in the combined element and tokenizes it: a tok_ id', async () => {
    const page = await openHost();
    await mount(page, [['card', '#card']]);
    const frame = frameOf(page, 'card');
    await typeInto(frame, 'cc-number', NUMBER);
    await typeInto(frame, 'cc-exp', '1234');
    await typeInto(frame, 'cc-csc', '123');
    if ((await frame.locator('input[autocomplete="postal-code"]').count()) > 0) await typeInto(frame, 'postal-code', '94107');
    const vaultBefore = atVault.length;
    const token = await page.evaluate(async () => {
      const w = window as unknown as Record<string, any>;
      try {
        return await w.__cv.createToken(w.__els.card, { name: 'Jenny Rosen' });
      } catch (e) {
        return { error: { code: (e as { code?: string }).code, message: (e as Error).message } };
      }
    });
    expect(token).toMatchObject({ object: 'token', card: { last4: '4242', brand: 'visa' } });
    expect((token as { id: string }).id).toMatch(/^tok_/);
    // The key set was fetched at mount: the tokenization is one request, a CORS simple request,
    // so the vault saw no preflight (OPTIONS) either.
    expect(atVault.slice(vaultBefore)).toEqual(['POST /v1/tokens']);

    // The host page cannot read the frame's DOM.
    const access = await page.evaluate(() => {
      const iframe = document.querySelector('#card iframe') as HTMLIFrameElement;
      let doc: string;
      try {
        doc = iframe.contentWindow!.document ? 'readable' : 'null';
      } catch {
        doc = 'threw';
      }
      return { contentDocument: iframe.contentDocument === null, windowDocument: doc };
    });
    expect(access).toEqual({ contentDocument: true, windowDocument: 'threw' });

    // No card number in any message the host window received, nor in any request from the host
    // page, nor (the frame encrypts it) in any request at all.
    const messages = await page.evaluate(() => (window as unknown as { __messages: string[] }).__messages);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.filter(containsNumber)).toEqual([]);
    const hostRequests = requests.filter((r) => r.fromHostPage || new URL(r.url).origin === host.origin);
    expect(hostRequests.length).toBeGreaterThan(0);
    expect(hostRequests.filter((r) => containsNumber(r.url) || containsNumber(r.postData))).toEqual([]);
    expect(requests.filter((r) => containsNumber(r.url) || containsNumber(r.postData))).toEqual([]);
    // The tokenization request itself was seen (so the check above is not vacuous): one POST, from
    // the frame, carrying the card only as a JWE and no clear card field.
    const tokenize = requests.filter((r) => new URL(r.url).pathname === '/v1/tokens');
    expect(tokenize).toHaveLength(1);
    expect(tokenize[0]!.fromHostPage).toBe(false);
    const form = new URLSearchParams(tokenize[0]!.postData);
    expect(form.get('encrypted_card')).toMatch(/^[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect([...form.keys()].filter((k) => /number|cvc|exp_/.test(k))).toEqual([]);
    await page.close();
  });

  it('split fields: autocomplete tokens, and Tab / Shift+Tab cross frames in one press', async () => {
    const page = await openHost();
    await mount(page, [
      ['cardNumber', '#number'],
      ['cardExpiry', '#expiry'],
      ['cardCvc', '#cvc'],
      ['postalCode', '#postal'],
    ]);
    const tokens: Record<string, string> = { cardNumber: 'cc-number', cardExpiry: 'cc-exp', cardCvc: 'cc-csc', postalCode: 'postal-code' };
    for (const [type, token] of Object.entries(tokens)) {
      const inputs = await frameOf(page, type).locator('input').evaluateAll((els) => els.map((e) => e.getAttribute('autocomplete')));
      expect(inputs).toEqual([token]);
    }
    const focused = async (type: string) =>
      frameOf(page, type).evaluate(() => document.hasFocus() && document.activeElement?.getAttribute('autocomplete'));
    await frameOf(page, 'cardNumber').locator('input').click();
    expect(await focused('cardNumber')).toBe('cc-number');
    await page.keyboard.press('Tab');
    expect(await focused('cardExpiry')).toBe('cc-exp');
    await page.keyboard.press('Shift+Tab');
    expect(await focused('cardNumber')).toBe('cc-number');

    // A complete number (Amex: 15 digits, its only length) advances to the expiry frame by itself.
    await typeInto(frameOf(page, 'cardNumber'), 'cc-number', '378282246310005');
    await expect.poll(() => focused('cardExpiry')).toBe('cc-exp');
    await frameOf(page, 'cardNumber').locator('input').fill('');

    // element.focus() from the host moves focus into the frame's input.
    await page.evaluate(() => (window as unknown as { __els: Record<string, { focus(): void }> }).__els.cardCvc!.focus());
    await expect.poll(() => focused('cardCvc')).toBe('cc-csc');

    // Split fields tokenize through the number frame, which gathers its siblings.
    await fillSplit(page);
    expect(await createTokenFor(page, 'cardNumber')).toMatchObject({ id: expect.stringMatching(/^tok_/) });
    await page.close();
  });

  it('split fields inside a shadow root: mount, state classes, Tab / Shift+Tab, focus() and a token', async () => {
    const page = await openHost();
    // A web-component checkout: the four boxes live in an open shadow root (a closed one behaves
    // the same for us: the merchant passes the element). A selector cannot see into it.
    const mounted = await page.evaluate(
      async ({ pk, apiBase, frameOrigin }) => {
        const w = window as unknown as Record<string, any>;
        const shadowHost = document.createElement('div');
        shadowHost.id = 'shadow-checkout';
        document.querySelector('main')!.append(shadowHost);
        const root = shadowHost.attachShadow({ mode: 'open' });
        const boxes: Record<string, HTMLDivElement> = {};
        for (const type of ['cardNumber', 'cardExpiry', 'cardCvc', 'postalCode']) {
          const box = document.createElement('div');
          box.id = `shadow-${type}`;
          root.append(box);
          boxes[type] = box;
        }
        w.__cv = w.Cardvault(pk, { apiBase, frameOrigin, locale: 'en' });
        const elements = w.__cv.elements();
        let selectorError = '';
        try {
          elements.create('cardNumber').mount('#shadow-cardNumber');
        } catch (e) {
          selectorError = (e as { code: string }).code;
        }
        elements.getElement('cardNumber').destroy();
        w.__els = {};
        w.__boxes = boxes;
        await Promise.all(
          Object.entries(boxes).map(
            ([type, box]) =>
              new Promise<void>((ok, ko) => {
                const el = elements.create(type);
                w.__els[type] = el;
                el.on('ready', () => ok());
                el.on('loaderror', (e: { error: Error }) => ko(e.error));
                el.mount(box);
              }),
          ),
        );
        // Each frame shows inside its box (it is projected there through a slot).
        const inBox = Object.values(boxes).map((box) => {
          const b = box.getBoundingClientRect();
          const slotted = box.querySelector('slot')?.assignedElements()[0];
          const f = slotted?.querySelector('iframe')?.getBoundingClientRect();
          return !!f && f.height > 0 && f.top >= b.top && f.bottom <= b.bottom && f.left >= b.left && f.right <= b.right;
        });
        return { selectorError, inBox, frames: window.frames.length };
      },
      { pk: publishableKey, apiBase: vaultUrl, frameOrigin: cdn.origin },
    );
    expect(mounted).toEqual({ selectorError: 'mount_target_missing', inBox: [true, true, true, true], frames: 4 });

    const classes = (type: string) =>
      page.evaluate((t) => [...(window as unknown as { __boxes: Record<string, HTMLElement> }).__boxes[t]!.classList].sort(), type);
    const focused = async (type: string) =>
      frameOf(page, type).evaluate(() => document.hasFocus() && document.activeElement?.getAttribute('autocomplete'));
    expect(await classes('cardNumber')).toEqual(['CardvaultElement', 'CardvaultElement--empty']);

    await frameOf(page, 'cardNumber').locator('input').click();
    expect(await focused('cardNumber')).toBe('cc-number');
    await expect.poll(() => classes('cardNumber')).toContain('CardvaultElement--focus');
    // One press per field, forwards and back, across frames that sit in the shadow tree.
    await page.keyboard.press('Tab');
    expect(await focused('cardExpiry')).toBe('cc-exp');
    await page.keyboard.press('Tab');
    expect(await focused('cardCvc')).toBe('cc-csc');
    await page.keyboard.press('Tab');
    expect(await focused('postalCode')).toBe('postal-code');
    await page.keyboard.press('Shift+Tab');
    expect(await focused('cardCvc')).toBe('cc-csc');
    await expect.poll(() => classes('cardNumber')).not.toContain('CardvaultElement--focus');

    // Auto-advance and element.focus() reach frames in the shadow tree too.
    await typeInto(frameOf(page, 'cardNumber'), 'cc-number', NUMBER);
    await expect.poll(() => focused('cardExpiry')).toBe('cc-exp');
    await expect.poll(() => classes('cardNumber')).toEqual(['CardvaultElement', 'CardvaultElement--complete']);
    await page.evaluate(() => (window as unknown as { __els: Record<string, { focus(): void }> }).__els.postalCode!.focus());
    await expect.poll(() => focused('postalCode')).toBe('postal-code');

    // The number frame finds its siblings in the shadow tree (it did not: incomplete_expiry).
    await fillSplit(page, 'cardExpiry');
    expect(await createTokenFor(page, 'postalCode')).toMatchObject({ id: expect.stringMatching(/^tok_/) });

    // Destroying leaves the shadow tree as it was.
    const left = await page.evaluate(() => {
      const w = window as unknown as Record<string, any>;
      for (const el of Object.values(w.__els) as Array<{ destroy(): void }>) el.destroy();
      const shadowHost = document.querySelector('#shadow-checkout')!;
      const root = shadowHost.shadowRoot!;
      return { hostChildren: shadowHost.children.length, shadowNodes: root.querySelectorAll('*').length, classes: [...root.querySelectorAll('[class]')].map((e) => e.className).filter(Boolean) };
    });
    expect(left).toEqual({ hostChildren: 0, shadowNodes: 4, classes: [] });
    await page.close();
  });

  it('a German element loads the German frame, which carries German strings only', async () => {
    const page = await openHost();
    await mount(page, [['card', '#card']], 'de');
    const frame = frameOf(page, 'card');
    expect(new URL(frame.url()).pathname).toBe(`/v${VERSION}/frame/card.de.html`);
    const title = 'Sicheres Zahlungsfeld: Kartennummer, Ablaufdatum, Sicherheitscode und Postleitzahl';
    expect(await frame.evaluate(() => [document.documentElement.lang, document.title])).toEqual(['de', title]);
    // The iframe element carries the frame's own title (handed over in hello): the host has no German.
    expect(await page.locator('#card iframe').getAttribute('title')).toBe(title);
    const number = frame.locator('input[autocomplete="cc-number"]');
    expect(await number.getAttribute('aria-label')).toBe('Kartennummer');
    expect(await frame.locator('input[autocomplete="cc-exp"]').getAttribute('placeholder')).toBe('MM / JJ');
    await typeInto(frame, 'cc-number', '4242');
    const error = await page.evaluate(async () => {
      const w = window as unknown as Record<string, any>;
      return w.__cv.createToken(w.__els.card).then(
        () => null,
        (e: { code: string; message: string; fields: string[] }) => ({ code: e.code, message: e.message, fields: e.fields }),
      );
    });
    expect(error).toMatchObject({ code: 'incomplete_number', message: 'Die Kartennummer ist unvollständig.' });
    expect(error?.fields.slice(0, 3)).toEqual(['number', 'exp', 'cvc']);
    // What the frame downloaded: the German bundle, without the other languages.
    const script = await (await fetch(`${cdn.origin}/v${VERSION}/frame/cardvault-frame.de.js`)).text();
    expect(script).toContain('Die Kartennummer ist unvollständig.');
    for (const other of ['Your card number is incomplete.', 'El número de la tarjeta está incompleto.', 'Le numéro de carte est incomplet.']) expect(script).not.toContain(other);
    expect(requests.some((r) => r.url.endsWith(`/v${VERSION}/frame/cardvault-frame.de.js`))).toBe(true);
    await page.close();
  });

  it('draws a visible focus ring by default, which the merchant can drop for their own', async () => {
    const page = await openHost();
    const outlineOnKeyboardFocus = async (style: unknown): Promise<string> => {
      await page.evaluate(async ({ pk, apiBase, frameOrigin, style }) => {
        const w = window as unknown as Record<string, any>;
        w.__els?.card?.destroy();
        const cv = w.Cardvault(pk, { apiBase, frameOrigin, locale: 'en' });
        const el = cv.elements().create('cardNumber', style ? { style } : {});
        w.__els = { card: el };
        await new Promise<void>((ok) => {
          el.on('ready', () => ok());
          el.mount('#number');
        });
      }, { pk: publishableKey, apiBase: vaultUrl, frameOrigin: cdn.origin, style });
      await page.locator('body').click();
      // Keyboard focus (Tab from the page), the case :focus-visible is for.
      await page.keyboard.press('Tab');
      const frame = frameOf(page, 'cardNumber');
      await frame.waitForFunction(() => document.activeElement?.tagName === 'INPUT');
      return frame.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    };
    expect(await outlineOnKeyboardFocus(undefined)).toBe('solid');
    expect(await outlineOnKeyboardFocus({ base: { ':focus-visible': { outline: 'none' } } })).toBe('none');
    await page.close();
  });

  it('axe-core finds no violations in the frame', async () => {
    const page = await openHost();
    await mount(page, [['card', '#card']]);
    const frame = frameOf(page, 'card');
    // The frame's CSP (script-src 'self') blocks addScriptTag's inline script, so axe's source is
    // evaluated through the DevTools protocol, which the document's CSP does not govern.
    const axeSource = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
    await frame.evaluate(axeSource);
    const result = await frame.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Array<{ id: string; help: string; nodes: unknown[] }> }> } }).axe;
      // Page-level rules (one main landmark, a level-one heading, content in landmarks, a bypass
      // block) are about whole pages; axe itself skips them inside frames when it scans a page, and
      // so does this scan of the frame document on its own. Every other rule runs.
      const pageLevel = ['landmark-one-main', 'page-has-heading-one', 'region', 'bypass'];
      const rules = Object.fromEntries(pageLevel.map((id) => [id, { enabled: false }]));
      const r = await axe.run(document, { resultTypes: ['violations'], rules });
      return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.length }));
    });
    expect(result).toEqual([]);
    // The iframe element itself, on the host page, has an accessible title.
    expect(await page.locator('#card iframe').getAttribute('title')).toBe('Secure payment field: Card number, Expiration date, Security code, and Postal code');
    await page.close();
  });

  it('50 mount/destroy cycles leave no iframe, listener or timer behind', async () => {
    const page = await openHost();
    const after = await page.evaluate(
      async ({ pk, apiBase, frameOrigin }) => {
        const w = window as unknown as Record<string, any>;
        const cv = w.Cardvault(pk, { apiBase, frameOrigin });
        for (let i = 0; i < 50; i++) {
          const elements = cv.elements();
          const el = elements.create(i % 2 ? 'card' : 'cardNumber');
          // Every fifth cycle: a StrictMode-style mount, unmount, mount.
          if (i % 5 === 0) {
            el.mount('#card');
            el.unmount();
          }
          await new Promise<void>((ok, ko) => {
            el.on('ready', () => ok());
            el.on('loaderror', (e: { error: Error }) => ko(e.error));
            el.mount('#card');
          });
          el.destroy();
        }
        return w.__live();
      },
      { pk: publishableKey, apiBase: vaultUrl, frameOrigin: cdn.origin },
    );
    expect(after).toEqual({ listeners: 0, timers: 0, iframes: 0 });
    await expect.poll(() => page.frames().length).toBe(1);
    await page.close();
  });

  it('records zero CSP violations in the host page and in the frames', () => {
    expect(violations).toEqual([]);
  });
});
