import { CardvaultError } from '../errors/cardvault-error';

/** How the browser authenticates to the vault: a publishable key or a server-minted client token. */
export type Credential =
  | { readonly kind: 'key'; readonly value: string; readonly livemode: boolean }
  | { readonly kind: 'client_token'; readonly value: string; readonly livemode: boolean };

/** What the merchant may pass as the first argument of the factory. */
export type CredentialSource = string | (() => Promise<string>);

const PUBLISHABLE_KEY = /^pk_(test|live)_[A-Za-z0-9]{16,128}$/;
const CLIENT_TOKEN = /^ct_(test|live)_[A-Za-z0-9_.-]{16,4096}$/;
// Secret and restricted keys: refuse them by prefix alone, before anything else is looked at, so a
// leaked secret is never sent anywhere and the message tells the merchant exactly what went wrong.
const SECRET_KEY = /^\s*(sk|rk)_/;

/**
 * Checks a key or client token synchronously. Throws a coded `CardvaultError` for a secret or
 * restricted key, an empty or malformed value, or a live credential on an insecure page.
 */
export function parseCredential(value: unknown, secureContext: boolean): Credential {
  if (typeof value !== 'string') {
    throw new CardvaultError('invalid_publishable_key', {
      param: 'publishableKey',
      message: `Cardvault() expects your publishable key as a string (pk_test_… or pk_live_…), got ${describe(value)}.`,
    });
  }
  if (SECRET_KEY.test(value)) {
    // Never echo the key itself: it is a secret.
    throw new CardvaultError('secret_key_in_browser', { param: 'publishableKey' });
  }
  let credential: Credential;
  const key = PUBLISHABLE_KEY.exec(value);
  const token = key ? null : CLIENT_TOKEN.exec(value);
  if (key) credential = { kind: 'key', value, livemode: key[1] === 'live' };
  else if (token) credential = { kind: 'client_token', value, livemode: token[1] === 'live' };
  else throw new CardvaultError('invalid_publishable_key', { param: 'publishableKey' });
  if (credential.livemode && !secureContext) {
    throw new CardvaultError('secure_context_required', { param: 'publishableKey' });
  }
  return credential;
}

/**
 * Resolves the credential for one request: a fixed one, or a fresh client token from the
 * merchant's async function (checked like any other, and never a secret key).
 */
export async function resolveCredential(
  source: Credential | (() => Promise<string>),
  secureContext: boolean,
): Promise<Credential> {
  if (typeof source !== 'function') return source;
  let value: unknown;
  try {
    value = await source();
  } catch (cause) {
    throw new CardvaultError('client_token_invalid', {
      message: 'The client token function rejected; no request was made.',
      cause,
    });
  }
  const credential = parseCredential(value, secureContext);
  if (credential.kind !== 'client_token') {
    throw new CardvaultError('client_token_invalid', {
      message: 'The client token function must resolve to a client token (ct_test_… or ct_live_…).',
    });
  }
  return credential;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** True when the page is a secure context. False when unknown (no window: server-side). */
export function isSecureContextNow(): boolean {
  return typeof globalThis.isSecureContext === 'boolean' ? globalThis.isSecureContext : false;
}
