/**
 * The reference vault's programmatic API (tests, the demo, benchmarks).
 *
 * @example
 * import { openStore, startServer, ensureDemoAccount } from './server/src';
 * const store = await openStore({ dataDir: 'memory://' });
 * const keys = await ensureDemoAccount(store);
 * const { url, close } = await startServer({ port: 0, store });
 */
export { startServer, createRequestHandler } from './app';
export type { StartServerOptions, RunningServer, AppOptions } from './app';
export { ensureDemoAccount } from './demo-account';
export type { DemoKeys } from './demo-account';
export { openStore } from './store/open';
export type { OpenStoreOptions } from './store/open';
export type { Store } from './store/types';
export { SqlStore } from './store/sql-store';
export { Vault } from './vault';
export type { VaultOptions } from './vault';
export { jsonLineSink, silentSink } from './log';
export type { LogSink, LogEntry } from './log';
export type { AbuseOptions } from './abuse';
export { APPROVED_CARDS, DECLINING_CARDS } from './processor';
