import { selectEncryptionKey, type EncryptionJwk } from '../crypto';
import { startBudget } from './budget';
import { requestJson } from './http';

/** Time limits of a key-set fetch (same shape as the factory's resolved `timeouts`). */
export interface KeySetTimeouts {
  request: number;
  total: number;
}

const DEFAULT_TIMEOUTS: KeySetTimeouts = { request: 10_000, total: 30_000 };

/**
 * The vault's current encryption key, once per page per apiBase. A promise, so concurrent callers
 * (a prefetch at mount and the first tokenization) share one request. A failed fetch is removed,
 * so the next caller tries again instead of inheriting the failure.
 */
const cache = new Map<string, Promise<EncryptionJwk>>();
/** apiBases whose cached key the vault refused: their next fetch bypasses the HTTP cache. */
const stale = new Set<string>();

/**
 * Resolves with the key to encrypt to for `apiBase` (from `GET {apiBase}/v1/encryption_keys`),
 * fetching the key set at most once per page unless it was invalidated.
 *
 * The fetch has its own budget: one caller aborting must not cancel it for the others. Callers
 * wait for it within their own budget (`untilAborted`).
 *
 * @throws CardvaultError from the transport, or `encryption_keys_invalid` for an unusable key set.
 */
export function loadEncryptionKey(apiBase: string, timeouts: KeySetTimeouts = DEFAULT_TIMEOUTS): Promise<EncryptionJwk> {
  let pending = cache.get(apiBase);
  if (pending) return pending;
  const reload = stale.delete(apiBase);
  const budget = startBudget(timeouts.total);
  pending = requestJson({
    method: 'GET',
    url: `${apiBase}/v1/encryption_keys`,
    attemptTimeout: timeouts.request,
    budget,
    // The vault serves the set with max-age=300; after a refused kid, go past the HTTP cache.
    cache: reload ? 'reload' : 'default',
  })
    .then(selectEncryptionKey)
    .finally(budget.dispose);
  const entry = pending;
  cache.set(apiBase, entry);
  entry.catch(() => {
    if (cache.get(apiBase) === entry) cache.delete(apiBase);
  });
  return entry;
}

/**
 * Starts fetching the key set for `apiBase` now (at init or mount), so that the first tokenization
 * finds it cached and costs a single request. Never throws; a failure surfaces at tokenization.
 *
 * @example prefetchEncryptionKeys('https://api.cardvault.dev');
 */
export function prefetchEncryptionKeys(apiBase: string, timeouts?: KeySetTimeouts): void {
  loadEncryptionKey(apiBase, timeouts).catch(() => undefined);
}

/**
 * Forgets the cached key for `apiBase`: the vault answered that its kid is unknown or retired
 * (it rotated keys since the page fetched them). The next `loadEncryptionKey` refetches.
 */
export function invalidateEncryptionKeys(apiBase: string): void {
  cache.delete(apiBase);
  stale.add(apiBase);
}
