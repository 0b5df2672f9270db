/**
 * `cardvault-vault serve`: checks the settings, starts the vault, and stops it gracefully on
 * SIGTERM or SIGINT (a second signal stops at once).
 */
import { startServer } from '../app';
import { checkDatabase, checkDataDir, checkKek, checkPort, rememberKek } from './preflight';
import { readServeConfig, type ServeFlags } from './serve-config';

/**
 * Runs the vault until a signal stops it; resolves to the exit code (0 after a graceful stop).
 * Throws a `StartupError` (one line naming the setting) when it cannot start.
 */
export async function serve(flags: ServeFlags, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const config = readServeConfig(flags, env);
  // Cheapest first, and everything that needs no database before the store is opened.
  checkKek(config, env);
  checkDataDir(config);
  await checkPort(config);
  await checkDatabase(config, env);
  const server = await startServer({
    port: config.port,
    host: config.host,
    dataDir: config.dataDir,
    ...(config.databaseUrl !== undefined ? { databaseUrl: config.databaseUrl } : {}),
    ...(config.tokenTtlSeconds !== undefined ? { tokenTtlSeconds: config.tokenTtlSeconds } : {}),
    ...(env.CARDVAULT_TRUST_PROXY ? { trustProxy: env.CARDVAULT_TRUST_PROXY } : {}),
    ...(env.CARDVAULT_RATE_LIMIT === 'off' ? { abuse: { perIp: false, perKey: false, cardTesting: false } } : {}),
  });
  if (config.databaseUrl === undefined) rememberKek(config.dataDir, env);
  // One plain line a supervisor (or a test) can wait for.
  process.stdout.write(`cardvault-vault listening on ${server.url}\n`);

  return new Promise<number>((done) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        server.vault.log.warn('shutdown_forced', { signal });
        done(1);
        return;
      }
      stopping = true;
      server.vault.log.info('shutdown_started', { signal, grace_ms: config.shutdownGraceMs });
      server.stop(config.shutdownGraceMs).then(
        ({ inFlight, cut }) => {
          server.vault.log[cut > 0 ? 'warn' : 'info']('shutdown_complete', { in_flight: inFlight, cut });
          done(0);
        },
        () => done(1),
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
