/**
 * The accessibility contract (docs/accessibility.md) on the demo's merchant pages, in real
 * Chromium: exactly one announcement per error (the frame's live region, not also the page's),
 * and focus and field borders that survive forced colours (Windows High Contrast).
 */
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardFrame, startRig, tabTo, typeInto, waitUntil, type DemoRig } from './demo-helpers';

let rig: DemoRig;

beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

/**
 * Installs a recorder of announcements in a document: every non-empty text a live region
 * (aria-live polite/assertive, or role alert/status/log) takes, as a MutationObserver sees it.
 * Runs through the DevTools protocol, so cross-origin frames and their CSP are no obstacle.
 */
async function recordAnnouncements(target: Page | Frame): Promise<void> {
  await target.evaluate(() => {
    const w = window as unknown as { __said: string[] };
    w.__said = [];
    const LIVE = '[aria-live="polite"],[aria-live="assertive"],[role="alert"],[role="status"],[role="log"]';
    const last = new Map<Element, string>();
    const scan = () => {
      for (const region of document.querySelectorAll(LIVE)) {
        if (region.getAttribute('aria-live') === 'off') continue;
        const text = (region.textContent ?? '').replace(/\s+/g, ' ').trim();
        if (text !== (last.get(region) ?? '')) {
          last.set(region, text);
          if (text) w.__said.push(text);
        }
      }
    };
    scan();
    w.__said = [];
    new MutationObserver(scan).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

const said = (target: Page | Frame) => target.evaluate(() => (window as unknown as { __said: string[] }).__said);

/** Everything announced in the page and in each of its frames, in one list. */
async function allSaid(page: Page, frames: Frame[]): Promise<string[]> {
  const out = await said(page);
  for (const f of frames) out.push(...(await said(f)));
  return out;
}

describe('one announcement per error', () => {
  it('the combined card element (/): an impossible number, then an incomplete one on blur', async () => {
    const page = await rig.context.newPage();
    await page.goto(`${rig.demo.urls.merchant}/`);
    const frame = await cardFrame(page, '#card-element', rig.demo.urls.cdn);
    await recordAnnouncements(page);
    await recordAnnouncements(frame);

    // A Mastercard number (16 digits, its only length) failing Luhn: shown at once.
    await typeInto(frame, 'cc-number', '5555555555554443');
    await waitUntil(async () => (await allSaid(page, [frame])).length > 0, 'an announcement');
    // Let the page's change handler run too, then count.
    await waitUntil(async () => (await page.locator('[data-card-error]').innerText()).trim() !== '', 'the page to show the error');
    await new Promise((r) => setTimeout(r, 300));
    expect(await allSaid(page, [frame])).toEqual(['Your card number is invalid.']);

    // Fix it to an incomplete number and leave the field: one more announcement, once.
    await frame.locator('input[autocomplete="cc-number"]').fill('4242');
    await frame.locator('input[autocomplete="cc-exp"]').click();
    await waitUntil(async () => (await allSaid(page, [frame])).length > 1, 'a second announcement');
    await new Promise((r) => setTimeout(r, 300));
    expect(await allSaid(page, [frame])).toEqual(['Your card number is invalid.', 'Your card number is incomplete.']);
    // The page still shows the message (for sighted users), it just does not announce it again.
    expect(await page.locator('[data-card-error]').innerText()).toBe('Your card number is incomplete.');
    await page.close();
  });

  it('split fields (/spa): an impossible expiry month (00) is announced once', async () => {
    const page = await rig.context.newPage();
    await page.goto(`${rig.demo.urls.merchant}/spa`);
    await page.fill('#spa-email', 'spa@example.com');
    await page.click('[data-continue]');
    await waitUntil(async () => (await page.locator('[data-step="card"] iframe').count()) === 4, 'four frames');
    const frames = await Promise.all(['#card-number', '#card-expiry', '#card-cvc', '#postal-code'].map((c) => cardFrame(page, c, rig.demo.urls.cdn)));
    await recordAnnouncements(page);
    for (const f of frames) await recordAnnouncements(f);
    await typeInto(frames[1]!, 'cc-exp', '00');
    await waitUntil(async () => (await page.locator('[data-step="card"] [data-card-error]').innerText()).trim() !== '', 'the page to show the error');
    await new Promise((r) => setTimeout(r, 300));
    expect(await allSaid(page, frames)).toEqual(["Your card's expiration month is invalid."]);
    await page.close();
  });
});

describe('visible labels', () => {
  it('name each card field with the words of its visible label (WCAG 2.5.3, Label in Name)', async () => {
    const page = await rig.context.newPage();
    await page.goto(`${rig.demo.urls.merchant}/`);
    const card = await cardFrame(page, '#card-element', rig.demo.urls.cdn);
    const visible = await page.locator('#card-label').innerText();
    expect(await card.locator('[role="group"]').getAttribute('aria-label')).toBe(visible);

    await page.goto(`${rig.demo.urls.merchant}/spa`);
    await page.fill('#spa-email', 'spa@example.com');
    await page.click('[data-continue]');
    for (const [box, label] of [['#card-number', '#number-label'], ['#card-expiry', '#expiry-label'], ['#card-cvc', '#cvc-label'], ['#postal-code', '#postal-label']] as const) {
      const frame = await cardFrame(page, box, rig.demo.urls.cdn);
      expect(await frame.locator('input').getAttribute('aria-label'), box).toBe(await page.locator(label).innerText());
    }
    await page.close();
  });
});

describe('forced colours (Windows High Contrast)', () => {
  /** The computed outline of whatever has keyboard focus in `target`. */
  const focusOutline = (target: Page | Frame) =>
    target.evaluate(() => {
      const s = getComputedStyle(document.activeElement!);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });

  it('keeps a visible focus indicator in the frame and on the page, and the card box border', async () => {
    const page = await rig.context.newPage();
    await page.emulateMedia({ forcedColors: 'active' });
    await page.goto(`${rig.demo.urls.merchant}/`);
    const frame = await cardFrame(page, '#card-element', rig.demo.urls.cdn);
    expect(await frame.evaluate(() => matchMedia('(forced-colors: active)').matches)).toBe(true);

    // The merchant's own email input, reached by keyboard.
    await page.locator('#amount').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('email');
    const emailRing = await focusOutline(page);
    expect(emailRing.style).not.toBe('none');
    expect(emailRing.width).toBeGreaterThanOrEqual(2);

    // Into the card frame by keyboard: the demo drops the frame's ring for its own box-shadow,
    // which forced colours remove, so the frame brings its ring back.
    await tabTo(page, 'cc-number');
    const ring = await focusOutline(frame);
    expect(ring.style).not.toBe('none');
    expect(ring.width).toBeGreaterThanOrEqual(2);

    // The field's box keeps a real border (not only a shadow).
    const border = await page.locator('#card-element').evaluate((el) => {
      const s = getComputedStyle(el);
      return { style: s.borderTopStyle, width: parseFloat(s.borderTopWidth) };
    });
    expect(border.style).not.toBe('none');
    expect(border.width).toBeGreaterThanOrEqual(1);
    await page.close();
  });
});
