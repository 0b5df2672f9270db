// The vault in its own process for the bench (forked by lib/vault.mjs): starts the built vault on
// 127.0.0.1 and port 0 with the chosen store, seeds the demo account with the vault's own helper,
// and reports its URL and publishable test key over IPC. Its stdout (JSON logs) goes to /dev/null:
// logging stays on, as in production.
//
// The abuse controls run, so their cost per request is in the figures (on PostgreSQL every bucket
// and counter is a database row): the buckets are taken on every request but sized so one client IP
// sending thousands of tokenizations a second never empties them, and the card-testing counters
// run with their defaults (the generator's 6 test cards stay under 10 distinct cards).
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
    abuse: { perIp: { rate: 1e9, burst: 1e9 }, perKey: { rate: 1e9, burst: 1e9 } },
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
    describe: `${store === 'pglite' ? 'PGlite (embedded, data directory on disk)' : 'PostgreSQL 15 via pg'}; abuse controls on (buckets sized never to empty, card-testing defaults), logging on`,
  });
} catch (e) {
  fail(e);
}
