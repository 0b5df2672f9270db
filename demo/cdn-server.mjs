/**
 * The JS/CDN origin: serves dist/ under /v<version>/ the way a production CDN would.
 * - Versioned files are immutable (a new release gets a new path, so caches never go stale).
 * - Scripts carry `Access-Control-Allow-Origin: *`: a `<script integrity crossorigin>` tag needs a
 *   CORS response, or the browser cannot check the hash and refuses the script.
 * - Frame documents carry their own strict CSP (see csp.mjs).
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { frameCsp } from './csp.mjs';

const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

/**
 * @param {{ distDir: string, version: string, getOrigins: () => { vault: string, merchant: string }, cspReport?: string }} o
 * @returns {import('node:http').Server}
 */
export function createCdnServer({ distDir, version, getOrigins, cspReport }) {
  const prefix = `/v${version}/`;
  const root = normalize(distDir + sep);
  return createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Method not allowed\n');
      return;
    }
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://cdn').pathname);
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Bad request\n');
      return;
    }
    if (path === '/' || path === '') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
      res.end(`Cardvault CDN (demo). Files are under ${prefix} — see ${prefix}sri.json for their integrity hashes.\n`);
      return;
    }
    if (!path.startsWith(prefix)) return notFound(res);
    const file = normalize(join(distDir, path.slice(prefix.length)));
    // Path traversal: the resolved file must stay inside dist/ (and never reach dist/types sources).
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return notFound(res);
    const body = readFileSync(file);
    const ext = extname(file);
    /** @type {Record<string, string>} */
    const headers = {
      'Content-Type': TYPES[ext] ?? 'application/octet-stream',
      'Content-Length': String(body.length),
      'Cache-Control': 'public, max-age=31536000, immutable',
      ETag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (ext === '.html') {
      const { vault, merchant } = getOrigins();
      headers['Content-Security-Policy'] = frameCsp({ vault, ancestors: merchant, report: cspReport });
      headers['Referrer-Policy'] = 'no-referrer';
      // A frame document is never fetched cross-origin by script: no CORS header on it.
      delete headers['Access-Control-Allow-Origin'];
    }
    if (req.headers['if-none-match'] === headers.ETag) {
      res.writeHead(304, { ETag: headers.ETag, 'Cache-Control': headers['Cache-Control'] });
      res.end();
      return;
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}

/** @param {import('node:http').ServerResponse} res */
function notFound(res) {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
  res.end('Not found\n');
}
