/**
 * The vault's administrative operations, by name. The CLI runs each one either inside the serving
 * vault (PGlite: through the admin socket, see socket.ts) or on a store it opens itself
 * (PostgreSQL, or no vault serving): the same code either way, so both behave the same.
 *
 * To add one: write an {@link AdminOperation} and add ONE entry to {@link ADMIN_OPERATIONS}.
 * Arguments and results cross a socket as JSON: plain values only.
 */
import { CardvaultError } from '../../../src/errors';
import { renderApiKey } from '../routes/render';
import type { Store } from '../store/types';
import type { Vault } from '../vault';

/** One operation: runs with the vault and store it is given; resolves a JSON-able result. */
export type AdminOperation = (ctx: { vault: Vault; store: Store }, args: Record<string, unknown>) => Promise<unknown>;

/** Bad arguments from the operator (the CLI prints its usage and exits 2). */
export class AdminInputError extends Error {
  override readonly name = 'AdminInputError';
}

function str(args: Record<string, unknown>, name: string): string | undefined {
  const v = args[name];
  return typeof v === 'string' ? v : undefined;
}

function int(args: Record<string, unknown>, name: string, fallback: number): number {
  const v = args[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new AdminInputError(`--${name} must be a non-negative integer.`);
  return v;
}

async function resolveAccount(store: Store, args: Record<string, unknown>): Promise<string> {
  const given = str(args, 'account');
  if (given) return given;
  const accounts = await store.listAccounts();
  if (accounts.length === 1) return accounts[0]!.id;
  if (accounts.length === 0) throw new AdminInputError('No account yet: run `cardvault-vault init` first.');
  throw new AdminInputError(`Several accounts exist; pass --account (${accounts.map((a) => a.id).join(', ')}).`);
}

async function keyRow(store: Store, args: Record<string, unknown>, verb: string) {
  const id = str(args, 'id');
  if (!id) throw new AdminInputError(`keys ${verb} needs a key id (key_…).`);
  const row = await store.getApiKey(id);
  if (!row) throw new AdminInputError(`No such key: ${id}`);
  return row;
}

const init: AdminOperation = async ({ vault }, args) => {
  await vault.ensureEncryptionKey();
  const account = await vault.createAccount(str(args, 'name') ?? 'Default');
  const pk = await vault.createApiKey(account.id, 'publishable', false);
  const sk = await vault.createApiKey(account.id, 'secret', false);
  return { account: account.id, publishable_key: pk.secret, secret_key: sk.secret };
};

const keysCreate: AdminOperation = async ({ vault, store }, args) => {
  const type = str(args, 'type');
  if (type !== 'publishable' && type !== 'secret') throw new AdminInputError('--type must be publishable or secret.');
  const origins = Array.isArray(args.origins) ? args.origins.map(String) : null;
  const created = await vault.createApiKey(await resolveAccount(store, args), type, args.live === true, origins);
  return renderApiKey(created.row, vault.now(), created.secret);
};

const keysList: AdminOperation = async ({ vault, store }, args) =>
  (await store.listApiKeys(await resolveAccount(store, args))).map((k) => renderApiKey(k, vault.now()));

const keysRevoke: AdminOperation = async ({ vault, store }, args) => {
  const row = await keyRow(store, args, 'revoke');
  return renderApiKey(await vault.revokeApiKey(row.accountId, row.id), vault.now());
};

const keysRoll: AdminOperation = async ({ vault, store }, args) => {
  const row = await keyRow(store, args, 'roll');
  const { old, created } = await vault.rollApiKey(row.accountId, row.id, int(args, 'grace', 0));
  const now = vault.now();
  return { ...renderApiKey(created.row, now, created.secret), previous: renderApiKey(old, now) };
};

const rotateDataKey: AdminOperation = ({ vault }, args) => vault.rotateDataKey({ batchSize: Math.max(1, int(args, 'batch-size', 500)) });

const rotateEncryptionKey: AdminOperation = ({ vault }, args) => vault.rotateEncryptionKey(int(args, 'grace', 3600));

const retireEncryptionKeys: AdminOperation = async ({ vault }) => ({ retired: await vault.retireEncryptionKeys() });

/** Every operation the CLI (and the admin socket) can run, by name. */
export const ADMIN_OPERATIONS: Readonly<Record<string, AdminOperation>> = {
  init,
  'keys.create': keysCreate,
  'keys.list': keysList,
  'keys.revoke': keysRevoke,
  'keys.roll': keysRoll,
  'rotate-data-key': rotateDataKey,
  'rotate-encryption-key': rotateEncryptionKey,
  'retire-encryption-keys': retireEncryptionKeys,
};

/** Runs a named operation; unknown names are the operator's mistake. */
export async function runOperation(name: string, ctx: { vault: Vault; store: Store }, args: Record<string, unknown>): Promise<unknown> {
  const op = Object.hasOwn(ADMIN_OPERATIONS, name) ? ADMIN_OPERATIONS[name] : undefined;
  if (op === undefined) throw new AdminInputError(`Unknown admin operation: ${name}`);
  return op(ctx, args);
}

/** What an operation's failure looks like on the wire: a message, and whether it is an input error. */
export interface AdminFailure {
  message: string;
  input: boolean;
  code?: string;
}

export function describeFailure(error: unknown): AdminFailure {
  if (error instanceof AdminInputError) return { message: error.message, input: true };
  if (error instanceof CardvaultError) return { message: error.message, input: false, code: error.code };
  return { message: (error as { message?: string }).message ?? String(error), input: false };
}
