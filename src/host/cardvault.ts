import { isSecureContextNow, parseCredential, type Credential, type CredentialSource } from '../auth/credential';
import { CardvaultError } from '../errors/cardvault-error';
import { resolveOptions, type CardvaultOptions, type ResolvedOptions } from '../options';
import type { Token } from '../types';
import { VERSION } from '../version';
import { createToken } from './create-token';
import { createElements } from './elements';
import type { CardvaultElement, CardvaultElements, ElementsOptions, TokenExtra } from './types';

/** What the host side knows about one `Cardvault()` instance. Never holds card data. */
export interface HostContext {
  readonly options: ResolvedOptions;
  /** A checked credential, or the merchant's function that mints a fresh client token. */
  readonly credential: Credential | (() => Promise<string>);
  readonly livemode: boolean | undefined;
}

/** A Cardvault instance: the entry point of the merchant page. */
export interface CardvaultInstance {
  /** SDK version, e.g. `0.1.0`. */
  readonly version: string;
  /** `true` for a live key or token, `false` for test, `undefined` until a minted token is seen. */
  readonly livemode: boolean | undefined;
  /**
   * Creates a group of card elements (one combined `card`, or split `cardNumber`, `cardExpiry`,
   * `cardCvc`, `postalCode`) sharing fonts, locale and default style.
   */
  elements(options?: ElementsOptions): CardvaultElements;
  /**
   * Tokenizes the card in an element (for split fields, any element of the group: the card-number
   * frame tokenizes). Resolves with the token; rejects with a `CardvaultError` (validation errors
   * carry `fields`). `null`, what `elements.getElement(type)` returns for an element that does not
   * exist (yet), rejects with `invalid_argument`.
   *
   * @example
   * const token = await cardvault.createToken(card, { name: 'Jenny Rosen' });
   */
  createToken(element: CardvaultElement | null, extra?: TokenExtra): Promise<Token>;
}

/**
 * Checks the key (or client token source) and options synchronously and returns the host context.
 * Throws a coded `CardvaultError` for a secret or restricted key, a malformed key, a live key on an
 * insecure page, or bad options. Makes no request: nothing leaves the page until a token is asked for.
 */
export function createHostContext(source: unknown, options: unknown): HostContext {
  const resolved = resolveOptions(options);
  if (typeof source === 'function') {
    // A client-token function is called only when a token is needed; what it returns is checked then.
    return { options: resolved, credential: source as () => Promise<string>, livemode: undefined };
  }
  const credential = parseCredential(source, isSecureContextNow());
  return { options: resolved, credential, livemode: credential.livemode };
}

/**
 * Creates a Cardvault instance for a publishable key (`pk_test_…`, `pk_live_…`), a client token
 * minted by the merchant's server (`ct_…`), or an async function that returns a fresh client token.
 *
 * @example
 * const cardvault = Cardvault('pk_test_51Hx…', { locale: 'auto' });
 */
export function createInstance(source: CredentialSource, options?: CardvaultOptions): CardvaultInstance {
  if (arguments.length === 0) throw new CardvaultError('invalid_publishable_key', { param: 'publishableKey' });
  const context = createHostContext(source, options);
  let livemode = context.livemode;
  return {
    version: VERSION,
    get livemode() {
      return livemode;
    },
    elements: (o?: ElementsOptions) => createElements(context, o),
    createToken: (element: CardvaultElement | null, extra?: TokenExtra) =>
      createToken(context, element, extra, (l) => (livemode = l)),
  };
}
