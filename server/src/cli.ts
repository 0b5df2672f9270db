/**
 * `cardvault-vault` — run and administer the reference vault.
 *
 *   serve [--port N] [--host H] [--data-dir DIR]     (env PORT / CARDVAULT_PORT, DATABASE_URL)
 *   init [--name NAME]                                create an account, print its test keys (JSON)
 *   keys create --type publishable|secret [--live] [--origin URL]... [--account ID]
 *   keys list [--account ID]
 *   keys revoke KEY_ID
 *   keys roll KEY_ID [--grace SECONDS]
 *   rotate-data-key [--batch-size N]                  re-encrypt everything under a new data key
 *   rotate-encryption-key [--grace SECONDS]           add a JWE key; older ones retire after the grace
 *   retire-encryption-keys                            retire keys whose grace has ended
 *
 * With PGlite (the default) only one process may open a data directory: while a vault serves it,
 * the commands run inside that vault through its admin socket (<data dir>/admin.sock, mode 0600).
 * Against PostgreSQL they run here, beside running vaults, which follow through LISTEN/NOTIFY.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AdminInputError } from './admin/operations';
import { runAdmin } from './admin/run';
import { AdminRemoteError } from './admin/socket';
import { startServer } from './app';

export { startServer, createRequestHandler } from './app';
export { ensureDemoAccount } from './demo-account';
export { openStore } from './store/open';
export { Vault } from './vault';
export { jsonLineSink, silentSink } from './log';

interface Parsed {
  positional: string[];
  flags: Map<string, string[]>;
}

const BOOLEAN_FLAGS = new Set(['live', 'help']);

function parseArgs(argv: readonly string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    let value: string;
    if (eq > 0) value = a.slice(eq + 1);
    else if (BOOLEAN_FLAGS.has(name)) value = 'true';
    else {
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`--${name} needs a value.`);
      value = next;
      i++;
    }
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { positional, flags };
}

class UsageError extends Error {}

function flag(p: Parsed, name: string): string | undefined {
  return p.flags.get(name)?.at(-1);
}

function intFlag(p: Parsed, name: string, fallback: number): number {
  const v = flag(p, name);
  if (v === undefined) return fallback;
  if (!/^[0-9]{1,9}$/.test(v)) throw new UsageError(`--${name} must be a non-negative integer.`);
  return Number(v);
}

const USAGE = `Usage: cardvault-vault <command> [options]

Commands:
  serve [--port 4242] [--host 127.0.0.1] [--data-dir ./.data/vault]
  init [--name NAME]
  keys create --type publishable|secret [--live] [--origin URL ...] [--account ACCT]
  keys list [--account ACCT]
  keys revoke KEY_ID
  keys roll KEY_ID [--grace SECONDS]
  rotate-data-key [--batch-size 500]
  rotate-encryption-key [--grace SECONDS]
  retire-encryption-keys

Environment: DATABASE_URL (PostgreSQL instead of PGlite), CARDVAULT_KEK / CARDVAULT_KEK_FILE,
PORT / CARDVAULT_PORT, CARDVAULT_DATA_DIR, CARDVAULT_TOKEN_TTL_SECONDS.`;

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Runs an admin operation (admin/operations.ts): inside the vault serving this PGlite data dir
 * through its admin socket, else on a store opened here (PostgreSQL: always here).
 */
async function admin(p: Parsed, op: string, args: Record<string, unknown> = {}): Promise<number> {
  const env = process.env;
  const result = await runAdmin(
    {
      dataDir: flag(p, 'data-dir') ?? env.CARDVAULT_DATA_DIR ?? './.data/vault',
      ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
      // Admin commands log to stderr so stdout stays machine-readable JSON.
      log: (e) => process.stderr.write(`${JSON.stringify(e)}\n`),
    },
    op,
    args,
  );
  print(result);
  return 0;
}

/** Runs the CLI with `argv` (without node and script). Resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let p: Parsed;
  try {
    p = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [command, sub, arg] = p.positional;
  try {
    switch (command) {
      case 'serve': {
        const env = process.env;
        const port = intFlag(p, 'port', Number(env.CARDVAULT_PORT ?? env.PORT ?? 4242));
        const host = flag(p, 'host') ?? '127.0.0.1';
        const dataDir = flag(p, 'data-dir') ?? env.CARDVAULT_DATA_DIR ?? './.data/vault';
        const ttl = env.CARDVAULT_TOKEN_TTL_SECONDS ? Number(env.CARDVAULT_TOKEN_TTL_SECONDS) : undefined;
        const server = await startServer({
          port,
          host,
          dataDir,
          ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
          ...(ttl !== undefined && Number.isFinite(ttl) ? { tokenTtlSeconds: ttl } : {}),
          ...(env.CARDVAULT_TRUST_PROXY === '1' ? { trustProxy: true } : {}),
          ...(env.CARDVAULT_RATE_LIMIT === 'off' ? { abuse: { perIp: false, perKey: false, cardTesting: false } } : {}),
        });
        // One plain line a supervisor (or the crash test) can wait for.
        process.stdout.write(`cardvault-vault listening on ${server.url}\n`);
        const stop = (): void => {
          void server.close().then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        return await new Promise<number>(() => {});
      }
      case 'init':
        return await admin(p, 'init', { ...(flag(p, 'name') !== undefined ? { name: flag(p, 'name') } : {}) });
      case 'keys': {
        if (sub !== 'create' && sub !== 'list' && sub !== 'revoke' && sub !== 'roll') throw new UsageError('keys needs create, list, revoke or roll.');
        const args: Record<string, unknown> = {};
        if (flag(p, 'account') !== undefined) args.account = flag(p, 'account');
        if (sub === 'create') {
          args.type = flag(p, 'type');
          args.live = flag(p, 'live') === 'true';
          if (p.flags.has('origin')) args.origins = p.flags.get('origin');
        }
        if (sub === 'revoke' || sub === 'roll') {
          if (!arg) throw new UsageError(`keys ${sub} needs a key id (key_…).`);
          args.id = arg;
        }
        if (sub === 'roll') args.grace = intFlag(p, 'grace', 0);
        return await admin(p, `keys.${sub}`, args);
      }
      case 'rotate-data-key':
        return await admin(p, 'rotate-data-key', { 'batch-size': intFlag(p, 'batch-size', 500) });
      case 'rotate-encryption-key':
        return await admin(p, 'rotate-encryption-key', { grace: intFlag(p, 'grace', 3600) });
      case 'retire-encryption-keys':
        return await admin(p, 'retire-encryption-keys');
      case undefined:
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`Unknown command: ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof AdminInputError || (error instanceof AdminRemoteError && error.failure.input)) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    const e = error as { message?: string; };
    process.stderr.write(`cardvault-vault: ${e.message ?? String(error)}\n`);
    return 1;
  }
}

function isEntry(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
