/**
 * Operator actions on API keys (`cardvault-vault keys …`). The operator may create, roll and
 * revoke any key, secret keys included; through the HTTP API a secret key manages publishable keys
 * only (key-scopes.ts). Keys made here record `created_by: 'operator'`.
 */
import { renderApiKey } from '../routes/render';
import { OPERATOR } from '../key-scopes';
import { accountArg, AdminArgumentError, boolArg, intArg, listArg, stringArg, type AdminContext } from './context';

/** `keys create --type publishable|secret [--live] [--origin URL]… [--account ACCT]` → the key, with its secret. */
export async function createKey(ctx: AdminContext, args: Record<string, unknown>): Promise<unknown> {
  const type = stringArg(args, 'type');
  if (type !== 'publishable' && type !== 'secret') throw new AdminArgumentError('--type must be publishable or secret.');
  const live = boolArg(args, 'live');
  const origins = listArg(args, 'origin') ?? null;
  // Said in the CLI's own terms: the flag is --origin (the API's parameter is allowed_origins).
  if (type === 'publishable' && live && (origins === null || origins.length === 0)) {
    throw new AdminArgumentError('Live publishable keys need at least one --origin URL (a page allowed to use them, claimed by the account: `cardvault-vault origins claim URL --account ACCT`).');
  }
  if (type === 'secret' && origins !== null) throw new AdminArgumentError('Secret keys are never used from browsers; they take no --origin.');
  const created = await ctx.vault.createApiKey(await accountArg(ctx, args), type, live, origins, undefined, OPERATOR);
  return renderApiKey(created.row, ctx.vault.now(), created.secret);
}

/** `keys list [--account ACCT]` → every key of the account (secret keys redacted). */
export async function listKeys(ctx: AdminContext, args: Record<string, unknown>): Promise<unknown> {
  const now = ctx.vault.now();
  return (await ctx.store.listApiKeys(await accountArg(ctx, args))).map((k) => renderApiKey(k, now));
}

/** `keys revoke KEY_ID [--cascade]` → the revoked key and `cascaded`, the ids of keys it had created. */
export async function revokeKey(ctx: AdminContext, args: Record<string, unknown>): Promise<unknown> {
  const id = stringArg(args, 'id', 'keys revoke needs a key id (key_…).')!;
  const row = await ctx.store.getApiKey(id);
  if (!row) throw new AdminArgumentError(`No such key: ${id}`);
  const { key, cascaded } = await ctx.vault.revokeApiKey(row.accountId, id, { actor: OPERATOR, cascade: boolArg(args, 'cascade') });
  return { ...renderApiKey(key, ctx.vault.now()), cascaded };
}

/** `keys roll KEY_ID [--grace SECONDS]` → the new key with its secret, and `previous`. */
export async function rollKey(ctx: AdminContext, args: Record<string, unknown>): Promise<unknown> {
  const id = stringArg(args, 'id', 'keys roll needs a key id (key_…).')!;
  const row = await ctx.store.getApiKey(id);
  if (!row) throw new AdminArgumentError(`No such key: ${id}`);
  const { old, created } = await ctx.vault.rollApiKey(row.accountId, id, intArg(args, 'grace', 0), OPERATOR);
  const now = ctx.vault.now();
  return { ...renderApiKey(created.row, now, created.secret), previous: renderApiKey(old, now) };
}
