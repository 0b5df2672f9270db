/**
 * Holds a demo server's pages back until the whole demo is up.
 *
 * The merchant and CDN ports open before the vault (the vault's allow-lists need their origins,
 * and port 0 only tells us those once they listen). A page served in that window would carry an
 * empty publishable key and API base and could never work, even after the vault came up. So until
 * `open()` every request gets a 503 with Retry-After, and a person gets a page that reloads itself.
 */

const STARTING_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="1"><title>Starting…</title></head><body><p>The Cardvault demo is starting. This page reloads by itself in a moment.</p></body></html>\n`;

/**
 * Takes over `server`'s request listeners: they run only once `open()` has been called.
 * @param {import('node:http').Server} server
 * @returns {{ open: () => void }}
 * @example
 *   const gate = holdUntilReady(merchant); await startVault(); gate.open();
 */
export function holdUntilReady(server) {
  const listeners = /** @type {Array<(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void>} */ (server.listeners('request'));
  server.removeAllListeners('request');
  let ready = false;
  server.on('request', (req, res) => {
    if (ready) {
      for (const listener of listeners) listener.call(server, req, res);
      return;
    }
    // Drain the body so the connection can be reused, then say "not yet".
    req.resume();
    res.writeHead(503, {
      'Content-Type': 'text/html; charset=utf-8',
      'Retry-After': '1',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'",
    });
    res.end(req.method === 'HEAD' ? undefined : STARTING_PAGE);
  });
  return {
    open() {
      ready = true;
    },
  };
}
