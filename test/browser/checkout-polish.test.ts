/**
 * Checkout polish (issue 13), in real Chromium against the demo: the combined field shows a whole
 * 19-digit number at every width from 280 px, and split fields typed at machine speed keep each
 * character in its own field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNumberFits, playwrightWidthDriver } from './card-width';
import { cardFrame, startRig, waitUntil, type DemoRig } from './demo-helpers';
import { DIST, ROOT, VERSION } from './harness';

let rig: DemoRig;

beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

const WIDTHS = [280, 320, 375, 414, 768, 1000, 1280];

describe('the combined card field', () => {
  it.each(WIDTHS)('shows a whole 19-digit number (4000 0000 0000 0000 006) at a %i px viewport', async (width) => {
    const page = await rig.context.newPage();
    // The page decides at load whether it is narrow (it hides the brand icon on phones).
    await page.setViewportSize({ width, height: 900 });
    await page.goto(rig.demo.urls.merchant);
    const frame = await cardFrame(page, '#card-element', rig.demo.urls.cdn);
    const [fit] = await checkNumberFits(playwrightWidthDriver(page, () => frame), [width]);
    expect(fit!.value).toBe('4000 0000 0000 0000 006');
    expect(fit, JSON.stringify(fit)).toMatchObject({ fits: true });
    await page.close();
  });

  it('keeps fitting when the same page is resized across every width', async () => {
    const page = await rig.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(rig.demo.urls.merchant);
    const frame = await cardFrame(page, '#card-element', rig.demo.urls.cdn);
    const fits = await checkNumberFits(playwrightWidthDriver(page, () => frame), [...WIDTHS].reverse());
    expect(fits.filter((f) => !f.fits).map((f) => JSON.stringify(f))).toEqual([]);
    await page.close();
  });
});

/** The value of the one input in the split frame mounted in `container`, read in the frame's own document. */
async function valueIn(page: Page, container: string): Promise<string> {
  const frame = await cardFrame(page, container, rig.demo.urls.cdn);
  return frame.evaluate(() => (document.querySelector('input') as HTMLInputElement).value);
}

describe('split fields typed at machine speed', () => {
  it('keep every character in its own field (number -> expiry -> CVC -> postal code, no delay)', async () => {
    const page = await rig.context.newPage();
    await page.goto(`${rig.demo.urls.merchant}/spa`);
    await page.fill('#spa-email', 'spa@example.com');
    await page.fill('#spa-name', 'Sam Page');
    await page.click('[data-continue]');
    await waitUntil(async () => (await page.locator('[data-step="card"] iframe').count()) === 4, 'four split-field frames');
    const number = await cardFrame(page, '#card-number', rig.demo.urls.cdn);
    for (const c of ['#card-expiry', '#card-cvc', '#postal-code']) await cardFrame(page, c, rig.demo.urls.cdn);
    await number.locator('input').click();
    // One keystroke after another with no pause: the focus moves between frames while keys arrive.
    await page.keyboard.type('4242424242424242' + '1234' + '123' + '94107', { delay: 0 });
    const want = { number: '4242 4242 4242 4242', expiry: '12 / 34', cvc: '123', postal: '94107' };
    const values = async () => ({
      number: await valueIn(page, '#card-number'),
      expiry: await valueIn(page, '#card-expiry'),
      cvc: await valueIn(page, '#card-cvc'),
      postal: await valueIn(page, '#postal-code'),
    });
    // Every key is dispatched once type() returns; the last focus moves may still be in flight.
    await waitUntil(async () => JSON.stringify(await values()) === JSON.stringify(want), 'the four fields to hold what was typed', 5000).catch(() => undefined);
    expect(await values()).toEqual(want);
    await page.close();
  });
});

describe('direct mode errors', () => {
  it('are tied to their fields, said once, in the frames\' words', async () => {
    const page = await rig.context.newPage();
    await page.goto(`${rig.demo.urls.merchant}/direct`);
    await page.fill('#email', 'direct@example.com');
    await page.locator('#cc-number').pressSequentially('4242');
    await page.locator('#cc-exp').pressSequentially('1234');
    await page.locator('#cc-csc').pressSequentially('1');
    await page.click('[data-pay]');
    const line = page.locator('[data-card-error]');
    await waitUntil(async () => (await line.innerText()) !== '', 'the error line');
    // The English frame's words for the first invalid field (src/frame/locales/en.ts).
    expect(await line.innerText()).toBe('Your card number is incomplete.');
    const id = await line.getAttribute('id');
    expect(id).toBeTruthy();
    const state = async (sel: string) => ({ invalid: await page.locator(sel).getAttribute('aria-invalid'), describedBy: (await page.locator(sel).getAttribute('aria-describedby')) ?? '' });
    expect(await state('#cc-number')).toEqual({ invalid: 'true', describedBy: id });
    expect(await state('#cc-csc')).toEqual({ invalid: 'true', describedBy: id });
    expect((await state('#cc-exp')).invalid).toBe('false');
    // Said once: no other live region or alert on the page carries it.
    const saying = await page.evaluate((text) => [...document.querySelectorAll('[role=alert],[role=status],[aria-live]')].filter((el) => !(el as HTMLElement).hidden && el.textContent!.includes(text)).length, 'Your card number is incomplete.');
    expect(saying).toBe(1);
    await page.close();
  });
});

describe('demo/README.md', () => {
  it('names only files the CDN serves (frame documents per locale)', () => {
    const readme = readFileSync(join(ROOT, 'demo', 'README.md'), 'utf8');
    const paths = [...readme.matchAll(/\/v\d+\.\d+\.\d+\/([\w./<>-]+)/g)].map((m) => m[1]!.replace(/\.$/, ''));
    expect(paths.length).toBeGreaterThan(0);
    const missing = paths.map((p) => p.replace('<locale>', 'en')).filter((p) => p.endsWith('.html') || p.endsWith('.js')).filter((p) => !existsSync(join(DIST, p)));
    expect(missing, `under /v${VERSION}/`).toEqual([]);
  });
});
