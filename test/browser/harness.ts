/**
 * Real-browser test harness: Debian's Chromium driven by playwright-core, and small HTTP servers
 * on 127.0.0.1 ephemeral ports so every test has genuinely different origins.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DIST = join(ROOT, 'dist');
export const VERSION: string = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Path of Debian's Chromium. A missing browser fails the suite loudly; it is never skipped. */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Chromium not found: install it with `apt-get install -y chromium` (or set CHROMIUM_PATH).');
  }
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface LaunchedBrowser {
  browser: Browser;
  /** A fresh context in a fresh user-data dir. */
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh user-data dir. `hostMap` maps made-up host names to
 * 127.0.0.1 (e.g. `shop.test`), for pages that must not be a secure context.
 */
export async function launchChromium(opts: { hostMap?: readonly string[] } = {}): Promise<LaunchedBrowser> {
  if (!existsSync(join(DIST, 'cardvault.min.js'))) throw new Error('dist/ is not built: run `npm run build` first.');
  const userDataDir = mkdtempSync(join(tmpdir(), 'cardvault-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: opts.hostMap?.length
      ? [...CHROMIUM_ARGS, `--host-resolver-rules=${opts.hostMap.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`]
      : CHROMIUM_ARGS,
  });
  const browser = context.browser();
  return {
    // launchPersistentContext has no separate Browser object; tests use the context.
    browser: browser as Browser,
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

export interface TestServer {
  origin: string;
  url(path: string): string;
  /** Every request this server received, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.css': 'text/css',
};

/** The CSP a frame document is served with (the frame origin's response header). */
export const FRAME_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src *; font-src https:; img-src 'self' data:; frame-ancestors *; base-uri 'none'; form-action 'none'";

export interface ServeOptions {
  /** Exact-path routes; checked before static files. */
  routes?: Record<string, Handler>;
  /** Serve dist/ under /v<version>/ (as the CDN does). */
  dist?: boolean;
  /** Extra headers per static file response. */
  headers?: (path: string) => Record<string, string>;
}

/** Starts an HTTP server on 127.0.0.1 and an ephemeral port. */
export async function serve(options: ServeOptions = {}): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body });
      void handle(req, res, body).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse, body: string) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = options.routes?.[path];
    if (route) return route(req, res, body);
    const prefix = `/v${VERSION}/`;
    if (options.dist && path.startsWith(prefix)) {
      const file = normalize(join(DIST, path.slice(prefix.length)));
      if (file.startsWith(DIST) && existsSync(file) && statSync(file).isFile()) {
        res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        res.setHeader('Access-Control-Allow-Origin', '*');
        if (file.endsWith('.html')) res.setHeader('Content-Security-Policy', FRAME_CSP);
        for (const [k, v] of Object.entries(options.headers?.(path) ?? {})) res.setHeader(k, v);
        res.end(readFileSync(file));
        return;
      }
    }
    res.statusCode = 404;
    res.end('not found');
  };
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (p) => `${origin}${p}`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** A handler that answers with a fixed HTML page and headers (e.g. a strict CSP). */
export function htmlPage(html: string, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.end(html);
  };
}
