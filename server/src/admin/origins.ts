/**
 * Operator actions on origin claims (`cardvault-vault origins …`). Claiming is the operator's
 * alone: no API credential can claim, so a leaked or hostile secret key cannot take a merchant's
 * origin. Verify ownership before claiming (server/README.md: DNS TXT record or /.well-known file).
 */
import type { OriginClaimRow } from '../store/origins';
import type { ApiKeyRow } from '../store/types';
import { accountArg, boolArg, stringArg, type AdminContext } from './context';

/** Neither revoked nor past its expiry: a key that still authenticates. */
function usable(k: ApiKeyRow, now: number): boolean {
  return k.revokedAt === null && (k.expiresAt === null || k.expiresAt > now);
}

function render(c: OriginClaimRow): Record<string, unknown> {
  return { origin: c.origin, account: c.accountId, claimed: Math.floor(c.claimedAt / 1000), note: c.note };
}

/** `origins claim URL --account ACCT [--note TEXT]` → the claim (the same one again if the account already holds it). */
export async function claimOrigin(ctx: AdminContext, args: Record<string, unknown>): Promise<unknown> {
  const origin = stringArg(args, 'origin', 'origins claim needs an origin (https://shop.example).')!;
  const account = await accountArg(ctx, args);
  return render(await ctx.vault.origins.claim(account, origin, stringArg(args, 'note') ?? null));
}

/**
 * `origins list [--account ACCT] [--unclaimed]` → the claims, by origin. With `--unclaimed`: the
 * origins live keys list that their account has not claimed (keys made before claims existed, or
 * after a release), with those accounts — what to verify and claim after upgrading.
 */
export async function listOrigins(ctx: AdminContext, args: Record<string, unknown>): Promise<unknown> {
  const account = stringArg(args, 'account');
  if (!boolArg(args, 'unclaimed')) return (await ctx.store.listOriginClaims(account)).map(render);
  const now = ctx.vault.now();
  const accounts = account !== undefined ? [account] : (await ctx.store.listAccounts()).map((a) => a.id);
  const wanted = new Map<string, Set<string>>();
  for (const id of accounts) {
    for (const k of await ctx.store.listApiKeys(id)) {
      if (!k.livemode || k.allowedOrigins === null || !usable(k, now)) continue;
      for (const o of k.allowedOrigins) wanted.set(o, (wanted.get(o) ?? new Set()).add(id));
    }
  }
  const claims = new Map((await ctx.store.getOriginClaims([...wanted.keys()])).map((c) => [c.origin, c.accountId]));
  return [...wanted]
    .map(([origin, ids]) => ({ origin, accounts: [...ids].filter((id) => claims.get(origin) !== id).sort(), claimed_by: claims.get(origin) ?? null }))
    .filter((o) => o.accounts.length > 0)
    .sort((a, b) => a.origin.localeCompare(b.origin));
}

/**
 * `origins release URL` → `{ origin, released, claim, live_keys }`. The account's live keys that list
 * the origin (`live_keys`) stop working from it at once in this process (others: within 5 s).
 */
export async function releaseOrigin(ctx: AdminContext, args: Record<string, unknown>): Promise<unknown> {
  const origin = stringArg(args, 'origin', 'origins release needs an origin (https://shop.example).')!;
  const released = await ctx.vault.origins.release(origin);
  if (released === null) return { origin, released: false, claim: null, live_keys: [] };
  const now = ctx.vault.now();
  const liveKeys = (await ctx.store.listApiKeys(released.accountId))
    .filter((k) => k.livemode && k.allowedOrigins?.includes(origin) === true && usable(k, now))
    .map((k) => k.id);
  return { origin, released: true, claim: render(released), live_keys: liveKeys };
}

