/**
 * Live origins belong to one account (issue 16). The operator claims an origin for an account once
 * it has verified that the account controls it (server/README.md says how); then:
 *
 * - a live publishable key or live client token may list only origins its own account has claimed
 *   (checked when it is created, against the database);
 * - a live tokenization from a browser is believed for a page origin only when the caller's
 *   account holds that origin's claim now (checked per request, cached for 5 s), so a key made
 *   before claims existed, or whose claim was released since, cannot pass for the page either.
 *
 * Test mode is unaffected: test keys may list any origin, claimed or not.
 */
import { CardvaultError } from '../../src/errors';
import { ORIGIN } from './http/params';
import type { OriginClaimRow } from './store/origins';
import type { Store } from './store/types';

const CLAIM_CACHE_MS = 5_000;

/** Throws `parameter_invalid` unless `origin` is a canonical web origin (what browsers send in Origin). */
export function assertCanonicalOrigin(origin: string, param = 'origin'): void {
  let canonical: string | null = null;
  try {
    canonical = new URL(origin).origin;
  } catch {
    canonical = null;
  }
  if (canonical !== origin || !ORIGIN.test(origin)) {
    throw new CardvaultError('parameter_invalid', {
      param,
      message: `Not a canonical origin${canonical && canonical !== 'null' ? ` (did you mean ${canonical}?)` : ''}: scheme://host[:port], lower case, no path.`,
    });
  }
}

/** Origin claims as the vault uses them: claims, releases, and the checks above. */
export class OriginClaims {
  private readonly cache = new Map<string, { accountId: string | null; at: number }>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  /**
   * Claims `origin` for `accountId` (an operator action). Claiming an origin the account already
   * holds returns that claim; one another account holds is `origin_already_claimed`.
   */
  async claim(accountId: string, origin: string, note: string | null = null): Promise<OriginClaimRow> {
    assertCanonicalOrigin(origin);
    if (!(await this.store.getAccount(accountId))) throw new CardvaultError('resource_missing', { param: 'account', message: `No such account: ${accountId}.` });
    const held = await this.store.claimOrigin({ origin, accountId, claimedAt: this.now(), note });
    this.cache.delete(origin);
    if (held.accountId !== accountId) {
      throw new CardvaultError('origin_already_claimed', {
        param: 'origin',
        message: `${origin} is claimed by account ${held.accountId}. Release it first (cardvault-vault origins release) if ownership has moved.`,
      });
    }
    return held;
  }

  /** Releases the claim on `origin`; live keys listing it stop working from that origin at once. */
  async release(origin: string): Promise<OriginClaimRow | null> {
    const released = await this.store.releaseOrigin(origin);
    this.cache.delete(origin);
    return released;
  }

  /**
   * Refuses (`origin_not_claimed`) a live credential listing an origin its account has not claimed,
   * whether unclaimed or another account's. Which of the two is not said: a secret key learns
   * nothing about other accounts' origins. Reads the database, not the cache: creations are rare.
   */
  async assertListable(accountId: string, origins: readonly string[], param = 'allowed_origins'): Promise<void> {
    const claims = await this.store.getOriginClaims(origins);
    const own = new Set(claims.filter((c) => c.accountId === accountId).map((c) => c.origin));
    const missing = origins.filter((o) => !own.has(o));
    if (missing.length > 0) {
      throw new CardvaultError('origin_not_claimed', {
        param,
        message: `Live keys and client tokens may list only origins the account has claimed; not claimed by this account: ${missing.join(', ')}. The vault's operator claims an origin after verifying it (cardvault-vault origins claim URL --account ACCT).`,
      });
    }
  }

  /** Whether `accountId` holds the claim on `origin` (the tokenization check). Cached for 5 s. */
  async heldBy(accountId: string, origin: string): Promise<boolean> {
    let entry = this.cache.get(origin);
    if (!entry || Date.now() - entry.at > CLAIM_CACHE_MS) {
      const [claim] = await this.store.getOriginClaims([origin]);
      if (this.cache.size > 10_000) this.cache.clear();
      entry = { accountId: claim?.accountId ?? null, at: Date.now() };
      this.cache.set(origin, entry);
    }
    return entry.accountId === accountId;
  }
}
