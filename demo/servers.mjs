/**
 * startDemo(): the three demo origins in one process.
 *
 *   vault     http://localhost:4242  the reference vault (tokens, charges), data in a local dir
 *   CDN       http://localhost:4243  dist/ under /v<version>/, and the card frames
 *   merchant  http://localhost:4244  the demo shop and its backend (holds the secret key)
 *
 * Everything binds 127.0.0.1. Port 0 picks free ports (the end-to-end tests do that).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildReactApp, buildSpa } from './build-spa.mjs';
import { createCdnServer } from './cdn-server.mjs';
import { originSources } from './csp.mjs';
import { createMerchantServer } from './merchant-server.mjs';
import { startVault } from './vault.mjs';
import { holdUntilReady } from './startup-gate.mjs';
import { CSP_REPORT_PATH, createRecords, recordRequests } from './test-recorder.mjs';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const DEFAULT_PORTS = Object.freeze({ vault: 4242, cdn: 4243, merchant: 4244 });
export const DEFAULT_DATA_DIR = join(ROOT, 'demo', '.data');
const HOST = '127.0.0.1';

/** A port that is already taken, with the env var that moves it. */
export class PortInUseError extends Error {
  /** @param {string} role @param {number} port @param {string} envVar */
  constructor(role, port, envVar) {
    super(`Port ${port} (${role}) is already in use: stop the other process or set ${envVar} to another port.`);
    this.name = 'PortInUseError';
    this.code = 'EADDRINUSE';
    this.port = port;
  }
}

/**
 * Starts the vault, the CDN and the merchant site.
 * @param {{ ports?: { vault?: number, cdn?: number, merchant?: number }, dataDir?: string, quiet?: boolean, publicHost?: string, record?: boolean }} [options]
 * @returns {Promise<{
 *   urls: { vault: string, cdn: string, merchant: string },
 *   keys: { publishable: string },
 *   secretKey: string,
 *   version: string,
 *   sri: { version: string, algorithm: string, files: Record<string, { integrity: string, path: string, bytes: number }> },
 *   records?: import('./test-recorder.mjs').DemoRecords,
 *   close: () => Promise<void>,
 * }>}
 */
export async function startDemo(options = {}) {
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const publicHost = options.publicHost ?? 'localhost';
  const log = options.quiet ? () => {} : (/** @type {string} */ line) => console.log(line);

  const distDir = join(ROOT, 'dist');
  const sriFile = join(distDir, 'sri.json');
  if (!existsSync(sriFile)) throw new Error('dist/ is not built (no dist/sri.json): run `npm run build` first.');
  const sri = JSON.parse(readFileSync(sriFile, 'utf8'));
  const version = sri.version;

  // Bundle the apps first: a broken build should fail before any port is taken.
  const [spaCode, reactCode] = await Promise.all([buildSpa(), buildReactApp()]);

  /** Filled in once every server listens; the handlers read it per request. */
  const origins = { vault: '', cdn: '', merchant: '' };
  let vaultUrl = '';
  /** @type {{ publishable: string, secret: string }} */
  const keys = { publishable: '', secret: '' };

  // Test mode: every origin records what it receives and takes CSP reports (test-recorder.mjs).
  const records = options.record ? createRecords() : undefined;
  const cspReport = records ? CSP_REPORT_PATH : undefined;
  const cdn = createCdnServer({ distDir, version, getOrigins: () => origins, cspReport });
  const merchant = createMerchantServer({
    getOrigins: () => origins,
    vaultUrl: () => vaultUrl,
    keys,
    sri,
    spaBundle: async () => spaCode,
    reactBundle: async () => reactCode,
    log,
    cspReport,
  });
  if (records) {
    recordRequests(cdn, () => origins.cdn, records);
    recordRequests(merchant, () => origins.merchant, records);
  }
  // Nothing is served until the vault is up: a page needs its key and API base (startup-gate.mjs).
  const gates = [holdUntilReady(cdn), holdUntilReady(merchant)];

  /** @type {Array<() => Promise<void>>} */
  const closers = [];
  const close = async () => {
    for (const fn of closers.splice(0).reverse()) await fn().catch(() => {});
  };
  try {
    const cdnPort = await listen(cdn, ports.cdn, 'CDN', 'CDN_PORT');
    closers.push(() => stop(cdn));
    const merchantPort = await listen(merchant, ports.merchant, 'merchant site', 'MERCHANT_PORT');
    closers.push(() => stop(merchant));
    origins.cdn = `http://${publicHost}:${cdnPort}`;
    origins.merchant = `http://${publicHost}:${merchantPort}`;

    mkdirSync(dataDir, { recursive: true });
    const merchantOrigins = originSources(origins.merchant).split(' ');
    let vault;
    try {
      const frameOrigins = originSources(origins.cdn).split(' ');
      vault = await startVault({ root: ROOT, port: ports.vault, host: HOST, dataDir, merchantOrigins, frameOrigins, quiet: Boolean(options.quiet) });
    } catch (error) {
      if (isAddrInUse(error)) throw new PortInUseError('vault', ports.vault, 'VAULT_PORT');
      throw error;
    }
    closers.push(vault.close);
    vaultUrl = `http://${HOST}:${vault.port}`;
    origins.vault = `http://${publicHost}:${vault.port}`;
    keys.publishable = vault.keys.publishable;
    keys.secret = vault.keys.secret;
    for (const gate of gates) gate.open();
  } catch (error) {
    await close();
    throw error;
  }

  return {
    urls: { ...origins },
    keys: { publishable: keys.publishable },
    // For tests and the server-side examples only; the browser never receives it.
    secretKey: keys.secret,
    version,
    sri,
    ...(records ? { records } : {}),
    close,
  };
}

/** @param {unknown} error */
function isAddrInUse(error) {
  const e = /** @type {any} */ (error);
  return e?.code === 'EADDRINUSE' || e?.cause?.code === 'EADDRINUSE' || /EADDRINUSE/.test(String(e?.message));
}

/**
 * @param {import('node:http').Server} server @param {number} port @param {string} role @param {string} envVar
 * @returns {Promise<number>}
 */
function listen(server, port, role, envVar) {
  return new Promise((ok, fail) => {
    const onError = (/** @type {NodeJS.ErrnoException} */ error) => {
      server.off('listening', onListening);
      fail(error.code === 'EADDRINUSE' || error.code === 'EACCES' ? new PortInUseError(role, port, envVar) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      ok(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, HOST);
  });
}

/** @param {import('node:http').Server} server */
function stop(server) {
  return new Promise((ok) => {
    server.closeAllConnections();
    server.close(() => ok());
  });
}
