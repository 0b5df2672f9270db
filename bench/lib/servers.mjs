// HTTP servers of the browser section, all on 127.0.0.1 and ephemeral ports (three origins).
import { createServer, request as httpRequest } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Listens on 127.0.0.1:0; resolves with the origin and a close(). */
export function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}

/**
 * The frame/CDN origin: dist/ under /v<version>/ (immutable, like the CDN), frame documents with a
 * strict CSP like the demo's, and extra in-memory files under /bench/ (the bare iframe page, the
 * crypto page). Every static response is cacheable the same way, so bare and real frames compare fairly.
 */
export async function startCdn({ distDir, version, extra, frameCsp }) {
  const prefix = `/v${version}/`;
  const root = normalize(distDir + sep);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    let body;
    let type;
    if (extra[path]) {
      body = Buffer.from(extra[path]);
      type = TYPES[extname(path)] ?? 'application/octet-stream';
    } else if (path.startsWith(prefix)) {
      const file = normalize(join(distDir, path.slice(prefix.length)));
      if (file.startsWith(root) && existsSync(file) && statSync(file).isFile()) {
        body = readFileSync(file);
        type = TYPES[extname(file)] ?? 'application/octet-stream';
      }
    }
    if (!body) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const headers = { 'Content-Type': type, 'Cache-Control': 'public, max-age=31536000, immutable', 'Access-Control-Allow-Origin': '*' };
    if (type.startsWith('text/html')) {
      headers['Content-Security-Policy'] = frameCsp;
      delete headers['Access-Control-Allow-Origin'];
    }
    res.writeHead(200, headers).end(body);
  });
  return listen(server);
}

/** A host (merchant) page origin serving fixed pages. */
export async function startHost(pages) {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const page = pages[path];
    if (!page) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(page);
  });
  return listen(server);
}

/**
 * A counting pass-through proxy to the vault: it records every request's method and path, so
 * CORS preflights (OPTIONS) are counted at the server whatever the browser reports. Used only for
 * the request-count phase, never for latency.
 */
export async function startCountingProxy(target) {
  const log = [];
  const t = new URL(target);
  const server = createServer((req, res) => {
    log.push({ method: req.method, path: new URL(req.url ?? '/', 'http://x').pathname });
    const upstream = httpRequest(
      { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  const l = await listen(server);
  return { ...l, log };
}
