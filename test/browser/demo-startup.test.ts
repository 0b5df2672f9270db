/**
 * The demo while it starts: `npm run demo` serves no page before the vault is up (503 with
 * Retry-After until then), and a page served without its key says so instead of throwing and
 * showing "Loading secure card field…" forever.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startDemo, type Demo } from '../../demo/servers.mjs';
import { VERSION, launchChromium, type LaunchedBrowser } from './harness';

const dirs: string[] = [];
const children: ChildProcess[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'cardvault-demo-start-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

interface Answer {
  status: number;
  retryAfter: string | null;
  key: string | null;
  apiBase: string | null;
}

/** One GET; null when nothing listens yet. */
async function ask(url: string): Promise<Answer | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    const html = await res.text();
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      key: /data-publishable-key="([^"]*)"/.exec(html)?.[1] ?? null,
      apiBase: /data-api-base="([^"]*)"/.exec(html)?.[1] ?? null,
    };
  } catch {
    return null;
  }
}

describe('npm run demo while it starts', () => {
  it('answers 503 with Retry-After until the vault is up, then serves pages with the key', async () => {
    const [cdnPort, merchantPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, ['demo/start.mjs'], {
      cwd: ROOT,
      // A fresh data dir: the vault creates its key-encryption key, the slowest start there is.
      env: { ...process.env, VAULT_PORT: '0', CDN_PORT: String(cdnPort), MERCHANT_PORT: String(merchantPort), CARDVAULT_DEMO_DATA: tempDir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const page = `http://127.0.0.1:${merchantPort}/`;
    const frame = `http://127.0.0.1:${cdnPort}/v${VERSION}/frame/card.en.html`;
    const pages: Answer[] = [];
    const frames: Answer[] = [];
    // Ask as fast as a reloading browser would until the demo says it is ready (bounded).
    const end = Date.now() + 180_000;
    while (!out.includes('Press Ctrl-C') && child.exitCode === null && Date.now() < end) {
      const [p, f] = await Promise.all([ask(page), ask(frame)]);
      if (p) pages.push(p);
      if (f) frames.push(f);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(out).toContain('Press Ctrl-C');
    // The ports open before the vault: this run did ask during that window.
    expect(pages.length).toBeGreaterThan(0);
    for (const answer of pages) {
      if (answer.status === 200) {
        expect(answer.key, 'a page served with an empty key').toMatch(/^pk_test_/);
        expect(answer.apiBase).toMatch(/^http:\/\//);
      } else {
        expect(answer).toMatchObject({ status: 503, retryAfter: '1' });
      }
    }
    for (const answer of frames) expect([200, 503]).toContain(answer.status);
    expect(pages.some((a) => a.status === 503)).toBe(true);
    // Once ready, everything is served.
    expect(await ask(page)).toMatchObject({ status: 200, key: expect.stringMatching(/^pk_test_/) });
    expect((await ask(frame))?.status).toBe(200);
    child.kill('SIGINT');
  }, 240_000);
});

describe('a demo page served without its key', () => {
  let demo: Demo;
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    demo = await startDemo({ ports: { vault: 0, cdn: 0, merchant: 0 }, dataDir: tempDir(), quiet: true });
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it.each(['/', '/spa', '/react', '/direct'])('%s shows a message and throws nothing', async (path) => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The page exactly as a server without a key would render it (e.g. a vault still starting).
    await page.route(`${demo.urls.merchant}${path}`, async (route) => {
      const res = await route.fetch();
      const html = (await res.text()).replace(/data-publishable-key="[^"]*"/, 'data-publishable-key=""').replace(/data-api-base="[^"]*"/, 'data-api-base=""');
      await route.fulfill({ response: res, body: html });
    });
    await page.goto(`${demo.urls.merchant}${path}`);
    const message = page.locator('[data-config-missing]');
    await message.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await message.innerText()).toMatch(/not available.*Reload the page/);
    expect(await message.getAttribute('role')).toBe('alert');
    expect(await page.locator('text=Loading secure card field').count()).toBe(0);
    for (const button of await page.locator('[data-pay], [data-continue]').all()) expect(await button.isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
