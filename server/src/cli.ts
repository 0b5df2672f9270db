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
 *   rotate-data-key                                   re-encrypt everything under a new data key
 *   rotate-encryption-key [--grace SECONDS]           add a JWE key; older ones retire after the grace
 *   retire-encryption-keys                            retire keys whose grace has ended
 *   blocks list                                       live card-testing blocks
 *   blocks clear [--ip IP] [--key KEY_ID]             clear blocks (all without a filter)
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
import { AdminArgumentError, type AdminOperation } from './admin/context';
import { createKey, listKeys, revokeKey, rollKey } from './admin/keys';
import { claimOrigin, listOrigins, releaseOrigin } from './admin/origins';
import { clearBlocks, listBlocks } from './admin/blocks';

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
  rotate-data-key
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

async function withVault<T>(p: Parsed, fn: (vault: Vault, store: SqlStore) => Promise<T>): Promise<T> {
  const env = process.env;
  const dataDir = flag(p, 'data-dir') ?? env.CARDVAULT_DATA_DIR ?? './.data/vault';
  const store = await openStore({ ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL, ...pgSchema(env) } : {}), dataDir });
  try {
    // Admin commands log to stderr so stdout stays machine-readable JSON.
    const vault = await Vault.create({ store, log: (e) => process.stderr.write(`${JSON.stringify(e)}\n`) });
    if (!env.DATABASE_URL) rememberKek(dataDir, env);
    return await fn(vault, store);
  } finally {
    await store.close();
  }
}

/** CARDVAULT_PG_SCHEMA: the PostgreSQL schema to use (created if missing); default the search_path. */
function pgSchema(env: NodeJS.ProcessEnv): { schema?: string } {
  return env.CARDVAULT_PG_SCHEMA ? { schema: env.CARDVAULT_PG_SCHEMA } : {};
}

/** Runs an operator action (admin/) on the store, with the flags as its arguments. */
async function runOperation(p: Parsed, operation: AdminOperation, extra: Record<string, unknown>): Promise<number> {
  const args: Record<string, unknown> = {};
  for (const [name, values] of p.flags) args[name] = name === 'origin' ? values : values.at(-1);
  return withVault(p, async (vault, store) => {
    print(await operation({ vault, store }, { ...args, ...extra }));
    return 0;
  });
}

const KEY_OPERATIONS: Record<string, AdminOperation> = { create: createKey, list: listKeys, revoke: revokeKey, roll: rollKey };
const ORIGIN_OPERATIONS: Record<string, AdminOperation> = { claim: claimOrigin, list: listOrigins, release: releaseOrigin };
const BLOCK_OPERATIONS: Record<string, AdminOperation> = { list: listBlocks, clear: clearBlocks };

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
      case 'keys': {
        const operation = sub !== undefined && Object.hasOwn(KEY_OPERATIONS, sub) ? KEY_OPERATIONS[sub] : undefined;
        if (!operation) throw new UsageError('keys needs create, list, revoke or roll.');
        return await runOperation(p, operation, arg !== undefined ? { id: arg } : {});
      }
      case 'origins': {
        const operation = sub !== undefined && Object.hasOwn(ORIGIN_OPERATIONS, sub) ? ORIGIN_OPERATIONS[sub] : undefined;
        if (!operation) throw new UsageError('origins needs claim, list or release.');
        return await runOperation(p, operation, arg !== undefined ? { origin: arg } : {});
      }
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
      case 'blocks': {
        const operation = sub !== undefined && Object.hasOwn(BLOCK_OPERATIONS, sub) ? BLOCK_OPERATIONS[sub] : undefined;
        if (!operation) throw new UsageError('blocks needs list or clear.');
        return await runOperation(p, operation, {});
      }
      case undefined:
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`Unknown command: ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof AdminArgumentError) {
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
