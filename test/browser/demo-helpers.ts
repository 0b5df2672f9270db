/**
 * Helpers of the demo's end-to-end suites: the demo started in-process on free ports with a
 * throwaway vault data dir, Chromium, and recorders for every request and every CSP violation
 * in the page and all of its frames.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { startDemo, type Demo } from '../../demo/servers.mjs';
import { TEST_CARDS } from '../../demo/test-cards.mjs';
import { launchChromium, type LaunchedBrowser } from './harness';

export interface SeenRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  postData: string;
}

export interface CspViolation {
  documentURI: string;
  violatedDirective: string;
  blockedURI: string;
}

export interface DemoRig {
  demo: Demo;
  browser: LaunchedBrowser;
  context: BrowserContext;
  /** Every request any page or frame made, in order. */
  requests: SeenRequest[];
  /** Every `securitypolicyviolation` event, from pages and frames alike. */
  violations: CspViolation[];
  close(): Promise<void>;
}

/** Starts the demo (ports 0, fresh data dir) and Chromium with request and CSP recorders. */
export async function startRig(): Promise<DemoRig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cardvault-demo-e2e-'));
  let demo: Demo | undefined;
  let browser: LaunchedBrowser | undefined;
  try {
    demo = await startDemo({ ports: { vault: 0, cdn: 0, merchant: 0 }, dataDir, quiet: true });
    browser = await launchChromium();
    const { context } = browser;
    const requests: SeenRequest[] = [];
    const violations: CspViolation[] = [];
    // Intercepting (and passing on) every request makes Chromium report the bodies of requests
    // from cross-origin frames too, which the plain request event leaves out.
    await context.route('**/*', (route) => route.continue());
    context.on('request', (request) => {
      requests.push({ url: request.url(), method: request.method(), headers: request.headers(), postData: request.postData() ?? '' });
    });
    // A binding and an init script reach every frame, cross-origin ones included, and run before
    // the document's own scripts (CDP injection is not subject to the page's CSP).
    await context.exposeBinding('__cvDemoCsp', (_source, v: CspViolation) => {
      violations.push(v);
    });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        const report = (window as unknown as { __cvDemoCsp?: (v: unknown) => void }).__cvDemoCsp;
        report?.({ documentURI: e.documentURI, violatedDirective: e.violatedDirective, blockedURI: e.blockedURI });
      });
    });
    const b = browser;
    const d = demo;
    return {
      demo: d,
      browser: b,
      context,
      requests,
      violations,
      async close() {
        await b.close().catch(() => {});
        await d.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close().catch(() => {});
    await demo?.close().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Every test card number, as digits and as typed with spaces. */
export const CARD_NUMBER_FORMS: string[] = TEST_CARDS.flatMap((c) => [c.number, c.number.replace(/(\d{4})(?=\d)/g, '$1 ')]);

/** Requests (from `requests`) whose URL, headers or body contain a test card number, in any form. */
export function requestsWithCardNumber(requests: SeenRequest[], origin?: string): SeenRequest[] {
  return requests.filter((r) => {
    if (origin && new URL(r.url).origin !== origin) return false;
    const haystacks = [r.url, safeDecode(r.url), r.postData, safeDecode(r.postData), ...Object.values(r.headers)];
    return haystacks.some((h) => CARD_NUMBER_FORMS.some((n) => h.includes(n) || h.includes(encodeURIComponent(n))));
  });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Waits (bounded) until `check` is true. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The Cardvault frame inside a container (e.g. `#card-element`), once it is ready. */
export async function cardFrame(page: Page, container: string, cdnOrigin: string): Promise<Frame> {
  const handle = await page.waitForSelector(`${container} iframe`, { state: 'attached', timeout: 20_000 });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error(`no frame in ${container}`);
  await waitUntil(() => frame.url().startsWith(cdnOrigin), `${container} frame to load`);
  await frame.waitForSelector('input', { timeout: 20_000 });
  return frame;
}

/** Types like a person (one key at a time) into the input with this autocomplete token. */
export async function typeInto(frame: Frame, autocomplete: string, text: string): Promise<void> {
  const input = frame.locator(`input[autocomplete="${autocomplete}"]`);
  await input.click();
  await input.pressSequentially(text, { delay: 5 });
}

export interface CardEntry {
  number: string;
  /** Typed as digits: "1234" -> "12 / 34". */
  expiry?: string;
  cvc?: string;
  postal?: string;
}

/** Fills the combined card element. Fields absent from the frame (e.g. no postal code) are skipped. */
export async function fillCombinedCard(frame: Frame, card: CardEntry): Promise<void> {
  await typeInto(frame, 'cc-number', card.number);
  await typeInto(frame, 'cc-exp', card.expiry ?? '1234');
  await typeInto(frame, 'cc-csc', card.cvc ?? (card.number.length === 15 ? '1234' : '123'));
  if ((await frame.locator('input[autocomplete="postal-code"]').count()) > 0) await typeInto(frame, 'postal-code', card.postal ?? '94107');
}

/** The outcome box's text once it is shown. */
export async function resultText(page: Page, timeout = 30_000): Promise<string> {
  const box = page.locator('[data-result]:not([hidden])');
  await box.waitFor({ state: 'visible', timeout });
  return (await box.innerText()).replace(/\s+/g, ' ').trim();
}

/** Fills the merchant fields shared by `/` and `/direct`. */
export async function fillContact(page: Page, prefix = ''): Promise<void> {
  await page.fill(`#${prefix}email`, 'jane@example.com');
  await page.fill(`#${prefix}name`, 'Jane Appleseed');
}

/** The autocomplete token of the input focused anywhere (page or one of its frames), or the tag/id. */
export async function focusedField(page: Page): Promise<string> {
  for (const frame of page.frames()) {
    const found = await frame
      .evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body || el.tagName === 'IFRAME' || !document.hasFocus()) return '';
        const ac = el.getAttribute('autocomplete');
        if (ac && ac !== 'off') return ac;
        if (el.hasAttribute('data-pay')) return 'pay';
        return el.id || el.tagName.toLowerCase();
      })
      .catch(() => '');
    if (found) return found;
  }
  return '';
}

/** Presses Tab until the field `want` (autocomplete token or id) has focus; bounded. */
export async function tabTo(page: Page, want: string, maxPresses = 25): Promise<number> {
  for (let i = 0; i <= maxPresses; i++) {
    if ((await focusedField(page)) === want) return i;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${want} (last focused: ${await focusedField(page)})`);
}

/** Expected plain-words fragment of each decline code (as shown to the customer). */
export const DECLINE_WORDS: Record<string, RegExp> = {
  card_declined: /declined/i,
  insufficient_funds: /insufficient funds/i,
  expired_card: /expired/i,
  incorrect_cvc: /security code is incorrect/i,
  processing_error: /process/i,
};
