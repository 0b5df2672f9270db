/**
 * Direct mode: the merchant's own page collects the card and calls `createToken` with it.
 *
 * PCI scope: because card data passes through the merchant page's JavaScript, direct mode puts
 * that page in PCI DSS SAQ A-EP scope (not SAQ A as with Cardvault's hosted fields). That is why it
 * is a separate entry (`cardvault/direct`, its own CDN file) and never part of the script-tag bundle.
 */
import { isSecureContextNow, parseCredential, resolveCredential, type Credential } from '../auth/credential';
import { CardvaultError } from '../errors/cardvault-error';
import { resolveOptions, type CardvaultOptions } from '../options';
import { prefetchEncryptionKeys } from '../transport/key-set';
import { untilAborted } from '../transport/budget';
import { createCardToken } from '../transport/tokenize';
import type { ClientTokenSource, Token } from '../types';
import { VERSION } from '../version';
import { validateCardInput, type DirectCardInput } from './validate-card-input';
import { validateTokenOptions, type CreateTokenOptions } from './validate-token-options';

/** A direct-mode instance. */
export interface CardvaultDirectInstance {
  /** SDK version, e.g. `0.1.0`. */
  readonly version: string;
  /** `true` for a live key or token, `false` for test, `undefined` for a client-token function. */
  readonly livemode: boolean | undefined;
  /**
   * Validates the card, then tokenizes it (encrypted, one CORS request once the key set is cached).
   * Always returns a promise: every failure, bad arguments included, rejects with a `CardvaultError`.
   * An invalid card rejects with a `validation_error` whose `fields` names every invalid field, and
   * no request is made.
   */
  createToken(card: DirectCardInput, options?: CreateTokenOptions): Promise<Token>;
}

/**
 * Creates a direct-mode instance for a publishable key (`pk_test_…`, `pk_live_…`), a client token
 * (`ct_…`), or an async function minting a fresh client token on the merchant's server.
 *
 * Throws synchronously for a secret or restricted key (checked before anything else, and never
 * sent anywhere), a malformed key, a live key on an insecure page, or bad options.
 *
 * @example
 * import { CardvaultDirect } from 'cardvault/direct';
 * const cardvault = CardvaultDirect('pk_test_…');
 * const token = await cardvault.createToken({ number: '4242 4242 4242 4242', exp_month: 12, exp_year: 2030, cvc: '123' });
 */
export function createDirectInstance(source: ClientTokenSource, options?: CardvaultOptions): CardvaultDirectInstance {
  if (arguments.length === 0) throw new CardvaultError('invalid_publishable_key', { param: 'publishableKey' });
  // The credential first: a secret key must fail before options or anything else are looked at.
  const credential: Credential | (() => Promise<string>) =
    typeof source === 'function' ? source : parseCredential(source, isSecureContextNow());
  const resolved = resolveOptions(options);
  // Start the key-set fetch now, so the first createToken is a single request. Not on the server
  // (SSR): there is no page to tokenize from.
  if (typeof window !== 'undefined') prefetchEncryptionKeys(resolved.apiBase, resolved.timeouts);

  return {
    version: VERSION,
    livemode: typeof credential === 'function' ? undefined : credential.livemode,
    async createToken(card: DirectCardInput, tokenOptions?: CreateTokenOptions): Promise<Token> {
      // Everything is checked before any request, and before the merchant's token function is called.
      const payload = validateCardInput(card);
      const { signal, billing } = validateTokenOptions(tokenOptions);
      // The merchant's token function may be slow or hang: an abort still ends the call at once.
      const pending = resolveCredential(credential, isSecureContextNow());
      const resolvedCredential = await (signal ? untilAborted(pending, signal) : pending);
      return createCardToken({
        card: payload,
        billing,
        credential: resolvedCredential,
        apiBase: resolved.apiBase,
        timeouts: resolved.timeouts,
        signal,
      });
    },
  };
}
