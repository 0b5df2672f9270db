/**
 * End to end, in real Chromium, against the demo started in-process (three origins on free
 * ports): the `/` checkout with the combined card element, from typing a card to a charge.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECLINE_CARDS } from '../../demo/test-cards.mjs';
import {
  DECLINE_WORDS,
  cardFrame,
  fillCombinedCard,
  fillContact,
  requestsWithCardNumber,
  resultText,
  startRig,
  tabTo,
  typeInto,
  waitUntil,
  type DemoRig,
} from './demo-helpers';

let rig: DemoRig;

beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

async function openCheckout(): Promise<{ page: Page; frame: Awaited<ReturnType<typeof cardFrame>> }> {
  const page = await rig.context.newPage();
  await page.goto(`${rig.demo.urls.merchant}/`);
  const frame = await cardFrame(page, '#card-element', rig.demo.urls.cdn);
  return { page, frame };
}

const payButton = (page: Page) => page.locator('[data-pay]');

describe('demo checkout (/)', () => {
  it('serves our script pinned with the integrity from sri.json, under a strict CSP', async () => {
    const res = await fetch(`${rig.demo.urls.merchant}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'self' http:\/\/localhost:\d+/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toContain(rig.demo.secretKey);

    const page = await rig.context.newPage();
    await page.goto(`${rig.demo.urls.merchant}/`);
    const tag = await page.locator('script[src*="cardvault.min.js"]').evaluate((s: HTMLScriptElement) => ({
      src: s.src,
      integrity: s.getAttribute('integrity'),
      crossorigin: s.getAttribute('crossorigin'),
    }));
    const entry = rig.demo.sri.files['cardvault.min.js'];
    expect(entry).toBeDefined();
    expect(tag.integrity).toBe(entry?.integrity);
    expect(tag.crossorigin).toBe('anonymous');
    expect(tag.src).toBe(`${rig.demo.urls.cdn}${entry?.path}`);
    // The hash really is the file's, and the CDN serves it the way SRI needs.
    const script = await fetch(tag.src);
    expect(script.headers.get('access-control-allow-origin')).toBe('*');
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const body = Buffer.from(await script.arrayBuffer());
    expect(`sha384-${createHash('sha384').update(body).digest('base64')}`).toBe(entry?.integrity);
    expect(await page.evaluate(() => typeof (window as unknown as { Cardvault?: unknown }).Cardvault)).toBe('function');
    await page.close();
  });

  it('serves the frame document with its own strict CSP', async () => {
    const res = await fetch(`${rig.demo.urls.cdn}/v${rig.demo.version}/frame/card.en.html`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src ${rig.demo.urls.vault}`);
    expect(csp).toContain(`frame-ancestors ${rig.demo.urls.merchant}`);
    expect(csp).toContain("form-action 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('pays with 4242 4242 4242 4242 and shows Visa •••• 4242; only the token reaches the merchant', async () => {
    const before = rig.requests.length;
    const { page, frame } = await openCheckout();
    await fillContact(page);
    expect(await payButton(page).isDisabled()).toBe(true);
    await fillCombinedCard(frame, { number: '4242 4242 4242 4242' });
    await waitUntil(async () => !(await payButton(page).isDisabled()), 'Pay to be enabled');
    await payButton(page).click();
    const text = await resultText(page);
    expect(text).toContain('Payment successful');
    expect(text).toContain('Visa •••• 4242');

    const seen = rig.requests.slice(before);
    const merchant = rig.demo.urls.merchant;
    const pays = seen.filter((r) => r.url === `${merchant}/api/pay`);
    expect(pays).toHaveLength(1);
    const sent = JSON.parse(pays[0]?.postData ?? '{}') as Record<string, unknown>;
    expect(Object.keys(sent).sort()).toEqual(['amount', 'email', 'token']);
    expect(sent.token).toMatch(/^tok_/);
    expect(requestsWithCardNumber(seen, merchant)).toEqual([]);
    // Stronger: the card number is in no request at all — the frame sends it encrypted.
    expect(requestsWithCardNumber(seen)).toEqual([]);
    expect(seen.some((r) => r.url.startsWith(`${rig.demo.urls.vault}/v1/tokens`) && r.postData.includes('encrypted_card='))).toBe(true);
    expect(rig.violations).toEqual([]);
    await page.close();
  });

  it.each(DECLINE_CARDS.map((c) => [c.code ?? '', c.number] as const))('declines %s (%s) with the reason in plain words', async (code, number) => {
    const { page, frame } = await openCheckout();
    await fillContact(page);
    await fillCombinedCard(frame, { number });
    await waitUntil(async () => !(await payButton(page).isDisabled()), 'Pay to be enabled');
    await payButton(page).click();
    const text = await resultText(page);
    expect(text).not.toContain('Payment successful');
    expect(text).toMatch(DECLINE_WORDS[code] ?? /./);
    // Plain words: no raw code shown to the customer.
    expect(text).not.toContain(code);
    expect(await page.locator('[data-result]').getAttribute('class')).toContain('result--error');
    expect(rig.violations).toEqual([]);
    await page.close();
  });

  it('shows validation errors while typing and keeps Pay disabled', async () => {
    const { page, frame } = await openCheckout();
    await fillContact(page);
    const error = page.locator('[data-card-error]');
    // A Mastercard number at its full length (16) that fails the Luhn check: invalid while typing.
    await typeInto(frame, 'cc-number', '5555 5555 5555 4443');
    await waitUntil(async () => (await error.innerText()).trim() !== '', 'a card-number error');
    expect(await error.innerText()).toMatch(/card number/i);
    expect(await frame.locator('input[autocomplete="cc-number"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[data-card-box]').getAttribute('class')).toContain('is-invalid');
    expect(await payButton(page).isDisabled()).toBe(true);

    // Fixing the number clears the error; an expiry in the past raises one.
    const number = frame.locator('input[autocomplete="cc-number"]');
    await number.click();
    await number.press('End');
    await number.press('Backspace');
    await number.pressSequentially('4', { delay: 5 });
    await waitUntil(async () => (await error.innerText()).trim() === '', 'the error to clear');
    await typeInto(frame, 'cc-exp', '0120');
    // "01 / 20" could still become 01 / 20xx while typing; leaving the field settles it.
    await page.keyboard.press('Tab');
    await waitUntil(async () => (await error.innerText()).trim() !== '', 'an expiry error');
    expect(await error.innerText()).toMatch(/expir/i);
    expect(await payButton(page).isDisabled()).toBe(true);
    expect(rig.violations).toEqual([]);
    await page.close();
  });

  it('gives the frame inputs the standard autofill tokens and the frame a title', async () => {
    const { page, frame } = await openCheckout();
    for (const token of ['cc-number', 'cc-exp', 'cc-csc']) {
      expect(await frame.locator(`input[autocomplete="${token}"]`).count(), token).toBe(1);
    }
    expect(await page.locator('#name').getAttribute('autocomplete')).toBe('cc-name');
    expect(await page.locator('#email').getAttribute('autocomplete')).toBe('email');
    const title = await page.locator('#card-element iframe').getAttribute('title');
    expect(title?.trim().length ?? 0).toBeGreaterThan(0);
    await page.close();
  });

  it('checks out with the keyboard only (Tab through the fields, Enter on Pay)', async () => {
    const before = rig.requests.length;
    const page = await rig.context.newPage();
    await page.goto(`${rig.demo.urls.merchant}/`);
    await cardFrame(page, '#card-element', rig.demo.urls.cdn);
    await page.locator('body').focus();

    await tabTo(page, 'email');
    await page.keyboard.type('keys@example.com');
    await tabTo(page, 'cc-name', 2);
    await page.keyboard.type('Kay Board');
    // One Tab leaves the page for the first input of the frame.
    await tabTo(page, 'cc-number', 2);
    await page.keyboard.type('4242424242424242');
    // The frame may move on by itself once the number is complete; Tab otherwise.
    await tabTo(page, 'cc-exp', 2);
    await page.keyboard.type('1234');
    await tabTo(page, 'cc-csc', 2);
    await page.keyboard.type('123');
    const frame = page.frames().find((f) => f.url().startsWith(rig.demo.urls.cdn));
    if (frame && (await frame.locator('input[autocomplete="postal-code"]').count()) > 0) {
      await tabTo(page, 'postal-code', 2);
      await page.keyboard.type('94107');
    }
    await waitUntil(async () => !(await payButton(page).isDisabled()), 'Pay to be enabled');
    // Tab from the frame's last input lands back on the page, on Pay.
    await tabTo(page, 'pay', 3);
    await page.keyboard.press('Enter');
    const text = await resultText(page);
    expect(text).toContain('Visa •••• 4242');
    expect(requestsWithCardNumber(rig.requests.slice(before), rig.demo.urls.merchant)).toEqual([]);
    expect(rig.violations).toEqual([]);
    await page.close();
  });
});

describe('the vault and the SDK refuse a secret key in the browser', () => {
  it('Cardvault("sk_test_…") throws secret_key_in_browser', async () => {
    const page = await rig.context.newPage();
    await page.goto(`${rig.demo.urls.merchant}/`);
    const code = await page.evaluate((sk) => {
      try {
        (window as unknown as { Cardvault: (k: string) => unknown }).Cardvault(sk);
        return 'no error';
      } catch (e) {
        return (e as { code?: string }).code ?? String(e);
      }
    }, rig.demo.secretKey);
    expect(code).toBe('secret_key_in_browser');
    await page.close();
  });

  it('a fetch from a page to the secret endpoint with Bearer sk_… is refused', async () => {
    // /direct is the one page whose CSP lets it talk to the vault, so the vault is what refuses.
    const page = await rig.context.newPage();
    await page.goto(`${rig.demo.urls.merchant}/direct`);
    const outcome = await page.evaluate(
      async ({ vault, sk }) => {
        try {
          const res = await fetch(`${vault}/v1/charges`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${sk}`, 'Content-Type': 'application/x-www-form-urlencoded' },
            body: 'token=tok_browser&amount=100&currency=usd',
          });
          const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
          return { blocked: false, status: res.status, code: body?.error?.code ?? null };
        } catch (e) {
          return { blocked: true, status: 0, code: String(e) };
        }
      },
      { vault: rig.demo.urls.vault, sk: rig.demo.secretKey },
    );
    // Either CORS stops it in the browser (the vault never answers secret endpoints with CORS
    // headers) or the vault answers 403 browser_origin_refused; it never succeeds.
    if (outcome.blocked) expect(outcome.code).toMatch(/TypeError|Failed to fetch/);
    else expect(outcome).toMatchObject({ status: 403, code: 'browser_origin_refused' });
    expect(rig.violations).toEqual([]);
    await page.close();

    // What the browser would get if CORS let the request through: every browser request carries
    // an Origin header, and the vault refuses a secret key on any request that has one.
    const refused = await post(`${rig.demo.urls.vault}/v1/charges`, 'token=tok_browser&amount=100&currency=usd', {
      Authorization: `Bearer ${rig.demo.secretKey}`,
      Origin: rig.demo.urls.merchant,
    });
    expect(refused.status).toBe(403);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect((JSON.parse(refused.body) as { error: { code: string } }).error.code).toBe('browser_origin_refused');
  });
});

describe('CSP', () => {
  it('recorded zero violations in every page and frame of this suite', () => {
    expect(rig.requests.length).toBeGreaterThan(0);
    expect(rig.violations).toEqual([]);
  });

  it('no request of this suite carried a card number to the merchant origin', () => {
    expect(rig.requests.filter((r) => r.url.startsWith(rig.demo.urls.merchant)).length).toBeGreaterThan(0);
    expect(requestsWithCardNumber(rig.requests, rig.demo.urls.merchant)).toEqual([]);
  });
});

/** A raw Node request (node:http sends exactly these headers; fetch would not send Origin). */
function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url.replace('//localhost:', '//127.0.0.1:'),
      { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
