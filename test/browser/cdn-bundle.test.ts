/**
 * The script-tag bundle, as a merchant loads it: from a second origin, pinned with the integrity
 * value from sri.json, on a page with a strict CSP.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, VERSION, htmlPage, launchChromium, serve, type LaunchedBrowser, type TestServer } from './harness';

const sri = JSON.parse(readFileSync(join(DIST, 'sri.json'), 'utf8')) as {
  files: Record<string, { integrity: string; path: string }>;
};

describe('CDN bundle in Chromium', () => {
  let chromium: LaunchedBrowser;
  let cdn: TestServer;
  let merchant: TestServer;

  beforeAll(async () => {
    chromium = await launchChromium({ hostMap: ['shop.test'] });
    cdn = await serve({ dist: true });
    const entry = sri.files['cardvault.min.js']!;
    const page = (integrity: string) => `<!doctype html><html><head><title>shop</title>
<script src="${cdn.origin}${entry.path}" integrity="${integrity}" crossorigin="anonymous"></script>
<script src="/page.js"></script></head><body><p id="out">waiting</p></body></html>`;
    const csp = `default-src 'none'; script-src 'self' ${cdn.origin}; require-trusted-types-for 'script'`;
    merchant = await serve({
      routes: {
        '/': htmlPage(page(entry.integrity), { 'Content-Security-Policy': csp }),
        '/tampered': htmlPage(page(`sha384-${'A'.repeat(64)}`), { 'Content-Security-Policy': csp }),
        '/page.js': (_req, res) => {
          res.setHeader('Content-Type', 'text/javascript');
          res.end(`window.results = {};
window.results.type = typeof Cardvault;
if (typeof Cardvault !== 'function') throw new Error('Cardvault did not load');
window.results.version = Cardvault.version;
try { Cardvault('sk_live_abcdefghijklmnopqrstuvwx'); window.results.secret = 'accepted'; }
catch (e) { window.results.secret = { name: e.name, code: e.code, type: e.type, message: e.message, guard: Cardvault.isCardvaultError(e) }; }
try { var cv = Cardvault('pk_test_abcdefghijklmnopqrstuvwx', { apiBase: 'http://127.0.0.1:9' }); window.results.test = cv.livemode; }
catch (e) { window.results.test = e.code; }
try { Cardvault('pk_live_abcdefghijklmnopqrstuvwx'); window.results.live = 'accepted'; }
catch (e) { window.results.live = e.code; }`);
        },
      },
    });
  });

  afterAll(async () => {
    await chromium?.close();
    await cdn?.close();
    await merchant?.close();
  });

  it('defines the global Cardvault factory with the built version', async () => {
    const page = await chromium.context.newPage();
    await page.goto(merchant.url('/'));
    const results = await page.evaluate(() => (window as unknown as { results: Record<string, unknown> }).results);
    expect(results.type).toBe('function');
    expect(results.version).toBe(VERSION);
    expect(results.test).toBe(false);
    await page.close();
  });

  it('refuses a secret key with a coded error, and sends nothing anywhere', async () => {
    const page = await chromium.context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${r.url()} ${r.postData() ?? ''}`));
    await page.goto(merchant.url('/'));
    const results = await page.evaluate(() => (window as unknown as { results: Record<string, unknown> }).results);
    expect(results.secret).toMatchObject({ name: 'CardvaultError', code: 'secret_key_in_browser', type: 'authentication_error', guard: true });
    expect(String((results.secret as { message: string }).message)).toMatch(/publishable key/);
    // Only the page and its two scripts were fetched; the key went nowhere.
    expect(requests.every((r) => !r.includes('sk_live'))).toBe(true);
    expect(requests).toHaveLength(3);
    await page.close();
  });

  it('accepts a live key on a secure page and refuses it on an insecure one', async () => {
    const page = await chromium.context.newPage();
    // http://127.0.0.1 is a secure context (loopback); http://shop.test is not.
    await page.goto(merchant.url('/'));
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { results: Record<string, unknown> }).results.live)).toBe('accepted');
    await page.goto(merchant.url('/').replace('127.0.0.1', 'shop.test'));
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    expect(await page.evaluate(() => (window as unknown as { results: Record<string, unknown> }).results.live)).toBe('secure_context_required');
    await page.close();
  });

  it('does not run a bundle whose bytes do not match the pinned integrity', async () => {
    const page = await chromium.context.newPage();
    await page.goto(merchant.url('/tampered'));
    const results = await page.evaluate(() => (window as unknown as { results: Record<string, unknown> }).results);
    expect(results.type).toBe('undefined');
    await page.close();
  });
});
