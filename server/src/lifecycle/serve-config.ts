/**
 * `cardvault-vault serve`'s settings, read and checked before anything is opened: a bad one stops
 * the start with one line that names the flag or variable to fix (never its value when secret).
 */
import { DEFAULT_SHUTDOWN_GRACE_MS } from './graceful-stop';

/** A bad setting or environment found at start-up. Its message is the one line printed. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

export interface ServeFlags {
  port?: string | undefined;
  host?: string | undefined;
  dataDir?: string | undefined;
  shutdownGrace?: string | undefined;
}

export interface ServeConfig {
  port: number;
  /** The flag or variable the port came from, for messages. */
  portSetting: string;
  host: string;
  dataDir: string;
  dataDirSetting: string;
  databaseUrl?: string;
  tokenTtlSeconds?: number;
  shutdownGraceMs: number;
}

function pick(flagValue: string | undefined, flagName: string, env: NodeJS.ProcessEnv, names: readonly string[]): [string, string] | null {
  if (flagValue !== undefined) return [flagValue, flagName];
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v !== '') return [v, n];
  }
  return null;
}

/** Quotes a non-secret value for a message, bounded so a message stays one short line. */
function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** Reads the serve settings from flags and environment; throws {@link StartupError} on the first bad one. */
export function readServeConfig(flags: ServeFlags, env: NodeJS.ProcessEnv): ServeConfig {
  const portPick = pick(flags.port, '--port', env, ['CARDVAULT_PORT', 'PORT']) ?? ['4242', 'default'];
  const [portText, portSetting] = portPick;
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65_535) {
    throw new StartupError(`${portSetting} must be a port number from 0 to 65535 (got ${shown(portText)}).`);
  }
  const [host] = pick(flags.host, '--host', env, []) ?? ['127.0.0.1'];
  if (host.trim() === '') throw new StartupError('--host must not be empty.');
  const [dataDir, dataDirSetting] = pick(flags.dataDir, '--data-dir', env, ['CARDVAULT_DATA_DIR']) ?? ['./.data/vault', 'the default data directory'];

  const graceMs = (() => {
    const g = pick(flags.shutdownGrace, '--shutdown-grace', env, ['CARDVAULT_SHUTDOWN_GRACE_SECONDS']);
    if (g === null) return DEFAULT_SHUTDOWN_GRACE_MS;
    if (!/^[0-9]{1,4}(\.[0-9]{1,3})?$/.test(g[0]) || Number(g[0]) > 3600) {
      throw new StartupError(`${g[1]} must be a number of seconds from 0 to 3600 (got ${shown(g[0])}).`);
    }
    return Math.round(Number(g[0]) * 1000);
  })();

  const config: ServeConfig = { port: Number(portText), portSetting, host, dataDir, dataDirSetting, shutdownGraceMs: graceMs };

  const ttl = env.CARDVAULT_TOKEN_TTL_SECONDS;
  if (ttl !== undefined && ttl !== '') {
    if (!/^[0-9]{1,6}$/.test(ttl) || Number(ttl) < 1 || Number(ttl) > 86_400) {
      throw new StartupError(`CARDVAULT_TOKEN_TTL_SECONDS must be a whole number of seconds from 1 to 86400 (got ${shown(ttl)}).`);
    }
    config.tokenTtlSeconds = Number(ttl);
  }

  const url = env.DATABASE_URL;
  if (url !== undefined && url !== '') {
    // Checked here, not by the driver: `pg` reads "not a url" as a host name and reports a DNS
    // failure for "base". Never echoed: the URL usually carries a password.
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      parsed = null;
    }
    if (parsed === null || !/^postgres(ql)?:$/.test(parsed.protocol)) {
      throw new StartupError('DATABASE_URL must be a postgres:// or postgresql:// URL (e.g. postgres://user:password@host:5432/db).');
    }
    config.databaseUrl = url;
  }
  return config;
}
