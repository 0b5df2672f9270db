/**
 * `cardvault-vault` — run and administer the reference vault.
 *
 *   serve [--port N] [--host H] [--data-dir DIR] [--shutdown-grace SECONDS]
 *                                                     (env PORT / CARDVAULT_PORT, DATABASE_URL)
 *   init [--name NAME]                                create an account, print its test keys (JSON)
 *   keys create --type publishable|secret [--live] [--origin URL]... [--account ID]
 *   keys list [--account ID]
 *   keys revoke KEY_ID [--cascade]                    --cascade: also the keys it created
 *   keys roll KEY_ID [--grace SECONDS]
 *   origins claim URL [--account ID] [--note TEXT]    after verifying the account controls URL
 *   origins list [--account ID] [--unclaimed]
 *   origins release URL
 *   rotate-data-key [--batch-size N]                  re-encrypt everything under a new data key
 *   rotate-encryption-key [--grace SECONDS]           add a JWE key; older ones retire after the grace
 *   retire-encryption-keys                            retire keys whose grace has ended
 *   blocks list                                       live card-testing blocks
 *   blocks clear [--ip IP] [--key KEY_ID]             clear blocks (all without a filter)
 *
 * With PGlite (the default) only one process may open a data directory: while a vault serves it,
 * the commands run inside that vault through its admin socket (<data dir>/admin.sock, mode 0600).
 * Against PostgreSQL they run here, beside running vaults, which follow through LISTEN/NOTIFY.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runAdmin } from './admin/run';
import { AdminRemoteError } from './admin/socket';
import { AdminArgumentError } from './admin/context';
import { rememberKek } from './lifecycle/preflight';
import { serve } from './lifecycle/serve';

export { startServer, createRequestHandler } from './app';
export { ensureDemoAccount } from './demo-account';
export { openStore } from './store/open';
export { Vault } from './vault';
export { jsonLineSink, silentSink } from './log';

interface Parsed {
  positional: string[];
  flags: Map<string, string[]>;
}

const BOOLEAN_FLAGS = new Set(['live', 'help', 'cascade', 'unclaimed']);

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
  serve [--port 4242] [--host 127.0.0.1] [--data-dir ./.data/vault] [--shutdown-grace 10]
  init [--name NAME]
  keys create --type publishable|secret [--live] [--origin URL ...] [--account ACCT]
  keys list [--account ACCT]
  keys revoke KEY_ID [--cascade]
  keys roll KEY_ID [--grace SECONDS]
  origins claim URL [--account ACCT] [--note TEXT]
  origins list [--account ACCT] [--unclaimed]
  origins release URL
  rotate-data-key [--batch-size 500]
  rotate-encryption-key [--grace SECONDS]
  retire-encryption-keys
  blocks list
  blocks clear [--ip IP] [--key KEY_ID]

Environment: DATABASE_URL (PostgreSQL instead of PGlite), CARDVAULT_KEK / CARDVAULT_KEK_FILE,
PORT / CARDVAULT_PORT, CARDVAULT_DATA_DIR, CARDVAULT_TOKEN_TTL_SECONDS, CARDVAULT_SHUTDOWN_GRACE_SECONDS,
CARDVAULT_PG_SCHEMA, CARDVAULT_TRUST_PROXY (number of proxies in front, or their CIDRs).`;

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Runs an admin operation (admin/operations.ts) with the flags as its arguments: inside the vault
 * serving this PGlite data dir through its admin socket, else on a store opened here (PostgreSQL:
 * always here, beside running vaults).
 */
async function admin(p: Parsed, op: string, extra: Record<string, unknown> = {}): Promise<number> {
  const env = process.env;
  const dataDir = flag(p, 'data-dir') ?? env.CARDVAULT_DATA_DIR ?? './.data/vault';
  const args: Record<string, unknown> = {};
  // --origin repeats (a list); every other flag is its last value.
  for (const [name, values] of p.flags) if (name !== 'data-dir') args[name] = name === 'origin' ? values : values.at(-1);
  const result = await runAdmin(
    {
      dataDir,
      ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
      // Admin commands log to stderr so stdout stays machine-readable JSON.
      log: (e) => process.stderr.write(`${JSON.stringify(e)}\n`),
    },
    op,
    { ...args, ...extra },
  );
  if (!env.DATABASE_URL) rememberKek(dataDir, env);
  print(result);
  return 0;
}

/** The operator commands with sub-commands, each run as the admin operation `command.sub`. */
const ADMIN_COMMANDS: Record<'keys' | 'origins' | 'blocks', readonly string[]> = {
  keys: ['create', 'list', 'revoke', 'roll'],
  origins: ['claim', 'list', 'release'],
  blocks: ['list', 'clear'],
};

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
      case 'serve':
        return await serve({ port: flag(p, 'port'), host: flag(p, 'host'), dataDir: flag(p, 'data-dir'), shutdownGrace: flag(p, 'shutdown-grace') });
      case 'init':
        return await admin(p, 'init');
      case 'keys':
      case 'origins':
      case 'blocks': {
        const subs = ADMIN_COMMANDS[command];
        if (sub === undefined || !subs.includes(sub)) throw new UsageError(`${command} needs ${subs.join(', ')}.`);
        return await admin(p, `${command}.${sub}`, arg !== undefined ? { [command === 'origins' ? 'origin' : 'id']: arg } : {});
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
    if (error instanceof UsageError || error instanceof AdminArgumentError || (error instanceof AdminRemoteError && error.failure.input)) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    const e = error as { message?: string; };
    // One line, whatever the error: supervisors and humans read the last line.
    process.stderr.write(`cardvault-vault: ${(e.message ?? String(error)).replace(/\s*\n\s*/g, ' ')}\n`);
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
