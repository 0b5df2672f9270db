/**
 * The demo's servers without a browser: ports, data that survives a restart, the CLI's output and
 * Ctrl-C, the CDN's headers, and the merchant backend's refusal of anything but a token.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortInUseError, ROOT, startDemo, type Demo } from '../../demo/servers.mjs';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'cardvault-demo-srv-'));
  dirs.push(d);
  return d;
};
const FREE = { vault: 0, cdn: 0, merchant: 0 };

let demo: Demo;
let dataDir: string;
beforeAll(async () => {
  dataDir = tempDir();
  demo = await startDemo({ ports: FREE, dataDir, quiet: true });
});
afterAll(async () => {
  await demo?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('startDemo', () => {
  it('binds three distinct localhost origins and a test publishable key', () => {
    const { vault, cdn, merchant } = demo.urls;
    expect(new Set([vault, cdn, merchant]).size).toBe(3);
    for (const u of [vault, cdn, merchant]) expect(u).toMatch(/^http:\/\/localhost:\d+$/);
    expect(demo.keys.publishable).toMatch(/^pk_test_[A-Za-z0-9]{16,}$/);
    expect(demo.secretKey).toMatch(/^sk_test_/);
  });

  it('keeps the test account and its keys across a restart on the same data dir', async () => {
    const dir = tempDir();
    const first = await startDemo({ ports: FREE, dataDir: dir, quiet: true });
    const keys = { pk: first.keys.publishable, sk: first.secretKey };
    await first.close();
    const second = await startDemo({ ports: FREE, dataDir: dir, quiet: true });
    try {
      expect({ pk: second.keys.publishable, sk: second.secretKey }).toEqual(keys);
    } finally {
      await second.close();
    }
  });

  it('reports a port in use as one clear error', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', ok));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await startDemo({ ports: { ...FREE, merchant: port }, dataDir: tempDir(), quiet: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toBe(`Port ${port} (merchant site) is already in use: stop the other process or set MERCHANT_PORT to another port.`);
    } finally {
      await new Promise<void>((ok) => blocker.close(() => ok()));
    }
  });
});

describe('the CDN origin', () => {
  const get = (path: string) => fetch(`${demo.urls.cdn}${path}`);

  it('serves versioned files immutable, with CORS and the right types', async () => {
    for (const [file, type] of [
      ['cardvault.min.js', /^text\/javascript/],
      ['cardvault.mjs', /^text\/javascript/],
      ['cardvault-direct.min.js', /^text\/javascript/],
      ['frame/cardvault-frame.en.js', /^text\/javascript/],
      ['frame/card.en.html', /^text\/html/],
      ['frame/card.css', /^text\/css/],
      ['sri.json', /^application\/json/],
    ] as const) {
      const res = await get(`/v${demo.version}/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type'), file).toMatch(type);
      expect(res.headers.get('cache-control'), file).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('x-content-type-options'), file).toBe('nosniff');
      if (file.endsWith('.js')) expect(res.headers.get('access-control-allow-origin'), file).toBe('*');
    }
  });

  it('answers 404 outside /v<version>/ and for path traversal', async () => {
    expect((await get('/cardvault.min.js')).status).toBe(404);
    expect((await get('/v0.0.0/cardvault.min.js')).status).toBe(404);
    expect((await get(`/v${demo.version}/..%2Fpackage.json`)).status).toBe(404);
    expect((await get(`/v${demo.version}/%2e%2e/package.json`)).status).toBe(404);
  });
});

describe('the merchant backend', () => {
  const pay = (body: unknown, type = 'application/json') =>
    fetch(`${demo.urls.merchant}/api/pay`, { method: 'POST', headers: { 'Content-Type': type }, body: JSON.stringify(body) });

  it('takes a token, never card data', async () => {
    const res = await pay({ token: 'tok_abcdefghijkl', amount: 2400, email: 'a@example.com', number: '4242424242424242' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, code: 'parameter_unknown' });
    expect((await pay({ token: '4242424242424242', amount: 2400, email: 'a@example.com' })).status).toBe(400);
    expect((await pay({ token: 'tok_abcdefghijkl', amount: 10, email: 'a@example.com' })).status).toBe(400);
    expect((await pay({ token: 'tok_abcdefghijkl', amount: 2400, email: 'a@example.com' }, 'text/plain')).status).toBe(415);
  });

  it('answers a repeated pay with the same token with the first charge (Idempotency-Key)', async () => {
    // A test-mode token straight from the vault (clear fields are allowed in test mode from a server).
    const year = new Date().getFullYear() + 2;
    const form = new URLSearchParams({ key: demo.keys.publishable, 'card[number]': '4242424242424242', 'card[exp_month]': '12', 'card[exp_year]': String(year), 'card[cvc]': '123' });
    const tokenRes = await fetch(`${demo.urls.vault}/v1/tokens`, { method: 'POST', body: form });
    expect(tokenRes.status).toBe(200);
    const { id: token } = (await tokenRes.json()) as { id: string };
    const order = { token, amount: 2400, email: 'a@example.com' };
    // A double submit: both at once, then once more after the first answered.
    const [a, b] = await Promise.all([pay(order), pay(order)]);
    const c = await pay(order);
    const bodies = (await Promise.all([a, b, c].map((r) => r.json()))) as Array<{ ok: boolean; charge?: string; code?: string }>;
    const paid = bodies.filter((x) => x.ok);
    // One charge; the request that overlapped the first may be told it is still running.
    expect(paid.length).toBeGreaterThanOrEqual(2);
    expect(new Set(paid.map((x) => x.charge)).size).toBe(1);
    expect(bodies.filter((x) => !x.ok).map((x) => x.code)).toEqual(bodies.length === paid.length ? [] : ['idempotency_key_in_flight']);
    expect(bodies[2]).toMatchObject({ ok: true, charge: paid[0]!.charge });
  });

  it('passes the vault’s answer on for an unknown token without crashing', async () => {
    const res = await pay({ token: 'tok_doesnotexist00', amount: 2400, email: 'a@example.com' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await res.json()).toMatchObject({ ok: false });
  });

  it('serves each page under a strict CSP and the page sources as text', async () => {
    for (const path of ['/', '/spa', '/react', '/direct']) {
      const res = await fetch(`${demo.urls.merchant}${path}`);
      expect(res.status, path).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).toContain(`frame-src ${demo.urls.cdn}`);
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval/);
      const html = await res.text();
      expect(html, path).toContain(demo.keys.publishable);
      expect(html, path).not.toContain(demo.secretKey);
      expect(html, path).toMatch(/Test mode/);
      expect(html, path).toContain('4242 4242 4242 4242');
    }
    for (const file of ['checkout.js', 'spa-main.js', 'react-main.js', 'direct.js', 'merchant-server.mjs']) {
      const res = await fetch(`${demo.urls.merchant}/source/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type'), file).toMatch(/^text\/plain/);
      expect(await res.text(), file).not.toContain(demo.secretKey);
    }
  });
});

describe('npm run demo (demo/start.mjs)', () => {
  it('prints the URLs, key and test cards, and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, ['demo/start.mjs'], {
      cwd: ROOT,
      env: { ...process.env, VAULT_PORT: '0', CDN_PORT: '0', MERCHANT_PORT: '0', CARDVAULT_DEMO_DATA: tempDir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    // Two rollup builds and a vault with a fresh key: about 10 s quiet, a minute on a loaded machine.
    const end = Date.now() + 180_000;
    while (!out.includes('Press Ctrl-C') && Date.now() < end && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('Press Ctrl-C');
    expect(out).toMatch(/Merchant shop\s+http:\/\/localhost:\d+\//);
    expect(out).toMatch(/Publishable key pk_test_/);
    expect(out).toContain('4242 4242 4242 4242');
    expect(out).not.toMatch(/sk_test_/);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('Stopped.');
  }, 240_000);

  it('exits 1 with one line when a port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', ok));
    const port = (blocker.address() as { port: number }).port;
    try {
      const child = spawn(process.execPath, ['demo/start.mjs'], {
        cwd: ROOT,
        env: { ...process.env, VAULT_PORT: '0', CDN_PORT: String(port), MERCHANT_PORT: '0', CARDVAULT_DEMO_DATA: tempDir() },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const code = await new Promise<number | null>((ok) => child.on('exit', (c) => ok(c)));
      expect(code).toBe(1);
      expect(err.trim().split('\n')).toEqual([`Cardvault demo: Port ${port} (CDN) is already in use: stop the other process or set CDN_PORT to another port.`]);
    } finally {
      await new Promise<void>((ok) => blocker.close(() => ok()));
    }
  });
});
