/**
 * `cardvault-vault` — run and administer the reference vault.
 *
 *   serve [--port N] [--host H] [--data-dir DIR] [--shutdown-grace SECONDS]
 *                                                     (env PORT / CARDVAULT_PORT, DATABASE_URL)
 *   init [--name NAME]                                create an account, print its test keys (JSON)
 *   keys create --type publishable|secret [--live] [--origin URL]... [--account ID]
 *   keys list [--account ID]
 *   keys revoke KEY_ID
 *   keys roll KEY_ID [--grace SECONDS]
 *   rotate-data-key                                   re-encrypt everything under a new data key
 *   rotate-encryption-key [--grace SECONDS]           add a JWE key; older ones retire after the grace
 *   retire-encryption-keys                            retire keys whose grace has ended
 *
 * With PGlite (the default) only one process may open a data directory: administer a running
 * vault through its HTTP API, or stop it first. Against PostgreSQL the commands run beside it.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rememberKek } from './lifecycle/preflight';
import { serve } from './lifecycle/serve';
import { openStore } from './store/open';
import type { SqlStore } from './store/sql-store';
import { Vault } from './vault';
import { renderApiKey } from './routes/render';

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
  serve [--port 4242] [--host 127.0.0.1] [--data-dir ./.data/vault] [--shutdown-grace 10]
  init [--name NAME]
  keys create --type publishable|secret [--live] [--origin URL ...] [--account ACCT]
  keys list [--account ACCT]
  keys revoke KEY_ID
  keys roll KEY_ID [--grace SECONDS]
  rotate-data-key
  rotate-encryption-key [--grace SECONDS]
  retire-encryption-keys

Environment: DATABASE_URL (PostgreSQL instead of PGlite), CARDVAULT_KEK / CARDVAULT_KEK_FILE,
PORT / CARDVAULT_PORT, CARDVAULT_DATA_DIR, CARDVAULT_TOKEN_TTL_SECONDS, CARDVAULT_SHUTDOWN_GRACE_SECONDS.`;

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

async function withVault<T>(p: Parsed, fn: (vault: Vault, store: SqlStore) => Promise<T>): Promise<T> {
  const env = process.env;
  const dataDir = flag(p, 'data-dir') ?? env.CARDVAULT_DATA_DIR ?? './.data/vault';
  const store = await openStore({ ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}), dataDir });
  try {
    // Admin commands log to stderr so stdout stays machine-readable JSON.
    const vault = await Vault.create({ store, log: (e) => process.stderr.write(`${JSON.stringify(e)}\n`) });
    if (!env.DATABASE_URL) rememberKek(dataDir, env);
    return await fn(vault, store);
  } finally {
    await store.close();
  }
}

async function resolveAccount(vault: Vault, p: Parsed): Promise<string> {
  const given = flag(p, 'account');
  if (given) return given;
  const accounts = await vault.store.listAccounts();
  if (accounts.length === 1) return accounts[0]!.id;
  if (accounts.length === 0) throw new UsageError('No account yet: run `cardvault-vault init` first.');
  throw new UsageError(`Several accounts exist; pass --account (${accounts.map((a) => a.id).join(', ')}).`);
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
      case 'serve':
        return await serve({ port: flag(p, 'port'), host: flag(p, 'host'), dataDir: flag(p, 'data-dir'), shutdownGrace: flag(p, 'shutdown-grace') });
      case 'init':
        return await withVault(p, async (vault) => {
          await vault.ensureEncryptionKey();
          const account = await vault.createAccount(flag(p, 'name') ?? 'Default');
          const pk = await vault.createApiKey(account.id, 'publishable', false);
          const sk = await vault.createApiKey(account.id, 'secret', false);
          print({ account: account.id, publishable_key: pk.secret, secret_key: sk.secret });
          return 0;
        });
      case 'keys':
        return await withVault(p, async (vault, store) => {
          const now = vault.now();
          if (sub === 'create') {
            const type = flag(p, 'type');
            if (type !== 'publishable' && type !== 'secret') throw new UsageError('--type must be publishable or secret.');
            const origins = p.flags.get('origin') ?? null;
            const created = await vault.createApiKey(await resolveAccount(vault, p), type, flag(p, 'live') === 'true', origins);
            print(renderApiKey(created.row, now, created.secret));
            return 0;
          }
          if (sub === 'list') {
            print((await store.listApiKeys(await resolveAccount(vault, p))).map((k) => renderApiKey(k, now)));
            return 0;
          }
          if (sub === 'revoke' || sub === 'roll') {
            if (!arg) throw new UsageError(`keys ${sub} needs a key id (key_…).`);
            const row = await store.getApiKey(arg);
            if (!row) throw new UsageError(`No such key: ${arg}`);
            if (sub === 'revoke') print(renderApiKey(await vault.revokeApiKey(row.accountId, arg), now));
            else {
              const { old, created } = await vault.rollApiKey(row.accountId, arg, intFlag(p, 'grace', 0));
              print({ ...renderApiKey(created.row, now, created.secret), previous: renderApiKey(old, now) });
            }
            return 0;
          }
          throw new UsageError('keys needs create, list, revoke or roll.');
        });
      case 'rotate-data-key':
        return await withVault(p, async (vault, store) => {
          // Against a shared PostgreSQL, wait for running servers to pick up the new key.
          print(await vault.rotateDataKey({ settleMs: store.backend === 'postgres' ? 6_000 : 100 }));
          return 0;
        });
      case 'rotate-encryption-key':
        return await withVault(p, async (vault) => {
          print(await vault.rotateEncryptionKey(intFlag(p, 'grace', 3600)));
          return 0;
        });
      case 'retire-encryption-keys':
        return await withVault(p, async (vault) => {
          print({ retired: await vault.retireEncryptionKeys() });
          return 0;
        });
      case undefined:
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`Unknown command: ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
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
