/**
 * Every locale's frame in real Chromium, mounted by the script-tag bundle on another origin:
 * names and titles, axe-core inside the frame document, right-to-left layout by geometry, digits
 * that stay left-to-right with a correct caret, and per-sub-field invalid state.
 *
 * Needs `npm run build` first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/frame/locales';
import { LOCALE_CODES, RTL_LOCALES } from '../../src/locale-codes';
import { htmlPage, launchChromium, ROOT, serve, VERSION, type LaunchedBrowser, type TestServer } from './harness';

const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
type AxeViolation = { id: string; impact: string | null; help: string; nodes: number };

/**
 * Runs axe-core in a document (the host page, or the frame document itself). Evaluated through the
 * DevTools protocol, so the frame's CSP (script-src 'self') does not block it.
 */
async function axe(target: Page | Frame, inFrame: boolean): Promise<AxeViolation[]> {
  await target.evaluate(AXE);
  return target.evaluate(async (inFrame) => {
    const a = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: unknown[] }> }> } }).axe;
    // Page-level rules (one main landmark, a level-one heading, content in landmarks, a bypass
    // block) are about whole pages: axe skips them inside frames when it scans a page, and so does
    // this scan of the frame document on its own. Every other rule runs.
    const pageLevel = inFrame ? ['landmark-one-main', 'page-has-heading-one', 'region', 'bypass'] : [];
    const r = await a.run(document, { resultTypes: ['violations'], iframes: false, rules: Object.fromEntries(pageLevel.map((id) => [id, { enabled: false }])) });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  }, inFrame);
}

interface Box {
  left: number;
  right: number;
  top: number;
  width: number;
}

describe('frames of every locale in Chromium', () => {
  let chromium: LaunchedBrowser;
  let cdn: TestServer;
  let host: TestServer;

  beforeAll(async () => {
    cdn = await serve({ dist: true, routes: { '/favicon.ico': htmlPage('') } });
    host = await serve({
      routes: {
        '/favicon.ico': htmlPage(''),
        '/': htmlPage(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title>
<script src="${cdn.origin}/v${VERSION}/cardvault.min.js"></script></head>
<body><main><h1>Checkout</h1><div id="card"></div></main></body></html>`),
      },
    });
    chromium = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await Promise.all([cdn?.close(), host?.close()]);
  });

  /** A page with one `card` element of `locale`, `width` CSS pixels wide; resolves once ready. */
  async function mountCard(locale: string, options: object = {}, width = 600, reducedMotion?: 'reduce'): Promise<{ page: Page; frame: Frame }> {
    const page = await chromium.context.newPage();
    if (reducedMotion) await page.emulateMedia({ reducedMotion });
    await page.setViewportSize({ width: width + 40, height: 600 });
    await page.goto(host.url('/'));
    await page.evaluate(
      async ({ locale, frameOrigin, options, width }) => {
        const w = window as unknown as Record<string, any>;
        document.getElementById('card')!.style.width = `${width}px`;
        // The API base is never called here (nothing is tokenized); the frames' key prefetch may fail.
        const cv = w.Cardvault('pk_test_abcdefghijklmnopqrstuvwx', { apiBase: frameOrigin, frameOrigin, locale });
        const el = cv.elements().create('card', options);
        await new Promise<void>((ok, ko) => {
          el.on('ready', () => ok());
          el.on('loaderror', (e: { error: Error }) => ko(e.error));
          el.mount('#card');
        });
      },
      { locale, frameOrigin: cdn.origin, options, width },
    );
    const frame = page.frames().find((f) => f.url().startsWith(cdn.origin));
    if (!frame) throw new Error('no frame');
    await frame.waitForSelector('input');
    return { page, frame };
  }

  describe.each(LOCALE_CODES.map((l) => [l]))('%s', (locale) => {
    it('names the iframe and the frame in its language, and axe finds nothing, empty and in error', async () => {
      const { page, frame } = await mountCard(locale);
      const title = await page.locator('#card iframe').getAttribute('title');
      for (const key of ['label.number', 'label.expiry', 'label.cvc', 'label.postal_code'] as const) expect(title).toContain(t(locale, key));
      expect(title).toContain(t(locale, 'title').split('%')[0]!.trim());
      const doc = await frame.evaluate(() => ({ title: document.title, lang: document.documentElement.lang, dir: document.documentElement.dir }));
      expect(doc).toEqual({ title, lang: locale, dir: RTL_LOCALES.includes(locale) ? 'rtl' : 'ltr' });
      const labels = await frame.locator('input').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      expect(labels).toEqual((['label.number', 'label.expiry', 'label.cvc', 'label.postal_code'] as const).map((k) => t(locale, k)));

      expect(await axe(page, false)).toEqual([]);
      expect(await axe(frame, true)).toEqual([]);
      // "1" cannot start a card number: the error shows at once, in this locale.
      await frame.locator('input[autocomplete="cc-number"]').pressSequentially('1');
      await expect.poll(() => frame.locator('#cv-error').textContent()).toBe(t(locale, 'invalid_number'));
      expect(await axe(frame, true)).toEqual([]);
      await page.close();
    });
  });

  it('names the iframe and the frame document with every shown input, postal code included', async () => {
    const { page, frame } = await mountCard('en');
    const title = await page.locator('#card iframe').getAttribute('title');
    for (const label of ['Card number', 'Expiration date', 'Security code', 'Postal code']) expect(title).toContain(label);
    expect(await frame.evaluate(() => document.title)).toBe(title);
    await page.close();
    // Without the postal input, the title does not promise one.
    const hidden = await mountCard('en', { hidePostalCode: true });
    expect(await hidden.frame.evaluate(() => document.title)).not.toContain('Postal code');
    expect(await hidden.frame.evaluate(() => document.title)).toContain('Security code');
    await hidden.page.close();
  });

  it('marks only the invalid sub-field of the combined card invalid', async () => {
    const { page, frame } = await mountCard('en', { style: { base: { color: 'rgb(1, 2, 3)' }, invalid: { color: 'rgb(200, 0, 0)', iconColor: 'rgb(200, 0, 0)' } } });
    await frame.locator('input[autocomplete="cc-number"]').pressSequentially('4242424242424242');
    // "00" cannot be a month: the expiry is invalid at once.
    await frame.locator('input[autocomplete="cc-exp"]').pressSequentially('00');
    const state = () =>
      frame.evaluate(() =>
        Object.fromEntries(
          [...document.querySelectorAll<HTMLElement>('input, .cv-brand')].map((el) => [el.getAttribute('autocomplete') ?? 'icon', { color: getComputedStyle(el).color, invalid: el.getAttribute('aria-invalid') }]),
        ),
      );
    await expect.poll(async () => (await state())['cc-exp']!.invalid).toBe('true');
    const s = await state();
    expect(s['cc-exp']).toEqual({ color: 'rgb(200, 0, 0)', invalid: 'true' });
    expect(s['cc-number']).toEqual({ color: 'rgb(1, 2, 3)', invalid: 'false' });
    expect(s['cc-csc']!.color).toBe('rgb(1, 2, 3)');
    expect(s['postal-code']!.color).toBe('rgb(1, 2, 3)');
    // The icon belongs to the number, which is fine.
    expect(s.icon!.color).not.toBe('rgb(200, 0, 0)');
    // An invalid number does turn the number and its icon red.
    await frame.locator('input[autocomplete="cc-number"]').fill('1');
    await expect.poll(async () => (await state()).icon!.color).toBe('rgb(200, 0, 0)');
    expect((await state())['cc-number']!.color).toBe('rgb(200, 0, 0)');
    await page.close();
  });

  /** Boxes of the icon and every input, in the frame's own coordinates, and the frame's width. */
  const layout = (frame: Frame) =>
    frame.evaluate(() => {
      const box = (el: Element): Box => {
        const r = el.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, width: r.width };
      };
      const out: Record<string, Box> = { icon: box(document.querySelector('.cv-brand')!) };
      for (const el of document.querySelectorAll('input')) out[el.getAttribute('autocomplete')!] = box(el);
      return { width: document.documentElement.clientWidth, boxes: out };
    });

  describe.each(RTL_LOCALES.map((l) => [l]))('right to left: %s', (locale) => {
    it.each([[600], [300]])('mirrors the combined card at %ipx (icon side and field order), by geometry', async (width) => {
      const ltr = await mountCard('en', {}, width);
      const rtl = await mountCard(locale, {}, width);
      const a = await layout(ltr.frame);
      const b = await layout(rtl.frame);
      expect(b.width).toBe(a.width);
      for (const [name, box] of Object.entries(a.boxes)) {
        const mirrored = b.boxes[name]!;
        // The right-to-left box is the left-to-right one reflected in the frame's vertical axis.
        expect(Math.abs(mirrored.left - (a.width - box.right)), `${name} left`).toBeLessThanOrEqual(1);
        expect(Math.abs(mirrored.width - box.width), `${name} width`).toBeLessThanOrEqual(1);
        expect(Math.abs(mirrored.top - box.top), `${name} top`).toBeLessThanOrEqual(1);
      }
      if (width === 600) {
        // One row, read from the right: icon, number, expiry, CVC, postal code.
        const order = ['icon', 'cc-number', 'cc-exp', 'cc-csc', 'postal-code'].map((n) => b.boxes[n]!.right);
        expect([...order].sort((x, y) => y - x)).toEqual(order);
        expect(b.boxes.icon!.right).toBeGreaterThan(b.width - 40);
      }
      await ltr.page.close();
      await rtl.page.close();
    });

    it('keeps card digits left to right with the caret in place; the postal code follows the locale', async () => {
      const { page, frame } = await mountCard(locale);
      const dirs = await frame.locator('input').evaluateAll((els) => els.map((e) => [e.getAttribute('autocomplete'), getComputedStyle(e).direction]));
      expect(dirs).toEqual([['cc-number', 'ltr'], ['cc-exp', 'ltr'], ['cc-csc', 'ltr'], ['postal-code', 'rtl']]);
      const number = frame.locator('input[autocomplete="cc-number"]');
      await number.click();
      await number.pressSequentially('42424242');
      expect(await number.inputValue()).toBe('4242 4242');
      // Typing in the middle: the space the formatter inserts is stepped over, the caret stays after the new digit.
      await number.evaluate((el: HTMLInputElement) => el.setSelectionRange(2, 2));
      await page.keyboard.type('1');
      expect(await number.inputValue()).toBe('4214 2424 2');
      expect(await number.evaluate((el: HTMLInputElement) => el.selectionStart)).toBe(3);
      // Backspace right after a space deletes the digit before it.
      await number.evaluate((el: HTMLInputElement) => el.setSelectionRange(5, 5));
      await page.keyboard.press('Backspace');
      expect(await number.inputValue()).toBe('4212 4242');
      expect(await number.evaluate((el: HTMLInputElement) => el.selectionStart)).toBe(3);
      await page.close();
    });
  });

  it('drops a host transition when the customer asks for reduced motion', async () => {
    const style = { base: { color: 'rgb(1, 2, 3)', transition: 'color 0.4s ease' } };
    const moving = await mountCard('en', { style });
    const duration = (frame: Frame) => frame.locator('input[autocomplete="cc-number"]').evaluate((el) => getComputedStyle(el).transitionDuration);
    expect(await duration(moving.frame)).toBe('0.4s');
    await moving.page.close();
    const still = await mountCard('en', { style }, 600, 'reduce');
    expect(await still.frame.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches)).toBe(true);
    expect(await duration(still.frame)).toBe('0s');
    await still.page.close();
  });

  it('turns Arabic-Indic and full-width digits into ASCII digits as they are typed', async () => {
    const { page, frame } = await mountCard('ar');
    const number = frame.locator('input[autocomplete="cc-number"]');
    await number.click();
    await page.keyboard.insertText('٤٢٤٢٤٢٤٢');
    await page.keyboard.insertText('４２４２４２４２');
    expect(await number.inputValue()).toBe('4242 4242 4242 4242');
    // A complete number moves on to the expiry, typed in Eastern Arabic-Indic digits.
    await expect.poll(() => frame.evaluate(() => document.activeElement?.getAttribute('autocomplete'))).toBe('cc-exp');
    await page.keyboard.insertText('۱۲۳۴');
    expect(await frame.locator('input[autocomplete="cc-exp"]').inputValue()).toBe('12 / 34');
    await page.close();
  });
});
