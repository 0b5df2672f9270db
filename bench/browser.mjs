// Section 3: in Chromium on localhost, three origins (host page, frame/CDN, vault):
//  a) HTTP requests per tokenization (browser-observed, and OPTIONS counted at a pass-through proxy)
//  b) createToken latency (with encryption) next to a bare CORS simple POST to the same vault
//  c) encryption alone (encryptCardPayload on a page of the frame origin)
//  d) mount-to-ready: card element, four split fields, bare cross-origin iframe(s)
// Every loop is bounded in count and in time; the ratios are computed per block of interleaved runs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latency, median, summary } from './lib/stats.mjs';
import { startCdn, startCountingProxy, startHost } from './lib/servers.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const CARD = { number: '4242424242424242', exp: '1234', cvc: '123', zip: '94107' };

/** Bundles src/crypto (what the frame ships) for a page of the frame origin. */
async function cryptoBundle(root, version) {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    stdin: { contents: `export { encryptCardPayload } from './src/crypto/index.ts';`, resolveDir: root, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'CardvaultBenchCrypto',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    define: { __CARDVAULT_VERSION__: JSON.stringify(version) },
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

const withTimeout = (p, ms, what) =>
  Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`${what}: no answer in ${ms} ms`)), ms))]);

/** Splits interleaved samples into `blocks` blocks and returns per-block ratios of p50s. */
function blockRatios(a, b, blocks) {
  const n = Math.min(a.length, b.length);
  const size = Math.max(1, Math.floor(n / blocks));
  const out = [];
  for (let i = 0; i + size <= n; i += size) out.push(median(a.slice(i, i + size)) / median(b.slice(i, i + size)));
  return out;
}

/**
 * @param {{ root: string, vault: { url: string, publishableKey: string }, deadline: number,
 *   mountRuns?: number, tokenRuns?: number, cryptoRuns?: number, log: (s: string) => void }} o
 */
export async function runBrowser({ root, vault: liveVault, vaultMissing, deadline, mountRuns = 30, tokenRuns = 50, cryptoBatches = 40, log }) {
  const started = performance.now();
  const { chromium } = await import('playwright-core');
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  const distDir = join(root, 'dist');
  for (const f of ['cardvault.min.js', 'frame/card.en.html', 'frame/cardvault-frame.en.js']) {
    if (!existsSync(join(distDir, f))) throw new Error(`dist/${f} is missing (npm run build)`);
  }
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}`);

  // Without a vault, mount-to-ready and encryption are still measured (the frame's key-set prefetch
  // then fails quietly against a closed port; encryption uses a key made in the page).
  const vault = liveVault ?? { url: 'http://127.0.0.1:9', publishableKey: `pk_test_${'0'.repeat(24)}` };
  const proxy = await startCountingProxy(vault.url);
  // The host origin goes into the frame CSP (frame-ancestors), so it starts first; its pages are
  // filled in once the CDN origin is known (startHost serves from this object by reference).
  const hostPages = {};
  const hostSrv = await startHost(hostPages);
  const bareId = 'bench-bare';
  const extra = {
    '/bench/bare.html': `<!doctype html><html><head><meta charset="utf-8"><title>bare</title><script src="/bench/bare.js" defer></script></head><body></body></html>`,
    '/bench/bare.js': `parent.postMessage({ ${JSON.stringify(bareId)}: location.hash.slice(1) }, ${JSON.stringify(hostSrv.origin)});`,
    '/bench/crypto.html': `<!doctype html><html><head><meta charset="utf-8"><title>crypto</title><script src="/bench/crypto.js"></script></head><body></body></html>`,
    '/bench/crypto.js': await cryptoBundle(root, version),
  };
  // The demo's frame policy (demo/csp.mjs), with the vault and the counting proxy allowed.
  const frameCsp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src ${vault.url} ${proxy.origin}`,
    "img-src 'self' data:",
    'font-src https:',
    `frame-ancestors ${hostSrv.origin}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const cdn2 = await startCdn({ distDir, version, extra, frameCsp });
  const frameOrigin = cdn2.origin;
  hostPages['/'] = `<!doctype html><html><head><meta charset="utf-8"><title>bench host</title>
<script src="${cdn2.origin}/v${version}/cardvault.min.js" crossorigin="anonymous"></script></head>
<body><div id="tok"></div><div id="mounts"></div></body></html>`;

  const userDataDir = mkdtempSync(join(tmpdir(), 'cardvault-bench-chromium-'));
  let context;
  const result = {};
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args: CHROMIUM_ARGS });
    try {
      result.chromium = execFileSync(executablePath, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      result.chromium = context.browser()?.version() ?? 'unknown';
    }
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e.message).slice(0, 200)));
    await page.goto(`${hostSrv.origin}/`);
    await page.waitForFunction(() => typeof window.Cardvault === 'function', null, { timeout: 10_000 });
    const cfg = { pk: vault.publishableKey, apiBase: vault.url, proxyBase: proxy.origin, frameOrigin: cdn2.origin, version, bareId };

    // ---- (d) mount-to-ready, interleaved: bare, card, split(4), bare×4 ----
    log('browser: mount-to-ready');
    const kinds = ['bare', 'card', 'split', 'bare4'];
    const mounts = Object.fromEntries(kinds.map((k) => [k, []]));
    const warm = 3;
    for (let i = 0; i < warm + mountRuns && Date.now() < deadline; i++) {
      for (const kind of kinds) {
        const ms = await withTimeout(
          page.evaluate(
            async ({ kind, cfg }) => {
              const host = document.getElementById('mounts');
              const box = document.createElement('div');
              host.append(box);
              const limit = (p) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 10000))]);
              try {
                if (kind === 'bare' || kind === 'bare4') {
                  const n = kind === 'bare' ? 1 : 4;
                  const t0 = performance.now();
                  await limit(
                    Promise.all(
                      Array.from({ length: n }, () => {
                        const id = Math.random().toString(36).slice(2);
                        return new Promise((resolve) => {
                          const on = (e) => {
                            if (e.origin === cfg.frameOrigin && e.data && e.data[cfg.bareId] === id) {
                              removeEventListener('message', on);
                              resolve();
                            }
                          };
                          addEventListener('message', on);
                          const f = document.createElement('iframe');
                          f.src = `${cfg.frameOrigin}/bench/bare.html#${id}`;
                          box.append(f);
                        });
                      }),
                    ),
                  );
                  return performance.now() - t0;
                }
                const cv = (window.__cv ??= window.Cardvault(cfg.pk, { apiBase: cfg.apiBase, frameOrigin: cfg.frameOrigin }));
                const elements = cv.elements();
                const types = kind === 'card' ? ['card'] : ['cardNumber', 'cardExpiry', 'cardCvc', 'postalCode'];
                const els = types.map((t) => elements.create(t));
                const t0 = performance.now();
                await limit(
                  Promise.all(
                    els.map(
                      (el) =>
                        new Promise((resolve, reject) => {
                          el.on('ready', resolve);
                          el.on('loaderror', (e) => reject(new Error(`loaderror ${e?.error?.code ?? ''}`)));
                          const d = document.createElement('div');
                          box.append(d);
                          el.mount(d);
                        }),
                    ),
                  ),
                );
                const dt = performance.now() - t0;
                for (const el of els) el.destroy();
                return dt;
              } finally {
                box.remove();
              }
            },
            { kind, cfg },
          ),
          15_000,
          `mount ${kind}`,
        );
        if (i >= warm) mounts[kind].push(ms);
      }
    }
    result.mount = {
      method: `page.evaluate timing with performance.now() on the host page: from el.mount() (after elements.create) to the 'ready' event of every element; the floor is a bare cross-origin iframe of the same CDN server whose deferred script posts one message to the parent. The four kinds are interleaved in each iteration; ${warm} warm-up iterations dropped; frame files are cached by the browser after the first load (immutable), as on a repeat visit. Ratio = p50(kind)/p50(bare) per block of ~10 interleaved runs.`,
      samples: Object.fromEntries(kinds.map((k) => [k, latency(mounts[k])])),
      ratio: {
        card: summary(blockRatios(mounts.card, mounts.bare, 3)),
        split: summary(blockRatios(mounts.split, mounts.bare, 3)),
        splitVsBare4: summary(blockRatios(mounts.split, mounts.bare4, 3)),
      },
      ratioOfMedians: { card: median(mounts.card) / median(mounts.bare), split: median(mounts.split) / median(mounts.bare) },
      raw: mounts,
    };

    if (!liveVault) {
      const reason = `the vault is not available: ${vaultMissing ?? 'not started'}`;
      result.requests = { measured: false, reason };
      result.tokenization = { measured: false, reason };
    } else {
      // ---- (a) requests per tokenization, through the counting proxy ----
      log('browser: requests per tokenization');
      const seen = [];
      const onRequest = (req) => {
        const u = new URL(req.url());
        if (u.origin === proxy.origin || u.origin === vault.url) seen.push({ method: req.method(), path: u.pathname, frame: req.frame()?.url().startsWith(cdn2.origin) ? 'frame' : 'host' });
      };
      page.on('request', onRequest);
      const mountTok = async (apiBase) =>
        page.evaluate(
          async ({ cfg, apiBase }) => {
            const box = document.getElementById('tok');
            box.textContent = '';
            window.__tokCv = window.Cardvault(cfg.pk, { apiBase, frameOrigin: cfg.frameOrigin });
            const el = window.__tokCv.elements().create('card');
            window.__tokEl = el;
            await Promise.race([
              new Promise((resolve, reject) => {
                el.on('ready', resolve);
                el.on('loaderror', (e) => reject(new Error(`loaderror ${e?.error?.code ?? ''}`)));
                el.mount(box);
              }),
              new Promise((_, rej) => setTimeout(() => rej(new Error('ready timeout')), 10000)),
            ]);
          },
          { cfg, apiBase },
        );
      const typeCard = async () => {
        const f = page.frameLocator('#tok iframe').first();
        await f.locator('input[autocomplete="cc-number"]').fill(CARD.number, { timeout: 10_000 });
        await f.locator('input[autocomplete="cc-exp"]').fill(CARD.exp, { timeout: 10_000 });
        await f.locator('input[autocomplete="cc-csc"]').fill(CARD.cvc, { timeout: 10_000 });
        const zip = f.locator('input[autocomplete="postal-code"]');
        if ((await zip.count()) > 0 && (await zip.first().isVisible())) await zip.first().fill(CARD.zip, { timeout: 10_000 });
      };
      const createToken = () =>
        page.evaluate(async () => {
          const t0 = performance.now();
          try {
            const tok = await window.__tokCv.createToken(window.__tokEl);
            return { ms: performance.now() - t0, ok: typeof tok?.id === 'string' && tok.id.startsWith('tok_') };
          } catch (e) {
            return { ms: performance.now() - t0, ok: false, error: `${e?.code ?? ''} ${String(e?.message ?? e).slice(0, 160)}` };
          }
        });
      await mountTok(proxy.origin);
      await typeCard();
      // Let the key-set prefetch (started at mount) land, so only the token call remains.
      const t0 = Date.now();
      while (!proxy.log.some((r) => r.path.endsWith('/encryption_keys')) && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 200));
      const perToken = [];
      for (let i = 0; i < 5; i++) {
        const s0 = seen.length;
        const p0 = proxy.log.length;
        const r = await createToken();
        await new Promise((r) => setTimeout(r, 100));
        const browserReqs = seen.slice(s0);
        const serverReqs = proxy.log.slice(p0);
        perToken.push({
          ok: r.ok,
          error: r.error,
          browserRequests: browserReqs.length,
          browserList: browserReqs.map((q) => `${q.method} ${q.path} (${q.frame})`),
          serverRequests: serverReqs.length,
          serverOptions: serverReqs.filter((q) => q.method === 'OPTIONS').length,
          serverList: serverReqs.map((q) => `${q.method} ${q.path}`),
        });
      }
      page.off('request', onRequest);
      result.requests = {
        method:
          "A card element mounted with apiBase = a pass-through proxy to the vault that logs every request; the card typed into the frame (playwright frame locator); after the key-set prefetch landed, 5 createToken calls. Browser-side: page.on('request') across all frames (vault origin only). Server-side: requests and OPTIONS (CORS preflights) the proxy received during each call.",
        keySetFetchesBeforeFirstToken: proxy.log.filter((r) => r.path.endsWith('/encryption_keys')).length,
        perTokenization: perToken,
        summary: {
          tokenizations: perToken.length,
          ok: perToken.filter((t) => t.ok).length,
          browserRequests: summary(perToken.map((t) => t.browserRequests)),
          serverRequests: summary(perToken.map((t) => t.serverRequests)),
          preflights: summary(perToken.map((t) => t.serverOptions)),
        },
        totalPreflightsSeen: proxy.log.filter((r) => r.method === 'OPTIONS').length,
      };

      // ---- (b) tokenization latency vs a bare CORS simple POST, direct to the vault ----
      log('browser: tokenization latency');
      await mountTok(vault.url);
      await typeCard();
      await new Promise((r) => setTimeout(r, 500));
      const tok = [];
      const bare = [];
      const errors = [];
      const warmTok = 5;
      for (let i = 0; i < warmTok + tokenRuns && Date.now() < deadline; i++) {
        const r = await createToken();
        const b = await page.evaluate(
          async ({ cfg, card }) => {
            const body = new URLSearchParams({
              key: cfg.pk,
              idempotency_key: crypto.randomUUID(),
              'card[number]': card.number,
              'card[exp_month]': '12',
              'card[exp_year]': '2034',
              'card[cvc]': card.cvc,
            });
            const t0 = performance.now();
            try {
              const res = await fetch(`${cfg.apiBase}/v1/tokens`, { method: 'POST', body, credentials: 'omit' });
              const json = await res.json();
              return { ms: performance.now() - t0, ok: res.status === 200 && typeof json.id === 'string', status: res.status };
            } catch (e) {
              return { ms: performance.now() - t0, ok: false, status: 0, error: String(e).slice(0, 160) };
            }
          },
          { cfg, card: CARD },
        );
        if (!r.ok) errors.push(`createToken: ${r.error}`);
        if (!b.ok) errors.push(`bare POST: HTTP ${b.status} ${b.error ?? ''}`);
        if (errors.length > 10) throw new Error(`tokenization failing: ${errors.slice(0, 3).join('; ')}`);
        if (i >= warmTok && r.ok && b.ok) {
          tok.push(r.ms);
          bare.push(b.ms);
        }
      }
      result.tokenization = {
        method: `In one page, alternately: cardvault.createToken(cardElement) (frame gathers the fields, encrypts to the cached vault key as a compact JWE, one CORS simple POST) and a bare fetch() CORS simple POST of the same card as clear test-mode form fields from the host page to the same vault. performance.now() around each awaited call; ${warmTok} warm-up pairs dropped. Ratio = p50(createToken)/p50(bare POST) per block of ~10 pairs.`,
        createToken: latency(tok),
        barePost: latency(bare),
        ratio: summary(blockRatios(tok, bare, 5)),
        ratioOfMedians: median(tok) / median(bare),
        errors: errors.slice(0, 10),
        raw: { createToken: tok, barePost: bare },
      };
    }

    // ---- (c) encryption alone, on a page of the frame origin ----
    log('browser: encryption cost');
    const cryptoPage = await context.newPage();
    await cryptoPage.goto(`${cdn2.origin}/bench/crypto.html`);
    const enc = await cryptoPage.evaluate(
      async ({ apiBase, runs }) => {
        let key;
        if (apiBase) {
          const res = await fetch(`${apiBase}/v1/encryption_keys`);
          key = (await res.json()).keys[0];
        } else {
          const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
          const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
          key = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid: 'bench', use: 'enc', alg: 'ECDH-ES' };
        }
        const { encryptCardPayload } = window.CardvaultBenchCrypto;
        const card = { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' };
        let t = performance.now();
        await encryptCardPayload(card, key);
        const first = performance.now() - t;
        for (let i = 0; i < 20; i++) await encryptCardPayload(card, key);
        // performance.now() is clamped to 0.1 ms here (no cross-origin isolation), so time batches
        // of 10 sequential calls and keep the per-call mean of each batch.
        const xs = [];
        const single = [];
        const stop = performance.now() + 10000;
        for (let i = 0; i < runs && performance.now() < stop; i++) {
          t = performance.now();
          for (let j = 0; j < 10; j++) await encryptCardPayload(card, key);
          xs.push((performance.now() - t) / 10);
        }
        for (let i = 0; i < 50 && performance.now() < stop; i++) {
          t = performance.now();
          await encryptCardPayload(card, key);
          single.push(performance.now() - t);
        }
        return { first, xs, single };
      },
      { apiBase: liveVault ? vault.url : null, runs: cryptoBatches },
    );
    await cryptoPage.close();
    result.encryption = {
      method: `encryptCardPayload (the frame's src/crypto, bundled with esbuild) on a page of the frame origin, encrypting a card to a P-256 public key with WebCrypto: ephemeral P-256 key, ECDH, Concat KDF, AES-256-GCM, compact serialisation. 20 warm-up calls; then ${enc.xs.length} batches of 10 sequential calls, each batch's per-call mean is one sample (Chromium clamps performance.now() to 0.1 ms without cross-origin isolation, so single calls are also shown but only to ±0.1 ms). 'first call' includes the one-time key import.`,
      key: liveVault ? "the vault's published key" : 'a P-256 key generated in the page (no vault running)',
      firstCallMs: enc.first,
      samples: latency(enc.xs),
      singleCalls: latency(enc.single),
      raw: enc.xs,
      rawSingle: enc.single,
    };
    result.pageErrors = pageErrors.slice(0, 10);
  } finally {
    await context?.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
    await Promise.all([proxy.close(), cdn2.close(), hostSrv.close()]);
  }
  result.seconds = (performance.now() - started) / 1000;
  result.frameOrigin = frameOrigin;
  return result;
}
