/**
 * What an operator action gets, and how it reads its arguments. Each action is a function
 * `(ctx, args) => Promise<unknown>` whose result is JSON: the CLI prints it, and an admin channel
 * into a running vault can run the same function inside the serving process.
 */
import type { Store } from '../store/types';
import type { Vault } from '../vault';

export interface AdminContext {
  vault: Vault;
  store: Store;
}

/** An operator action. `args` come from the CLI's flags or an admin channel's request. */
export type AdminOperation = (ctx: AdminContext, args: Record<string, unknown>) => Promise<unknown>;

/** A missing or malformed argument: the CLI answers it with its usage text (exit code 2). */
export class AdminArgumentError extends Error {
  override readonly name = 'AdminArgumentError';
}

/** A string argument; `required` throws {@link AdminArgumentError} naming the CLI form. */
export function stringArg(args: Record<string, unknown>, name: string, usage?: string): string | undefined {
  const v = args[name];
  if (v === undefined || v === null || v === '') {
    if (usage !== undefined) throw new AdminArgumentError(usage);
    return undefined;
  }
  if (typeof v !== 'string') throw new AdminArgumentError(`${name} must be a string.`);
  return v;
}

/** A list of strings (a repeated flag); a single string is a list of one. */
export function listArg(args: Record<string, unknown>, name: string): string[] | undefined {
  const v = args[name];
  if (v === undefined || v === null) return undefined;
  const items = Array.isArray(v) ? v : [v];
  if (!items.every((i): i is string => typeof i === 'string')) throw new AdminArgumentError(`${name} must be strings.`);
  return items;
}

/** A boolean: true, false, or the strings 'true' / 'false' (CLI flags). */
export function boolArg(args: Record<string, unknown>, name: string): boolean {
  const v = args[name];
  if (v === undefined || v === null || v === false || v === 'false') return false;
  if (v === true || v === 'true') return true;
  throw new AdminArgumentError(`${name} must be true or false.`);
}

/** A non-negative integer (number or digits). */
export function intArg(args: Record<string, unknown>, name: string, fallback: number): number {
  const v = args[name];
  if (v === undefined || v === null) return fallback;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[0-9]{1,9}$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0) throw new AdminArgumentError(`${name} must be a non-negative integer.`);
  return n;
}

/** `args.account`, or the only account there is. */
export async function accountArg(ctx: AdminContext, args: Record<string, unknown>): Promise<string> {
  const given = stringArg(args, 'account');
  if (given !== undefined) {
    if (!(await ctx.store.getAccount(given))) throw new AdminArgumentError(`No such account: ${given}`);
    return given;
  }
  const accounts = await ctx.store.listAccounts();
  if (accounts.length === 1) return accounts[0]!.id;
  if (accounts.length === 0) throw new AdminArgumentError('No account yet: run `cardvault-vault init` first.');
  throw new AdminArgumentError(`Several accounts exist; pass --account (${accounts.map((a) => a.id).join(', ')}).`);
}
