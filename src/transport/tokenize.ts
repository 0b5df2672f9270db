import type { Credential } from '../auth/credential';
import { encryptCardPayload } from '../crypto';
import { CardvaultError, isCardvaultError } from '../errors/cardvault-error';
import type { BillingDetails, CardPayload, Token } from '../types';
import { BILLING_FIELDS } from '../billing';
import { VERSION } from '../version';
import { startBudget, untilAborted, abortError } from './budget';
import { requestJson } from './http';
import { newIdempotencyKey } from './idempotency';
import { invalidateEncryptionKeys, loadEncryptionKey, type KeySetTimeouts } from './key-set';
import { parseToken } from './parse-token';

export interface CreateCardTokenParams {
  /** The card, already validated. Only ever sent encrypted. */
  card: CardPayload;
  /** Billing details sent in clear beside the encrypted card (not card data). */
  billing?: BillingDetails;
  /** A checked publishable key or client token (never a secret key: parseCredential refuses those). */
  credential: Credential;
  /** e.g. `https://api.cardvault.dev`, without a trailing slash. */
  apiBase: string;
  /** `request`: one HTTP attempt; `total`: the whole call, key-set wait and retries included. */
  timeouts: KeySetTimeouts;
  signal?: AbortSignal;
  /**
   * The merchant page's origin, as the frame verified it in the handshake. Sent as `host_origin`:
   * the vault sees the frame's Origin, and checks a live key's allowed origins against this one
   * (it believes it only from a Cardvault frame origin).
   */
  hostOrigin?: string;
  /** WebCrypto implementation; defaults to `globalThis.crypto.subtle`. */
  subtle?: SubtleCrypto;
}

/** Vault answers meaning "the key you encrypted to is gone": refetch the key set and retry once. */
const KEY_ROTATED = new Set<string>(['encryption_key_unknown', 'encryption_key_retired']);

/**
 * Tokenizes a card: encrypts it to the vault's current key (key set fetched once per page and
 * cached) and POSTs it as a CORS simple request. With the key set cached this is exactly one HTTP
 * request (plus transport retries, if the network or the vault fails).
 *
 * One idempotency key covers the whole call: every transport retry and the one retry after a key
 * rotation (`encryption_key_unknown` / `encryption_key_retired`) send the same key.
 *
 * @throws CardvaultError — the vault's code, or `network_failure`, `timeout`, `aborted`,
 *   `invalid_response`, `encryption_keys_invalid`, `secure_context_required`.
 * @example
 * const token = await createCardToken({ card, credential, apiBase, timeouts: { request: 10000, total: 30000 } });
 */
export async function createCardToken(params: CreateCardTokenParams): Promise<Token> {
  const { apiBase, timeouts } = params;
  const budget = startBudget(timeouts.total, params.signal);
  try {
    if (budget.signal.aborted) throw abortError(budget.signal);
    const idempotencyKey = newIdempotencyKey();
    const attempt = async (): Promise<unknown> => {
      const key = await untilAborted(loadEncryptionKey(apiBase, timeouts), budget.signal);
      const encryptedCard = await encryptCardPayload(params.card, key, params.subtle);
      if (budget.signal.aborted) throw abortError(budget.signal);
      return requestJson({
        method: 'POST',
        url: `${apiBase}/v1/tokens`,
        body: formBody(params, idempotencyKey, encryptedCard),
        attemptTimeout: timeouts.request,
        budget,
      });
    };
    let result: unknown;
    try {
      result = await attempt();
    } catch (error) {
      if (!isCardvaultError(error) || !KEY_ROTATED.has(error.code)) throw error;
      // The vault rotated its keys since this page cached them. Refetch and retry ONCE, with the
      // SAME idempotency key: this is still the same logical tokenization.
      invalidateEncryptionKeys(apiBase);
      result = await attempt();
    }
    return parseToken(result);
  } catch (error) {
    throw isCardvaultError(error) ? error : new CardvaultError('api_error', { cause: error });
  } finally {
    budget.dispose();
  }
}

/**
 * The form body. The card number and CVC are only inside `encrypted_card`; never a clear
 * `card[number]` or `card[cvc]` (the vault accepts those in test mode for curl, the SDK never sends them).
 */
function formBody(params: CreateCardTokenParams, idempotencyKey: string, encryptedCard: string): URLSearchParams {
  const body = new URLSearchParams();
  // The key travels in the body, not in an Authorization header: a custom header would force a preflight.
  body.set(params.credential.kind === 'key' ? 'key' : 'client_token', params.credential.value);
  body.set('idempotency_key', idempotencyKey);
  body.set('encrypted_card', encryptedCard);
  if (params.hostOrigin) body.set('host_origin', params.hostOrigin);
  const billing = params.billing;
  if (billing) {
    for (const field of BILLING_FIELDS) {
      const value = billing[field];
      if (typeof value === 'string' && value !== '') body.set(`card[${field}]`, value);
    }
  }
  body.set('client', `cardvault-js/${VERSION}`);
  return body;
}
