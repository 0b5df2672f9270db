/**
 * The demo's customer flows, written once against the engine driver (driver.ts) and run in
 * Chromium, Firefox and WebKit (demo-engine-*.test.ts): paying, a decline, split fields, direct
 * mode, the keyboard alone across the frames, autofill tokens, and the formatted number with its
 * caret. Each flow drives the pages by what a customer sees and does (labels, buttons, the
 * result text), so it survives changes inside the SDK.
 *
 * The checks that Chromium alone could make from the browser side (request bodies, every CSP
 * violation of every frame) are made on the demo servers' own records instead (test mode,
 * demo/test-recorder.mjs): the same assertion in every engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo, type DemoRecords, type ReceivedRequest } from '../../../demo/servers.mjs';
import { checkNumberFits, type WidthDriver } from '../card-width';
import { CARD_NUMBER_FORMS } from '../demo-helpers';
import { launchEngine, type EngineBrowser, type EngineName, type EngineSession, type FrameSelector } from './driver';

/** Time to start the demo (two rollup builds, the vault) and a browser on a loaded 2-core machine. */
const START_TIMEOUT = 240_000;
/** One flow: a page load, a few dozen keys, one tokenization and one charge. */
const FLOW_TIMEOUT = 90_000;
/** How long a flow waits for something the customer would see. */
const SEE_TIMEOUT = 30_000;

const COMBINED = '#card-element iframe';

/** A rig: the demo in test mode, one engine, and the session of the running test. */
export interface EngineRig {
  demo: Demo;
  records: DemoRecords;
  browser: EngineBrowser;
}

/** Waits (bounded) until `check(arg)`, run in the page or in `frame`, returns true. */
export async function waitInPage<A>(s: EngineSession, check: (arg: A) => boolean, arg: A, what: string, frame?: FrameSelector, timeoutMs = SEE_TIMEOUT): Promise<void> {
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < end) {
    try {
      if (await s.evaluate(check, arg, frame)) return;
    } catch (error) {
      // A frame still loading has no document to run in yet.
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${s.engine}: timed out waiting for ${what}${lastError ? ` (${String(lastError)})` : ''}`);
}

/**
 * Waits until the card frame in `frame` has loaded its inputs. In WebKit, running script in a
 * frame (WebDriver's switch to it) moves focus into that frame: keyboard flows click a page
 * element after it to start from a known place.
 */
export async function frameReady(s: EngineSession, frame: string): Promise<void> {
  await waitInPage(s, (sel) => document.querySelector(sel) instanceof HTMLIFrameElement, frame, `${frame} in the page`);
  await waitInPage(s, () => document.querySelector('input') !== null && document.readyState === 'complete', null, `${frame} inputs`, frame);
}

/** The outcome box's text once it is shown. */
export async function resultText(s: EngineSession): Promise<string> {
  await waitInPage(s, () => { const box = document.querySelector('[data-result]'); return box instanceof HTMLElement && !box.hidden && box.innerText.trim() !== ''; }, null, 'the payment result');
  return s.evaluate(() => (document.querySelector('[data-result]') as HTMLElement).innerText.replace(/\s+/g, ' ').trim(), null);
}

/** Waits until the Pay button (the first visible one) is enabled. */
export async function payEnabled(s: EngineSession): Promise<void> {
  await waitInPage(s, () => [...document.querySelectorAll('[data-pay]')].some((b) => b instanceof HTMLButtonElement && !b.disabled && b.offsetParent !== null), null, 'Pay to be enabled');
}

/**
 * What has focus, followed into frames: an input's autocomplete token (`cc-number`), `pay` for a
 * Pay button, else the element's id. Empty when nothing does.
 *
 * Only the frame the top document names as its activeElement is entered: in WebKit, switching
 * WebDriver into another frame to ask it would move focus there. (A WebDriver click inside a
 * frame also leaves WebKit's top activeElement stale, so keyboard flows reach frames by Tab.)
 */
export async function focusedField(s: EngineSession): Promise<string> {
  const top = await s.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { frame: '', name: '' };
    if (el instanceof HTMLIFrameElement) {
      const holder = el.closest('[id]');
      return { frame: holder ? `#${holder.id} iframe` : 'iframe', name: '' };
    }
    const ac = el.getAttribute('autocomplete');
    return { frame: '', name: ac && ac !== 'off' ? ac : el.hasAttribute('data-pay') ? 'pay' : el.id || el.tagName.toLowerCase() };
  }, null);
  if (!top.frame) return top.name;
  return s.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '';
    return el.getAttribute('autocomplete') ?? el.id ?? el.tagName.toLowerCase();
  }, null, top.frame);
}

/** Presses `key` until `want` has focus; bounded, and says where focus was instead. */
export async function keyTo(s: EngineSession, want: string, key: 'Tab' | 'Shift+Tab' = 'Tab', maxPresses = 4): Promise<void> {
  const trail: string[] = [];
  for (let i = 0; i <= maxPresses; i++) {
    const now = await focusedField(s);
    if (now === want) return;
    trail.push(now || '(nothing)');
    if (i < maxPresses) await s.press(key);
  }
  throw new Error(`${s.engine}: ${key} never reached ${want}; focus went ${trail.join(' → ')}`);
}

/** Clicks the input with this autocomplete token (in `frame`, or the page) and types `text`. */
export async function typeInto(s: EngineSession, token: string, text: string, frame?: FrameSelector): Promise<void> {
  await s.click(`input[autocomplete="${token}"]`, frame);
  await s.type(text);
}

/** Fills the page's email and name fields. */
export async function fillContact(s: EngineSession, email: string, name: string, prefix = ''): Promise<void> {
  await typeInto(s, 'email', email);
  await s.click(`#${prefix}name`);
  await s.type(name);
}

/** Fills the combined card element (number, expiry, CVC, and the postal code when shown). */
export async function fillCombined(s: EngineSession, number: string): Promise<void> {
  await typeInto(s, 'cc-number', number, COMBINED);
  await typeInto(s, 'cc-exp', '1234', COMBINED);
  await typeInto(s, 'cc-csc', number.length === 15 ? '1234' : '123', COMBINED);
  const postal = await s.evaluate(() => document.querySelector('input[autocomplete="postal-code"]') !== null, null, COMBINED);
  if (postal) await typeInto(s, 'postal-code', '94107', COMBINED);
}

/** Requests in `list` whose URL, headers or body hold a test card number in any form. */
export function withCardNumber(list: readonly ReceivedRequest[]): ReceivedRequest[] {
  return list.filter((r) => {
    const headers = Object.values(r.headers).flat().filter((v): v is string => typeof v === 'string');
    const hay = [r.url, safeDecode(r.url), r.body, safeDecode(r.body), ...headers];
    return hay.some((h) => CARD_NUMBER_FORMS.some((n) => h.includes(n) || h.includes(encodeURIComponent(n))));
  });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** A URL no demo page or frame may load an image from: its CSP report proves reports arrive. */
const PROBE = 'http://127.0.0.1:9/cardvault-csp-probe.png';

/**
 * Registers the whole cross-engine demo suite for `engine`: the demo in test mode on free ports,
 * one browser, every flow, then the engine-neutral checks over the servers' records.
 */
export function defineDemoFlows(engine: EngineName): void {
  let rig: EngineRig;
  let dataDir = '';
  let session: EngineSession | undefined;
  const open = async (path: string): Promise<EngineSession> => {
    session = await rig.browser.newSession();
    await session.goto(`${rig.demo.urls.merchant}${path}`);
    return session;
  };
  /** Requests the merchant origin received since `since` (an index into the records). */
  const merchantSince = (since: number) => rig.records.requests.slice(since).filter((r) => r.origin === rig.demo.urls.merchant);
  const expectOnlyTheToken = (since: number) => {
    const seen = merchantSince(since);
    expect(withCardNumber(seen)).toEqual([]);
    const pays = seen.filter((r) => r.method === 'POST' && r.url === '/api/pay');
    expect(pays).toHaveLength(1);
    const sent = JSON.parse(pays[0]?.body ?? '{}') as Record<string, unknown>;
    expect(Object.keys(sent).sort()).toEqual(['amount', 'email', 'token']);
    expect(sent.token).toMatch(/^tok_/);
  };

  describe(`the demo in ${engine}`, () => {
    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), `cardvault-${engine}-e2e-`));
      const [demo, browser] = await Promise.allSettled([
        startDemo({ ports: { vault: 0, cdn: 0, merchant: 0 }, dataDir, quiet: true, record: true }),
        launchEngine(engine),
      ]);
      if (demo.status === 'rejected' || browser.status === 'rejected') {
        if (demo.status === 'fulfilled') await demo.value.close();
        if (browser.status === 'fulfilled') await browser.value.close();
        throw demo.status === 'rejected' ? demo.reason : (browser as PromiseRejectedResult).reason;
      }
      const records = demo.value.records;
      if (!records) throw new Error('startDemo({ record: true }) returned no records');
      rig = { demo: demo.value, records, browser: browser.value };
      console.log(`${engine}: ${rig.browser.version}`);
    }, START_TIMEOUT);
    afterEach(async () => {
      await session?.close().catch(() => {});
      session = undefined;
    });
    afterAll(async () => {
      await rig?.browser.close();
      await rig?.demo.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }, START_TIMEOUT);

    it('pays on / with 4242 4242 4242 4242; the merchant receives only the token', async () => {
      const since = rig.records.requests.length;
      const s = await open('/');
      await frameReady(s, COMBINED);
      await fillContact(s, 'jane@example.com', 'Jane Appleseed');
      await fillCombined(s, '4242424242424242');
      await payEnabled(s);
      await s.click('[data-pay]');
      const text = await resultText(s);
      expect(text).toContain('Payment successful');
      expect(text).toContain('Visa •••• 4242');
      expectOnlyTheToken(since);
    }, FLOW_TIMEOUT);

    it('declines 4000 0000 0000 0002 on / in plain words', async () => {
      const s = await open('/');
      await frameReady(s, COMBINED);
      await fillContact(s, 'jane@example.com', 'Jane Appleseed');
      await fillCombined(s, '4000000000000002');
      await payEnabled(s);
      await s.click('[data-pay]');
      const text = await resultText(s);
      expect(text).not.toContain('Payment successful');
      expect(text).toMatch(/declined/i);
      expect(text).not.toContain('card_declined');
    }, FLOW_TIMEOUT);

    it('pays with split fields on /spa, each field its own frame with its autofill token', async () => {
      const since = rig.records.requests.length;
      const s = await open('/spa');
      await fillContact(s, 'spa@example.com', 'Sam Page', 'spa-');
      await s.click('[data-continue]');
      const fields = [
        ['#card-number iframe', 'cc-number', '4242424242424242'],
        ['#card-expiry iframe', 'cc-exp', '1234'],
        ['#card-cvc iframe', 'cc-csc', '123'],
        ['#postal-code iframe', 'postal-code', '94107'],
      ] as const;
      for (const [frame] of fields) await frameReady(s, frame);
      for (const [frame, token, text] of fields) {
        expect(await s.evaluate((t) => document.querySelectorAll(`input[autocomplete="${t}"]`).length, token, frame), token).toBe(1);
        await typeInto(s, token, text, frame);
      }
      await payEnabled(s);
      await s.click('[data-step="card"] [data-pay]');
      expect(await resultText(s)).toContain('Visa •••• 4242');
      expectOnlyTheToken(since);
    }, FLOW_TIMEOUT);

    it('moves between the split-field frames with Tab and Shift+Tab, one press each', async () => {
      const s = await open('/spa');
      await fillContact(s, 'spa@example.com', 'Sam Page', 'spa-');
      await s.click('[data-continue]');
      for (const frame of ['#card-number iframe', '#card-expiry iframe', '#card-cvc iframe', '#postal-code iframe']) await frameReady(s, frame);
      // Start from the step's heading, as step 2 does (clicked, because in WebKit frameReady's
      // visits into each frame moved focus); the number field's frame is the next stop.
      await s.click('#spa-step-title');
      await keyTo(s, 'cc-number', 'Tab', 2);
      // Each field is its own frame: every press crosses from one frame document to the next.
      for (const next of ['cc-exp', 'cc-csc', 'postal-code']) await keyTo(s, next, 'Tab', 1);
      for (const back of ['cc-csc', 'cc-exp', 'cc-number']) await keyTo(s, back, 'Shift+Tab', 1);
    }, FLOW_TIMEOUT);

    it('pays in direct mode on /direct; the card still never reaches the merchant', async () => {
      const since = rig.records.requests.length;
      const s = await open('/direct');
      await waitInPage(s, () => typeof (window as unknown as { CardvaultDirect?: unknown }).CardvaultDirect === 'function', null, 'the direct bundle');
      await fillContact(s, 'direct@example.com', 'Dee Rect');
      await typeInto(s, 'cc-number', '4242424242424242');
      expect(await s.evaluate(() => (document.getElementById('cc-number') as HTMLInputElement).value, null)).toBe('4242 4242 4242 4242');
      await typeInto(s, 'cc-exp', '1234');
      await typeInto(s, 'cc-csc', '123');
      await s.click('[data-pay]');
      expect(await resultText(s)).toContain('Visa •••• 4242');
      expectOnlyTheToken(since);
    }, FLOW_TIMEOUT);

    it('checks out with the keyboard alone: Tab and Shift+Tab cross into and out of the frame, Enter pays', async () => {
      const since = rig.records.requests.length;
      const s = await open('/');
      await frameReady(s, COMBINED);
      await s.click('#email');
      await s.type('keys@example.com');
      await keyTo(s, 'cc-name', 'Tab', 1);
      await s.type('Kay Board');
      // One Tab leaves the page for the first input inside the frame…
      await keyTo(s, 'cc-number', 'Tab', 1);
      // …and Shift+Tab from there leaves the frame back to the page.
      await keyTo(s, 'cc-name', 'Shift+Tab', 1);
      await keyTo(s, 'cc-number', 'Tab', 1);
      await s.type('4242424242424242');
      // The frame may move on by itself once the number is complete; Tab otherwise.
      await keyTo(s, 'cc-exp', 'Tab', 1);
      await s.type('1234');
      await keyTo(s, 'cc-csc', 'Tab', 1);
      await s.type('123');
      const postal = await s.evaluate(() => document.querySelector('input[autocomplete="postal-code"]') !== null, null, COMBINED);
      if (postal) {
        await keyTo(s, 'postal-code', 'Tab', 1);
        await s.type('94107');
      }
      await payEnabled(s);
      // Tab from the frame's last input lands back on the page, on Pay; Shift+Tab goes back in.
      await keyTo(s, 'pay', 'Tab', 2);
      await keyTo(s, postal ? 'postal-code' : 'cc-csc', 'Shift+Tab', 2);
      await keyTo(s, 'pay', 'Tab', 2);
      await s.press('Enter');
      expect(await resultText(s)).toContain('Visa •••• 4242');
      expectOnlyTheToken(since);
    }, FLOW_TIMEOUT);

    it('gives the card inputs the standard autofill tokens and the frame a title', async () => {
      const s = await open('/');
      await frameReady(s, COMBINED);
      const tokens = await s.evaluate(() => [...document.querySelectorAll('input')].map((i) => i.getAttribute('autocomplete')), null, COMBINED);
      expect(tokens).toEqual(expect.arrayContaining(['cc-number', 'cc-exp', 'cc-csc']));
      const page = await s.evaluate(
        () => ({
          name: document.getElementById('name')?.getAttribute('autocomplete'),
          email: document.getElementById('email')?.getAttribute('autocomplete'),
          title: document.querySelector('#card-element iframe')?.getAttribute('title') ?? '',
        }),
        null,
      );
      expect(page).toMatchObject({ name: 'cc-name', email: 'email' });
      expect(page.title.trim()).not.toBe('');
    }, FLOW_TIMEOUT);

    it('formats the number as it is typed and keeps the caret where the customer types', async () => {
      const s = await open('/');
      await frameReady(s, COMBINED);
      const read = () =>
        s.evaluate(() => {
          const i = document.querySelector('input[autocomplete="cc-number"]') as HTMLInputElement;
          return { value: i.value, caret: i.selectionStart };
        }, null, COMBINED);
      await typeInto(s, 'cc-number', '42424242', COMBINED);
      expect(await read()).toEqual({ value: '4242 4242', caret: 9 });
      // Two steps left (between "4242 42" and "42"), then a digit: it lands there, the groups
      // re-form, and the caret stays right after the typed digit.
      await s.press('ArrowLeft');
      await s.press('ArrowLeft');
      await s.type('1');
      expect(await read()).toEqual({ value: '4242 4214 2', caret: 8 });
      await s.press('Backspace');
      expect(await read()).toEqual({ value: '4242 4242', caret: 7 });
      await s.press('End');
      await s.type('42424242');
      expect(await read()).toEqual({ value: '4242 4242 4242 4242', caret: 19 });
    }, FLOW_TIMEOUT);

    it('formats an American Express number 4-6-5', async () => {
      const s = await open('/');
      await frameReady(s, COMBINED);
      await typeInto(s, 'cc-number', '378282246310005', COMBINED);
      const value = await s.evaluate(() => (document.querySelector('input[autocomplete="cc-number"]') as HTMLInputElement).value, null, COMBINED);
      expect(value).toBe('3782 822463 10005');
    }, FLOW_TIMEOUT);

    it('shows a whole 19-digit number in the combined field at every width from 280 px', async () => {
      const misfits: unknown[] = [];
      for (const width of [280, 320, 375, 414, 768, 1000, 1280]) {
        // The page decides at load whether it is narrow, as a phone would: load it at each width.
        const s = session ?? (await rig.browser.newSession());
        session = s;
        await s.setViewport(width, 900);
        await s.goto(`${rig.demo.urls.merchant}/`);
        await frameReady(s, COMBINED);
        const driver: WidthDriver = {
          async setViewport() {
            // In view, as the customer sees it (Chromium renders no off-screen cross-origin frame,
            // so its animation frames never come), then laid out again: two animation frames in the
            // card frame, bounded in case an engine throttles them anyway.
            await s.evaluate((sel) => {
              document.querySelector(sel)?.scrollIntoView({ block: 'center' });
              return true;
            }, COMBINED);
            await s.evaluate(
              () => new Promise((ok) => {
                setTimeout(() => ok(false), 2000);
                requestAnimationFrame(() => requestAnimationFrame(() => ok(true)));
              }),
              null,
              COMBINED,
            );
          },
          inCardFrame: (fn, arg) => s.evaluate(fn, arg, COMBINED) as never,
        };
        const [fit] = await checkNumberFits(driver, [width]);
        const viewport = await s.evaluate(() => window.innerWidth, null);
        expect(fit!.value).toBe('4000 0000 0000 0000 006');
        if (!fit!.fits) misfits.push({ ...fit, viewport });
      }
      expect(misfits).toEqual([]);
    }, FLOW_TIMEOUT * 2);

    it('keeps every character typed at machine speed across the split fields in its own field', async () => {
      const s = await open('/spa');
      await fillContact(s, 'spa@example.com', 'Sam Page', 'spa-');
      await s.click('[data-continue]');
      const frames = { number: '#card-number iframe', expiry: '#card-expiry iframe', cvc: '#card-cvc iframe', postal: '#postal-code iframe' };
      for (const frame of Object.values(frames)) await frameReady(s, frame);
      await s.click('input[autocomplete="cc-number"]', frames.number);
      // No pause between keys: focus moves from frame to frame while the keys keep coming.
      await s.type('4242424242424242' + '1234' + '123' + '94107', 0);
      const want = { number: '4242 4242 4242 4242', expiry: '12 / 34', cvc: '123', postal: '94107' };
      const read = async () => {
        const out: Record<string, string> = {};
        for (const [name, frame] of Object.entries(frames)) out[name] = await s.evaluate(() => (document.querySelector('input') as HTMLInputElement).value, null, frame);
        return out;
      };
      // Every key has been sent when type() returns; the last focus move may still be landing.
      let got = await read();
      for (let i = 0; i < 20 && JSON.stringify(got) !== JSON.stringify(want); i++) {
        await new Promise((r) => setTimeout(r, 250));
        got = await read();
      }
      expect(got).toEqual(want);
    }, FLOW_TIMEOUT);

    it('the servers heard a CSP report from a page and a frame that broke their policy, and none from any flow', async () => {
      const s = await open('/');
      await frameReady(s, COMBINED);
      // A probe image each policy forbids (img-src 'self' data:): the report must reach its origin.
      const probe = (url: string) => {
        const img = new Image();
        img.src = url;
        return true;
      };
      await s.evaluate(probe, PROBE);
      await s.evaluate(probe, PROBE, COMBINED);
      const reported = (origin: string) => rig.records.cspReports.some((r) => r.origin === origin && r.blockedURI.includes('cardvault-csp-probe'));
      const end = Date.now() + SEE_TIMEOUT;
      while (Date.now() < end && !(reported(rig.demo.urls.merchant) && reported(rig.demo.urls.cdn))) await new Promise((r) => setTimeout(r, 100));
      expect(reported(rig.demo.urls.merchant), 'report from the merchant page').toBe(true);
      expect(reported(rig.demo.urls.cdn), 'report from the card frame').toBe(true);
      // Every other report came from a flow: there must be none.
      expect(rig.records.cspReports.filter((r) => !r.blockedURI.includes('cardvault-csp-probe'))).toEqual([]);
    }, FLOW_TIMEOUT);

    it('no request of this suite carried a card number to the merchant or the CDN', () => {
      const merchant = rig.records.requests.filter((r) => r.origin === rig.demo.urls.merchant);
      expect(merchant.filter((r) => r.url === '/api/pay').length).toBeGreaterThanOrEqual(4);
      expect(withCardNumber(merchant)).toEqual([]);
      expect(withCardNumber(rig.records.requests.filter((r) => r.origin === rig.demo.urls.cdn))).toEqual([]);
    });
  });
}
