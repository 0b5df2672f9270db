// The vault in its own process for the bench (forked by lib/vault.mjs): starts the built vault on
// 127.0.0.1 and port 0, creates an account with the vault's own seeding helper, and reports its URL
// and publishable test key over IPC. Its stdout (logs) is discarded by the parent.
import { pathToFileURL } from 'node:url';

const entry = process.env.BENCH_VAULT_MODULE || process.env.BENCH_VAULT_ENTRY;
const store = process.env.BENCH_VAULT_STORE;
const dataDir = process.env.BENCH_VAULT_DATA_DIR || undefined;
const databaseUrl = process.env.BENCH_VAULT_DATABASE_URL || undefined;

const fail = (e) => {
  process.send?.({ type: 'error', error: String(e?.stack ?? e).split('\n').slice(0, 3).join(' | ') });
  setTimeout(() => process.exit(1), 100);
};

try {
  const mod = await import(pathToFileURL(entry).href);
  const startServer = mod.startServer ?? mod.default?.startServer;
  if (typeof startServer !== 'function') throw new Error(`${entry} exports no startServer (exports: ${Object.keys(mod).join(', ')})`);
  const server = await startServer(vaultOptions(mod));
  const url = serverUrl(server);
  const publishableKey = await seedKey(mod, server);
  process.on('message', async (m) => {
    if (m?.type !== 'close') return;
    try {
      await (server.close?.() ?? server.stop?.());
    } finally {
      process.exit(0);
    }
  });
  process.send({ type: 'ready', url, publishableKey, describe: store === 'pglite' ? 'PGlite (embedded, data directory on disk)' : 'PostgreSQL via pg' });
} catch (e) {
  fail(e);
}

/**
 * Options for startServer: loopback, ephemeral port, the chosen store. Nothing else: the vault runs
 * with its default limits (any 429 shows in the report's non-200 column); its logs go to the
 * ignored stdout of this process.
 */
function vaultOptions() {
  return { host: '127.0.0.1', port: 0, ...(store === 'pglite' ? { dataDir } : { databaseUrl }) };
}

function serverUrl(server) {
  if (typeof server?.url === 'string') return server.url.replace(/\/+$/, '');
  if (typeof server?.origin === 'string') return server.origin;
  const addr = server?.address?.() ?? server?.server?.address?.();
  if (addr && typeof addr === 'object') return `http://127.0.0.1:${addr.port}`;
  if (typeof server?.port === 'number') return `http://127.0.0.1:${server.port}`;
  throw new Error('cannot tell the vault URL from what startServer returned');
}

async function seedKey(mod, server) {
  const pick = (o) => o?.publishable ?? o?.publishableKey ?? o?.keys?.publishable ?? o?.keys?.publishableKey ?? o?.pk;
  for (const name of ['initAccount', 'createAccount', 'seedAccount', 'init', 'seed']) {
    const fn = server?.[name] ?? mod[name];
    if (typeof fn === 'function') {
      const r = await fn.call(server, server?.store ? { store: server.store } : {});
      const pk = pick(r);
      if (typeof pk === 'string') return pk;
    }
  }
  const pk = pick(server);
  if (typeof pk === 'string') return pk;
  throw new Error('no seeding helper found to create a test account');
}
