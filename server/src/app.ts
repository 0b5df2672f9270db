import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CardvaultError, isCardvaultError } from '../../src/errors';
import { newId } from './crypto/random';
import type { RequestContext } from './http/context';
import { ChargeDeclinedError, RetryAfterError } from './http/errors';
import { clientIp, parseTrustProxy, type TrustProxy } from './http/client-ip';
import { applyCors, errorBody, sendJson } from './http/respond';
import { trackConnections, DEFAULT_SHUTDOWN_GRACE_MS, type DrainResult } from './lifecycle/graceful-stop';
import { startRetentionSweeper, RETENTION_SWEEP_MS } from './lifecycle/retention';
import { startLiveAdmin } from './admin/live';
import { describeError } from './log';
import { createApiKey, listApiKeys, revokeApiKey, rollApiKey } from './routes/api-keys';
import { createCharge, retrieveCharge } from './routes/charges';
import { createClientToken } from './routes/client-tokens';
import { listEncryptionKeys } from './routes/encryption-keys';
import { createToken, retrieveToken } from './routes/tokens';
import { openStore } from './store/open';
import type { Store } from './store/types';
import { Vault, type VaultOptions } from './vault';

type Handler = (ctx: RequestContext) => Promise<void>;

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  /** The route as logged (never the raw URL, which may carry ids). */
  name: string;
  /** Public routes are CORS-enabled browser endpoints; the others are secret-key only. */
  public: boolean;
  handler: Handler;
  /** The handler takes the per-IP bucket itself (with its other limits, in one round trip). */
  gatesItself?: boolean;
}

const ID = '([A-Za-z0-9_]{1,64})';
const ROUTES: readonly Route[] = [
  { method: 'POST', pattern: /^\/v1\/tokens$/, name: 'POST /v1/tokens', public: true, handler: createToken, gatesItself: true },
  { method: 'GET', pattern: /^\/v1\/encryption_keys$/, name: 'GET /v1/encryption_keys', public: true, handler: listEncryptionKeys },
  { method: 'GET', pattern: new RegExp(`^/v1/tokens/${ID}$`), name: 'GET /v1/tokens/{id}', public: false, handler: retrieveToken },
  { method: 'POST', pattern: /^\/v1\/charges$/, name: 'POST /v1/charges', public: false, handler: createCharge },
  { method: 'GET', pattern: new RegExp(`^/v1/charges/${ID}$`), name: 'GET /v1/charges/{id}', public: false, handler: retrieveCharge },
  { method: 'POST', pattern: /^\/v1\/client_tokens$/, name: 'POST /v1/client_tokens', public: false, handler: createClientToken },
  { method: 'GET', pattern: /^\/v1\/api_keys$/, name: 'GET /v1/api_keys', public: false, handler: listApiKeys },
  { method: 'POST', pattern: /^\/v1\/api_keys$/, name: 'POST /v1/api_keys', public: false, handler: createApiKey },
  { method: 'POST', pattern: new RegExp(`^/v1/api_keys/${ID}/revoke$`), name: 'POST /v1/api_keys/{id}/revoke', public: false, handler: revokeApiKey },
  { method: 'POST', pattern: new RegExp(`^/v1/api_keys/${ID}/roll$`), name: 'POST /v1/api_keys/{id}/roll', public: false, handler: rollApiKey },
];

/** Preflight answers may be cached by browsers for 2 hours (Chromium's cap). */
const PREFLIGHT_MAX_AGE = '7200';

export interface AppOptions {
  /**
   * Proxies trusted to append to X-Forwarded-For (http/client-ip.ts): a number of hops (`true` is
   * 1), or comma-separated CIDRs. Default none: the socket's peer is the client.
   */
  trustProxy?: boolean | number | string;
}

/** The vault's request handler (node:http). */
export function createRequestHandler(vault: Vault, options: AppOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const t = options.trustProxy;
  const trust = t === undefined || t === false ? null : t === true ? { hops: 1 } : parseTrustProxy(String(t));
  return (req, res) => {
    void handle(vault, trust, req, res);
  };
}

async function handle(vault: Vault, trust: TrustProxy | null, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const requestId = newId('req', 20);
  res.setHeader('Request-Id', requestId);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  const path = (req.url ?? '/').split('?')[0]!;
  const method = req.method ?? 'GET';
  const originHeader = req.headers.origin;
  const origin = typeof originHeader === 'string' ? originHeader : undefined;
  const candidates = ROUTES.filter((r) => r.pattern.test(path));
  const route = candidates.find((r) => r.method === method);
  const isPublic = candidates.length > 0 && candidates.every((r) => r.public);
  const ctx: RequestContext = {
    req,
    res,
    vault,
    requestId,
    ip: clientIp(req, trust),
    origin,
    pathParams: route ? (route.pattern.exec(path)?.slice(1) ?? []) : [],
    logFields: {},
    setCorsAllowed: (allowed) => applyCors(res, origin, allowed),
  };
  let code: string | undefined;
  try {
    if (isPublic) {
      // Reflected until the key says otherwise, so a browser can read pre-authentication errors.
      applyCors(res, origin, true);
      if (method === 'OPTIONS') {
        res.statusCode = 204;
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
        res.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE);
        res.setHeader('Vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
        res.end();
        return;
      }
    } else if (origin !== undefined && candidates.length > 0) {
      // Secret-key endpoints are for servers. A browser always sends Origin on CORS requests
      // (and preflights): a secret key used from a page fails loudly here.
      throw new CardvaultError('browser_origin_refused');
    }
    if (!route) {
      throw new CardvaultError('resource_missing', { message: candidates.length ? 'Method not allowed on this path.' : 'No such endpoint.' });
    }
    if (route.gatesItself !== true) await vault.abuse.checkIp(ctx.ip);
    await route.handler(ctx);
  } catch (error) {
    const extra: Record<string, unknown> = {};
    if (error instanceof ChargeDeclinedError) extra.charge = error.chargeId;
    const { status, body } = errorBody(error, requestId, extra);
    code = body.error.code;
    if (!isCardvaultError(error)) vault.log.error('unhandled_error', { request_id: requestId, route: route?.name ?? 'unknown', ...describeError(error) });
    const headers: Record<string, string> = {};
    if (error instanceof RetryAfterError) headers['Retry-After'] = String(error.retryAfter);
    // A body we did not read (too large, refused early) is not drained: close the connection.
    if (!req.complete) headers.Connection = 'close';
    if (!res.headersSent) sendJson(res, status, body, headers);
    else res.destroy();
  } finally {
    vault.log.info('request', {
      request_id: requestId,
      method,
      route: route?.name ?? 'unknown',
      status: res.statusCode,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      ...(code !== undefined ? { code } : {}),
      ...ctx.logFields,
    });
  }
}

/** Everything the vault takes (its clock, KEK, log, limits…), plus where to listen and what to store in. */
export interface StartServerOptions extends AppOptions, Omit<VaultOptions, 'store'> {
  /** Default 4242; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** An open store; otherwise one is opened from `databaseUrl` or `dataDir` (and closed on close()). */
  store?: Store;
  databaseUrl?: string;
  /** With `databaseUrl`: the schema to use (env CARDVAULT_PG_SCHEMA in the CLI). */
  schema?: string;
  dataDir?: string;
  /** How often expired tokens are deleted (default 15 s; the policy promises 60 s at most). */
  retentionSweepMs?: number;
}

export interface RunningServer {
  /** e.g. `http://127.0.0.1:4242` */
  url: string;
  port: number;
  vault: Vault;
  store: Store;
  server: Server;
  /** Stops at once: open connections are cut (tests). */
  close(): Promise<void>;
  /**
   * Stops gracefully: no new connections, requests in flight finish within `graceMs` (default
   * 10 s), keep-alive connections are closed, then the store. SIGTERM and SIGINT do this.
   */
  stop(graceMs?: number): Promise<DrainResult>;
}

/**
 * Starts the vault over HTTP. In-process for tests and the demo (`port: 0` picks a free port).
 *
 * @example
 * const store = await openStore({ dataDir: 'memory://' });
 * const vault = await startServer({ port: 0, store });
 * const keys = await ensureDemoAccount(store);
 * await fetch(`${vault.url}/v1/encryption_keys`);
 * await vault.close();
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const ownsStore = options.store === undefined;
  const store =
    options.store ??
    (await openStore({
      ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}),
      ...(options.schema !== undefined ? { schema: options.schema } : {}),
      ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    }));
  // What is not about listening or storage is the vault's own (clock, KEK, log, limits, frame origins).
  const { port: _port, host: _host, store: _store, databaseUrl: _db, schema: _schema, dataDir: _dir, trustProxy: _tp, ...vaultOptions } = options;
  const { retentionSweepMs, ...rest } = vaultOptions;
  let vault: Vault;
  let server: Server;
  let connections: ReturnType<typeof trackConnections>;
  try {
    vault = await Vault.create({ ...rest, store });
    await vault.ensureEncryptionKey();
    server = createServer({ keepAliveTimeout: 5_000, requestTimeout: 30_000, headersTimeout: 10_000 }, createRequestHandler(vault, options));
    connections = trackConnections(server);
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(options.port ?? 4242, options.host ?? '127.0.0.1', () => {
        listening.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // A store this call opened is closed on failure: PGlite would otherwise keep the process (and
    // the data directory's lock) alive after the error was reported.
    if (ownsStore) await store.close().catch(() => {});
    throw error;
  }
  const host = options.host ?? '127.0.0.1';
  const sweeper = startRetentionSweeper(vault, retentionSweepMs ?? RETENTION_SWEEP_MS);
  // Live administration (admin socket on PGlite, LISTEN/NOTIFY on PostgreSQL) once listening.
  const stopLiveAdmin = await startLiveAdmin(vault, store);
  const purge = setInterval(() => void vault.purge().catch(() => {}), 3600_000);
  purge.unref();
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  vault.log.info('listening', { url, backend: store.backend });
  let closed: Promise<void> | null = null;
  let stopped: Promise<DrainResult> | null = null;
  const running = server;
  return {
    url,
    port,
    vault,
    store,
    server,
    close() {
      closed ??= (async () => {
        clearInterval(purge);
        await sweeper.stop();
        await stopLiveAdmin();
        await new Promise<void>((resolve) => {
          running.close(() => resolve());
          running.closeAllConnections();
        });
        if (ownsStore) await store.close();
      })();
      return closed;
    },
    stop(graceMs = DEFAULT_SHUTDOWN_GRACE_MS) {
      stopped ??= (async () => {
        clearInterval(purge);
        const [drained] = await Promise.all([connections.drain(graceMs), sweeper.stop()]);
        await stopLiveAdmin();
        // Only once no request can still use it.
        if (ownsStore) await store.close();
        return drained;
      })();
      return stopped;
    },
  };
}
