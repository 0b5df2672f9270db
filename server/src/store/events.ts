import { createHash } from 'node:crypto';

/**
 * What one vault tells the others sharing its database (PostgreSQL LISTEN/NOTIFY), so their caches
 * follow within moments instead of a cache lifetime:
 * - `api_key`: a key was revoked or rolled; drop the cached row with this lookup hash.
 * - `data_key`: the active data key changed or old ones were retired; re-read the active key.
 * - `encryption_key`: the JWE key set changed; drop the cached key set.
 */
export type StoreEvent = { t: 'api_key'; hash: string } | { t: 'data_key' } | { t: 'encryption_key' };

/** The NOTIFY channel of one scope (schema): hashed, so it is a short valid identifier. */
export function eventChannel(scope: string): string {
  return `cardvault_${createHash('sha256').update(scope).digest('hex').slice(0, 24)}`;
}

/** Parses a notification's payload; anything else on the channel is ignored. */
export function parseEvent(payload: string): StoreEvent | null {
  try {
    const e = JSON.parse(payload) as { t?: unknown; hash?: unknown };
    if (e.t === 'api_key' && typeof e.hash === 'string') return { t: 'api_key', hash: e.hash };
    if (e.t === 'data_key') return { t: 'data_key' };
    if (e.t === 'encryption_key') return { t: 'encryption_key' };
  } catch {
    // not ours
  }
  return null;
}

/** Thrown by a write whose data key is no longer the active one: seal again and retry. */
export class StaleDataKeyError extends Error {
  override readonly name = 'StaleDataKeyError';
  constructor(readonly dataKeyId: string) {
    super(`Data key ${dataKeyId} is no longer the active one.`);
  }
}

/** Thrown when another data-key rotation holds this database's rotation lock. */
export class RotationRunningError extends Error {
  override readonly name = 'RotationRunningError';
  constructor(scope: string) {
    super(
      `Another data-key rotation is running on this database (${scope}); nothing was changed. Wait for it to finish (it re-encrypts every row and retires the old key), then run again if you still need a new key.`,
    );
  }
}
