/**
 * The vault's administrative operations, by name. The CLI runs each one either inside the serving
 * vault (PGlite: through the admin socket, see socket.ts) or on a store it opens itself
 * (PostgreSQL, or no vault serving): the same code either way, so both behave the same.
 *
 * To add one: write an {@link AdminOperation} and add ONE entry to {@link ADMIN_OPERATIONS}.
 * Arguments and results cross a socket as JSON: plain values only.
 */
import { CardvaultError } from '../../../src/errors';
import type { Store } from '../store/types';
import type { Vault } from '../vault';
import { clearBlocks, listBlocks } from './blocks';
import { AdminArgumentError, intArg, stringArg, type AdminOperation } from './context';
import { createKey, listKeys, revokeKey, rollKey } from './keys';
import { claimOrigin, listOrigins, releaseOrigin } from './origins';

export type { AdminOperation } from './context';

/** Bad arguments from the operator (the CLI prints its usage and exits 2): one class for every operation. */
export { AdminArgumentError as AdminInputError } from './context';

const init: AdminOperation = async ({ vault }, args) => {
  await vault.ensureEncryptionKey();
  const account = await vault.createAccount(stringArg(args, 'name') ?? 'Default');
  const pk = await vault.createApiKey(account.id, 'publishable', false);
  const sk = await vault.createApiKey(account.id, 'secret', false);
  return { account: account.id, publishable_key: pk.secret, secret_key: sk.secret };
};

const rotateDataKey: AdminOperation = ({ vault }, args) => vault.rotateDataKey({ batchSize: Math.max(1, intArg(args, 'batch-size', 500)) });

const rotateEncryptionKey: AdminOperation = ({ vault }, args) => vault.rotateEncryptionKey(intArg(args, 'grace', 3600));

const retireEncryptionKeys: AdminOperation = async ({ vault }) => ({ retired: await vault.retireEncryptionKeys() });

/** Every operation the CLI (and the admin socket) can run, by name. */
export const ADMIN_OPERATIONS: Readonly<Record<string, AdminOperation>> = {
  init,
  'keys.create': createKey,
  'keys.list': listKeys,
  'keys.revoke': revokeKey,
  'keys.roll': rollKey,
  'origins.claim': claimOrigin,
  'origins.list': listOrigins,
  'origins.release': releaseOrigin,
  'blocks.list': listBlocks,
  'blocks.clear': clearBlocks,
  'rotate-data-key': rotateDataKey,
  'rotate-encryption-key': rotateEncryptionKey,
  'retire-encryption-keys': retireEncryptionKeys,
};

/** Runs a named operation; unknown names are the operator's mistake. */
export async function runOperation(name: string, ctx: { vault: Vault; store: Store }, args: Record<string, unknown>): Promise<unknown> {
  const op = Object.hasOwn(ADMIN_OPERATIONS, name) ? ADMIN_OPERATIONS[name] : undefined;
  if (op === undefined) throw new AdminArgumentError(`Unknown admin operation: ${name}`);
  return op(ctx, args);
}

/** What an operation's failure looks like on the wire: a message, and whether it is an input error. */
export interface AdminFailure {
  message: string;
  input: boolean;
  code?: string;
}

export function describeFailure(error: unknown): AdminFailure {
  if (error instanceof AdminArgumentError) return { message: error.message, input: true };
  if (error instanceof CardvaultError) return { message: error.message, input: false, code: error.code };
  return { message: (error as { message?: string }).message ?? String(error), input: false };
}
