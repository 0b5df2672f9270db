/**
 * The frame document in real Chromium, served from its own origin with the frame CSP and embedded
 * by a page on another origin that drives the handshake itself (no host bundle involved): autofill
 * attributes, caret-preserving formatting, auto-advance, height reports, isolation from the host
 * page, sibling gathering and a tokenize call against a stub vault that decrypts the JWE.
 */
import { compactDecrypt, exportJWK, generateKeyPair } from 'jose';
import type { FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/version';
import { VERSION, htmlPage, launchChromium, serve, type LaunchedBrowser, type TestServer } from './harness';

const TYPES = ['card', 'cardNumber', 'cardExpiry', 'cardCvc'] as const;

describe('frame document in Chromium', () => {
  let chromium: LaunchedBrowser;
  let frames: TestServer;
  let host: TestServer;
  let vault: TestServer;
  let privateKey: CryptoKey;
  const decrypted: unknown[] = [];

  beforeAll(async () => {
    const pair = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
    privateKey = pair.privateKey as CryptoKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', use: 'enc', alg: 'ECDH-ES' };
    const cors = (origin: string | undefined) => ({
      'Access-Control-Allow-Origin': origin ?? '',
      Vary: 'Origin',
      'Access-Control-Expose-Headers': 'Request-Id, Retry-After',
      'Content-Type': 'application/json',
      'Request-Id': 'req_test',
    });
    vault = await serve({
      routes: {
        '/v1/encryption_keys': (req, res) => {
          res.writeHead(200, cors(req.headers.origin));
          res.end(JSON.stringify({ keys: [jwk] }));
        },
        '/v1/tokens': async (req, res, body) => {
          const form = new URLSearchParams(body);
          const { plaintext } = await compactDecrypt(form.get('encrypted_card') ?? '', privateKey);
          const card = JSON.parse(new TextDecoder().decode(plaintext)) as { number: string; exp_month: number; exp_year: number };
          decrypted.push(card);
          res.writeHead(200, cors(req.headers.origin));
          const now = Math.floor(Date.now() / 1000);
          res.end(JSON.stringify({
            id: 'tok_test123', object: 'token', livemode: false, created: now, expires_at: now + 600, used: false,
            card: { brand: 'visa', last4: card.number.slice(-4), exp_month: card.exp_month, exp_year: card.exp_year, fingerprint: 'fp' },
          }));
        },
      },
    });
    const favicon = { '/favicon.ico': htmlPage('') };
    frames = await serve({ dist: true, routes: favicon });
    const frameUrl = `${frames.origin}/v${VERSION}/frame/card.en.html`;
    const script = `
window.log = [];
window.ports = {};
window.mount = (type, group, options) => {
  const channel = 'ch_' + type + '_' + Math.random().toString(36).slice(2, 14).padEnd(12, '0');
  const f = document.createElement('iframe');
  f.id = 'f-' + type;
  f.title = type;
  // As the SDK does: the look, the credential's public part and the API base in the fragment
  // (the binding fixed at creation), the whole credential and the API base again in connect.
  const { apiBase = ${JSON.stringify(vault.origin)}, credential, ...look } = options || {};
  const cred = credential ? credential.value.replace(/\\.[^.]*$/, '') : '';
  f.src = ${JSON.stringify(frameUrl)} + '#' + new URLSearchParams({ channel, group, type, hostOrigin: location.origin, locale: 'en', options: JSON.stringify(look), cred, api: apiBase });
  window.addEventListener('message', (e) => {
    if (e.source !== f.contentWindow || e.origin !== ${JSON.stringify(frames.origin)} || e.data?.channel !== channel) return;
    window.log.push({ el: type, msg: e.data });
    if (e.data.type !== 'hello') return;
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = (m) => window.log.push({ el: type, msg: m.data });
    window.ports[type] = (kind, payload) => port1.postMessage({ source: 'cardvault', version: ${PROTOCOL_VERSION}, channel, type: kind, payload });
    f.contentWindow.postMessage({ source: 'cardvault', version: ${PROTOCOL_VERSION}, channel, type: 'connect',
      payload: { sdkVersion: ${JSON.stringify(VERSION)}, protocolVersion: ${PROTOCOL_VERSION}, options: { apiBase, credential } } }, ${JSON.stringify(frames.origin)}, [port2]);
  });
  document.body.append(f);
};`;
    host = await serve({
      routes: {
        ...favicon,
        '/': htmlPage(`<!doctype html><html><head><title>shop</title><script src="/page.js"></script></head><body></body></html>`),
        '/page.js': (_req, res) => {
          res.setHeader('Content-Type', 'text/javascript');
          res.end(script);
        },
      },
    });
    chromium = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await Promise.all([frames?.close(), host?.close(), vault?.close()]);
  });

  type Entry = { el: string; msg: { source: string; version: number; channel: string; type: string; payload: Record<string, unknown> } };
  const log = (page: Page) => page.evaluate(() => (window as unknown as { log: Entry[] }).log);
  const ofType = (entries: Entry[], type: string) => entries.filter((e) => e.msg.type === type).map((e) => e.msg);

  async function open(types: readonly string[], options?: unknown): Promise<{ page: Page; consoleErrors: string[]; frame(t: string): FrameLocator }> {
    const page = await chromium.context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(host.url('/'));
    await page.evaluate(([ts, o]) => {
      for (const t of ts as string[]) (window as unknown as { mount(t: string, g: string, o: unknown): void }).mount(t, 'group_0123456789abcdef', o);
    }, [types, options] as const);
    // Connected once the frame talks on the port (its height comes first).
    for (const t of types) await page.waitForFunction((tt) => (window as unknown as { log: Entry[] }).log.some((e) => e.el === tt && e.msg.type === 'resize'), t);
    return { page, consoleErrors, frame: (t) => page.frameLocator(`#f-${t}`) };
  }

  it('handshakes, reports an integer height and builds accessible inputs', async () => {
    const { page, frame, consoleErrors } = await open(['card']);
    const entries = await log(page);
    expect(ofType(entries, 'hello')[0]!.payload).toEqual({ sdkVersion: VERSION, protocolVersion: PROTOCOL_VERSION, title: 'Secure payment field: Card number, Expiration date, Security code, and Postal code' });
    const height = ofType(entries, 'resize').at(-1)!.payload.height as number;
    expect(Number.isInteger(height)).toBe(true);
    expect(height).toBeGreaterThan(10);
    const attrs = await frame('card').locator('input').evaluateAll((els) =>
      els.map((e) => ({ ac: e.getAttribute('autocomplete'), im: e.getAttribute('inputmode'), label: e.getAttribute('aria-label'), pattern: e.hasAttribute('pattern') })),
    );
    expect(attrs.map((a) => a.ac)).toEqual(['cc-number', 'cc-exp', 'cc-csc', 'postal-code']);
    expect(attrs.every((a) => a.label && !a.pattern)).toBe(true);
    expect(consoleErrors.join('\n')).toBe('');
    await page.close();
  });

  it('hideIcon and hidePostalCode really hide (the hidden attribute wins over the field layout)', async () => {
    const { page, frame } = await open(['card'], { hideIcon: true, hidePostalCode: true });
    expect(await frame('card').locator('.cv-brand').isVisible()).toBe(false);
    expect(await frame('card').locator('input[autocomplete="postal-code"]').count()).toBe(0);
    await page.close();
    const shown = await open(['card']);
    expect(await shown.frame('card').locator('.cv-brand').isVisible()).toBe(true);
    await shown.page.close();
  });

  it('formats with the caret in place and auto-advances inside the combined field', async () => {
    const { page, frame, consoleErrors } = await open(['card']);
    const number = frame('card').locator('.cv-input--number');
    await number.click();
    await number.pressSequentially('42424242');
    await number.evaluate((el: HTMLInputElement) => el.setSelectionRange(2, 2));
    await page.keyboard.type('1');
    expect(await number.inputValue()).toBe('4214 2424 2');
    expect(await number.evaluate((el: HTMLInputElement) => el.selectionStart)).toBe(3);
    await number.evaluate((el: HTMLInputElement) => el.setSelectionRange(5, 5));
    await page.keyboard.press('Backspace');
    expect(await number.inputValue()).toBe('4212 4242');
    await number.fill('');
    await number.pressSequentially('4242424242424242');
    expect(await number.inputValue()).toBe('4242 4242 4242 4242');
    const active = () => frame('card').locator('body').evaluate(() => document.activeElement?.className ?? '');
    expect(await active()).toContain('cv-input--expiry');
    await page.keyboard.type('1234');
    expect(await active()).toContain('cv-input--cvc');
    await page.keyboard.type('123');
    expect(await active()).toContain('cv-input--postal');
    // The host page heard events but never a digit.
    expect(JSON.stringify(await log(page))).not.toMatch(/4242|1234/);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('keeps the frame out of the host page\'s reach', async () => {
    const { page } = await open(['cardNumber']);
    await page.frameLocator('#f-cardNumber').locator('input').pressSequentially('4242424242424242');
    const probe = await page.evaluate(() => {
      const w = (document.getElementById('f-cardNumber') as HTMLIFrameElement).contentWindow as unknown as Record<string, unknown>;
      const out: string[] = [];
      for (const read of [() => (w as unknown as Window).document.body.innerHTML, () => w['__cardvault_field__'], () => (w as unknown as Window).location.href]) {
        try {
          out.push(`read:${String(read())}`);
        } catch (e) {
          out.push((e as Error).name);
        }
      }
      return out;
    });
    expect(probe).toEqual(['SecurityError', 'SecurityError', 'SecurityError']);
    await page.close();
  });

  it('gathers split siblings, shows their errors, and tokenizes through the vault', async () => {
    const keySets = () => vault.requests.filter((r) => r.url === '/v1/encryption_keys').length;
    const before = keySets();
    const { page, frame, consoleErrors } = await open(['cardNumber', 'cardExpiry', 'cardCvc'], { apiBase: vault.origin });
    // Only the number frame (which tokenizes) prefetches the vault's key, once.
    for (let i = 0; i < 40 && keySets() === before; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    expect(keySets() - before).toBe(1);
    await frame('cardNumber').locator('input').pressSequentially('4242424242424242');
    await frame('cardExpiry').locator('input').pressSequentially('1234');
    const request = (id: string) => ({
      requestId: id,
      credential: { kind: 'key', value: 'pk_test_abcdefghijklmnopqrstuvwx' },
      apiBase: vault.origin,
      timeouts: { request: 10_000, total: 20_000 },
    });
    const tokenize = (id: string) =>
      page.evaluate(async ([req]) => {
        const w = window as unknown as { ports: Record<string, (k: string, p: unknown) => void>; log: Entry[] };
        w.ports['cardNumber']!('tokenize', req);
        for (let i = 0; i < 200; i++) {
          const hit = w.log.find((e) => e.msg.type === 'tokenize-result' && e.msg.payload.requestId === (req as { requestId: string }).requestId);
          if (hit) return hit.msg.payload;
          await new Promise((r) => setTimeout(r, 50));
        }
        return null;
      }, [request(id)] as const);

    const invalid = (await tokenize('r1')) as { ok: boolean; error: { code: string; fields: string[] } };
    expect(invalid).toMatchObject({ ok: false, error: { code: 'incomplete_cvc', fields: ['cvc'] } });
    // The CVC frame (a sibling) shows its own error.
    expect(await frame('cardCvc').locator('input').getAttribute('aria-invalid')).toBe('true');

    await frame('cardCvc').locator('input').pressSequentially('123');
    const ok = (await tokenize('r2')) as { ok: boolean; token: { id: string; card: { last4: string } } };
    expect(ok).toMatchObject({ ok: true, token: { id: 'tok_test123', card: { last4: '4242' } } });
    expect(decrypted.at(-1)).toMatchObject({ number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' });
    // Card data left from the frame origin, encrypted; nothing went to the host origin.
    const post = vault.requests.find((r) => r.url === '/v1/tokens')!;
    expect(post.headers.origin).toBe(frames.origin);
    expect(post.body).not.toContain('4242');
    expect(host.requests.some((r) => r.body.includes('4242'))).toBe(false);
    expect(JSON.stringify(await log(page))).not.toContain('4242424242424242');
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("a skimmer's injected frame in the group cannot gather the card for another key", async () => {
    const MERCHANT = { kind: 'key', value: 'pk_test_merchantmerchantmerchant' };
    const ATTACKER = { kind: 'key', value: 'pk_test_attackerattackerattacker' };
    const { page, frame } = await open(['cardNumber', 'cardExpiry', 'cardCvc'], { credential: MERCHANT });
    await frame('cardNumber').locator('input').pressSequentially('4242424242424242');
    await frame('cardExpiry').locator('input').pressSequentially('1234');
    await frame('cardCvc').locator('input').pressSequentially('123');
    // A script on the page reads the group from a frame's src and adds its own frame to it.
    await page.evaluate((cred) => {
      const src = (document.querySelector('#f-cardNumber') as HTMLIFrameElement).src;
      const group = new URLSearchParams(src.split('#')[1]).get('group')!;
      (window as unknown as { mount(t: string, g: string, o: unknown): void }).mount('postalCode', group, { credential: cred });
    }, ATTACKER);
    await page.waitForFunction(() => (window as unknown as { log: Entry[] }).log.some((e) => e.el === 'postalCode' && e.msg.type === 'resize'));
    await frame('postalCode').locator('input').pressSequentially('94107');
    const tokenize = (el: string, id: string, credential: unknown) =>
      page.evaluate(async ([el, req]) => {
        const w = window as unknown as { ports: Record<string, (k: string, p: unknown) => void>; log: Entry[] };
        w.ports[el as string]!('tokenize', req);
        for (let i = 0; i < 200; i++) {
          const hit = w.log.find((e) => e.msg.type === 'tokenize-result' && e.msg.payload.requestId === (req as { requestId: string }).requestId);
          if (hit) return hit.msg.payload;
          await new Promise((r) => setTimeout(r, 50));
        }
        return null;
      }, [el, { requestId: id, credential, apiBase: vault.origin, timeouts: { request: 10_000, total: 20_000 } }] as const);
    const before = vault.requests.filter((r) => r.url === '/v1/tokens').length;

    // From its own frame, with its own key: it sees only its postal code.
    expect(await tokenize('postalCode', 's1', ATTACKER)).toMatchObject({ ok: false, error: { code: 'incomplete_number', fields: ['number', 'exp', 'cvc'] } });
    // Through a merchant frame (a hooked host SDK): that frame tokenizes only for the merchant's key.
    // The shipped frame sends codes without developer English; the host's catalogue supplies it.
    expect(await tokenize('cardNumber', 's2', ATTACKER)).toMatchObject({ ok: false, error: { code: 'credential_mismatch', message: '' } });
    expect(vault.requests.filter((r) => r.url === '/v1/tokens').length).toBe(before);

    // The merchant's own tokenization still works and does not pick up the injected field.
    expect(await tokenize('cardNumber', 'm1', MERCHANT)).toMatchObject({ ok: true });
    expect(decrypted.at(-1)).toEqual({ number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' });
    await page.close();
  });
});

