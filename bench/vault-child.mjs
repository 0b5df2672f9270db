// The vault in its own process for the bench (forked by lib/vault.mjs): starts the built vault on
// 127.0.0.1 and port 0 with the chosen store, seeds the demo account with the vault's own helper,
// and reports its URL and publishable test key over IPC. Its stdout (JSON logs) goes to /dev/null:
// logging stays on, as in production.
//
// Rate limits and the card-testing defence are off: the load generator is one client IP sending
// thousands of tokenizations a second, which those defences exist to stop.
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
  const { startServer, ensureDemoAccount } = await import(pathToFileURL(entry).href);
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    ...(store === 'pglite' ? { dataDir } : { databaseUrl }),
    abuse: { perIp: false, perKey: false, cardTesting: false },
  });
  const { publishableKey } = await ensureDemoAccount(server.vault);
  process.on('message', async (m) => {
    if (m?.type !== 'close') return;
    try {
      await server.close();
    } finally {
      process.exit(0);
    }
  });
  process.send({
    type: 'ready',
    url: server.url,
    publishableKey,
    describe: `${store === 'pglite' ? 'PGlite (embedded, data directory on disk)' : 'PostgreSQL 15 via pg'}; rate limits and card-testing defence off, logging on`,
  });
} catch (e) {
  fail(e);
}
