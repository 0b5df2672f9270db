/**
 * End to end, in real Chromium: the demo's `/spa` (split fields from the ESM package, mounted and
 * unmounted across two steps), `/react` (the React bindings) and `/direct` (direct mode) pages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './harness';
import { cardFrame, fillCombinedCard, requestsWithCardNumber, resultText, startRig, typeInto, waitUntil, type DemoRig } from './demo-helpers';

let rig: DemoRig;

beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

const SPLIT = [
  ['#card-number', 'cc-number', '4242424242424242'],
  ['#card-expiry', 'cc-exp', '1234'],
  ['#card-cvc', 'cc-csc', '123'],
  ['#postal-code', 'postal-code', '94107'],
] as const;

/** What reached the merchant's server since `before`: no card number anywhere, one /api/pay of token, amount, email. */
function expectOnlyTheToken(before: number): void {
  const seen = rig.requests.slice(before);
  expect(requestsWithCardNumber(seen, rig.demo.urls.merchant)).toEqual([]);
  const pays = seen.filter((r) => r.url === `${rig.demo.urls.merchant}/api/pay`);
  expect(pays).toHaveLength(1);
  expect(Object.keys(JSON.parse(pays[0]?.postData ?? '{}') as object).sort()).toEqual(['amount', 'email', 'token']);
}

const frameCount = (page: Page) => page.locator('[data-step="card"] iframe').count();

async function detailsStep(page: Page): Promise<void> {
  await page.fill('#spa-email', 'spa@example.com');
  await page.fill('#spa-name', 'Sam Page');
  await page.click('[data-continue]');
  await waitUntil(async () => (await frameCount(page)) === SPLIT.length, 'four split-field frames');
}

describe('/spa — split fields from the ESM package', () => {
  it('is built from our ESM bundle, not the CDN script, and loads no inline script', async () => {
    const html = await (await fetch(`${rig.demo.urls.merchant}/spa`)).text();
    expect(html).toContain('<script type="module" src="/spa/app.js"></script>');
    expect(html).not.toContain('cardvault.min.js');
    const app = await (await fetch(`${rig.demo.urls.merchant}/spa/app.js`)).text();
    // Bundled by rollup: no bare `cardvault` import is left for the browser to resolve.
    expect(app).not.toMatch(/^\s*(import|export)\b[^;]*\bfrom\s*['"]cardvault['"]/m);
    expect(app.length).toBeGreaterThan(10_000); // the package is inlined
  });

  it('mounts the fields on step 2, unmounts them on Back, remounts, and pays', async () => {
    const before = rig.requests.length;
    const page = await rig.context.newPage();
    await page.goto(`${rig.demo.urls.merchant}/spa`);
    expect(await frameCount(page)).toBe(0);
    await detailsStep(page);

    // Autofill tokens on every split field, each in its own frame.
    for (const [container, token] of SPLIT) {
      const frame = await cardFrame(page, container, rig.demo.urls.cdn);
      expect(await frame.locator(`input[autocomplete="${token}"]`).count(), token).toBe(1);
    }

    // Back: the frames are gone (unmounted and destroyed), not just hidden.
    await page.click('[data-back]');
    await waitUntil(async () => (await frameCount(page)) === 0, 'frames to be removed');
    expect(await page.locator('[data-step="details"]').isVisible()).toBe(true);
    expect(await page.locator('#spa-email').inputValue()).toBe('spa@example.com');

    // Forward again: fresh frames, then pay.
    await page.click('[data-continue]');
    await waitUntil(async () => (await frameCount(page)) === SPLIT.length, 'frames to be remounted');
    const pay = page.locator('[data-step="card"] [data-pay]');
    expect(await pay.isDisabled()).toBe(true);
    for (const [container, token, text] of SPLIT) {
      const frame = await cardFrame(page, container, rig.demo.urls.cdn);
      await typeInto(frame, token, text);
    }
    await waitUntil(async () => !(await pay.isDisabled()), 'Pay to be enabled');
    // Space on the focused button pays, as a keyboard user would.
    await pay.focus();
    await page.keyboard.press('Space');
    const text = await resultText(page);
    expect(text).toContain('Visa •••• 4242');

    expect(requestsWithCardNumber(rig.requests.slice(before), rig.demo.urls.merchant)).toEqual([]);
    expect(requestsWithCardNumber(rig.requests.slice(before))).toEqual([]);
    expect(rig.violations).toEqual([]);
    await page.close();
  });

  it('shows a split-field validation error on the page', async () => {
    const page = await rig.context.newPage();
    await page.goto(`${rig.demo.urls.merchant}/spa`);
    await detailsStep(page);
    const frame = await cardFrame(page, '#card-number', rig.demo.urls.cdn);
    await typeInto(frame, 'cc-number', '5555555555554443');
    const error = page.locator('[data-step="card"] [data-card-error]');
    await waitUntil(async () => (await error.innerText()).trim() !== '', 'a card-number error');
    expect(await error.innerText()).toMatch(/card number/i);
    expect(await page.locator('[data-step="card"] [data-pay]').isDisabled()).toBe(true);
    expect(rig.violations).toEqual([]);
    await page.close();
  });
});

describe('/react — the React bindings', () => {
  it('is bundled from cardvault, cardvault/react and React, with one copy of the SDK and no inline script', async () => {
    const html = await (await fetch(`${rig.demo.urls.merchant}/react`)).text();
    expect(html).toContain('<script type="module" src="/react/app.js"></script>');
    expect(html).not.toContain('cardvault.min.js');
    const app = await (await fetch(`${rig.demo.urls.merchant}/react/app.js`)).text();
    // Nothing left for the browser to resolve: the packages and React are inlined.
    expect(app).not.toMatch(/^\s*(import|export)\b[^;]*\bfrom\s*['"][^./'"][^'"]*['"]/m);
    expect(app).toContain('CardvaultContext');
    // The bindings import the SDK rather than copy it: one error catalogue in the bundle.
    expect(app.match(/mount_target_missing:/g)).toHaveLength(1);
  });

  async function reactCheckout(page: Page, number: string): Promise<string> {
    await page.goto(`${rig.demo.urls.merchant}/react`);
    await page.fill('#react-email', 'react@example.com');
    await page.fill('#react-name', 'Rea Ct');
    const frame = await cardFrame(page, '#card-element', rig.demo.urls.cdn);
    const pay = page.locator('#react-checkout [data-pay]');
    expect(await pay.isDisabled()).toBe(true);
    await fillCombinedCard(frame, { number });
    await waitUntil(async () => !(await pay.isDisabled()), 'Pay to be enabled');
    // The SDK's state classes survive React's renders of the box.
    expect(await page.locator('#card-element').getAttribute('class')).toMatch(/\bcard-box\b.*\bCardvaultElement--complete\b/);
    await pay.click();
    return resultText(page);
  }

  it('pays with 4242 4242 4242 4242; the merchant server only gets the token', async () => {
    const before = rig.requests.length;
    const page = await rig.context.newPage();
    const text = await reactCheckout(page, '4242424242424242');
    expect(text).toContain('Visa •••• 4242 was charged $24.00');
    // One frame, mounted once.
    expect(await page.locator('#card-element iframe').count()).toBe(1);
    expect(await page.locator('#react-checkout [data-pay]').innerText()).toBe('Paid');
    expectOnlyTheToken(before);
    // The frame encrypts the card: no request of the page or its frames carried it.
    expect(requestsWithCardNumber(rig.requests.slice(before))).toEqual([]);
    expect(rig.violations).toEqual([]);
    await page.close();
  });

  it('declines 4000 0000 0000 0002 in plain words', async () => {
    const page = await rig.context.newPage();
    expect(await reactCheckout(page, '4000000000000002')).toMatch(/Payment declined.*declined/i);
    expect(await page.locator('#react-checkout [data-pay]').isDisabled()).toBe(false);
    expect(rig.violations).toEqual([]);
    await page.close();
  });
});

describe('the nav of every page links every demo page', () => {
  it.each(['/', '/spa', '/react', '/direct'])('%s', async (path) => {
    const html = await (await fetch(`${rig.demo.urls.merchant}${path}`)).text();
    const nav = html.slice(html.indexOf('<nav class="demo-nav"'), html.indexOf('</nav>'));
    expect([...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1])).toEqual(['/', '/spa', '/react', '/direct']);
    expect(nav).toContain(`href="${path}" aria-current="page"`);
  });
});

describe('/direct — direct mode', () => {
  it('is labelled as the higher-PCI-scope option and pins the direct bundle with integrity', async () => {
    const page = await rig.context.newPage();
    await page.goto(`${rig.demo.urls.merchant}/direct`);
    expect(await page.locator('.callout').innerText()).toContain('SAQ A-EP');
    const integrity = await page.locator('script[src*="cardvault-direct.min.js"]').getAttribute('integrity');
    expect(integrity).toBe(rig.demo.sri.files['cardvault-direct.min.js']?.integrity);
    await page.close();
  });

  it('pays with 4242 4242 4242 4242; the merchant server still only gets the token', async () => {
    const before = rig.requests.length;
    const page = await rig.context.newPage();
    await page.goto(`${rig.demo.urls.merchant}/direct`);
    await page.fill('#email', 'direct@example.com');
    await page.fill('#name', 'Dee Rect');
    await page.locator('#cc-number').pressSequentially('4242424242424242');
    await page.locator('#cc-exp').pressSequentially('1234');
    await page.locator('#cc-csc').pressSequentially('123');
    await page.click('[data-pay]');
    const text = await resultText(page);
    expect(text).toContain('Visa •••• 4242');
    expectOnlyTheToken(before);
    expect(rig.violations).toEqual([]);
    await page.close();
  });

  it('declines 4000 0000 0000 0002 in plain words', async () => {
    const page = await rig.context.newPage();
    await page.goto(`${rig.demo.urls.merchant}/direct`);
    await page.fill('#email', 'direct@example.com');
    await page.locator('#cc-number').pressSequentially('4000000000000002');
    await page.locator('#cc-exp').pressSequentially('1234');
    await page.locator('#cc-csc').pressSequentially('123');
    await page.click('[data-pay]');
    expect(await resultText(page)).toMatch(/declined/i);
    await page.close();
  });
});

describe('accessibility (axe-core) of the merchant pages', () => {
  const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

  it.each([
    ['/', 1280],
    ['/', 360],
    ['/spa', 360],
    ['/react', 360],
    ['/direct', 1280],
  ] as const)('%s at %ipx has no axe violations', async (path, width) => {
    const page = await rig.context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${rig.demo.urls.merchant}${path}`);
    if (path === '/' || path === '/react') await cardFrame(page, '#card-element', rig.demo.urls.cdn);
    // Evaluated through the DevTools protocol, so the page's CSP (rightly) has no say.
    await page.evaluate(AXE);
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe;
      const r = await axe.run(document, { iframes: false, resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    expect(violations).toEqual([]);
    await page.close();
  });
});
