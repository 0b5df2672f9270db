/**
 * The one catalogue of Cardvault error codes, shared by the SDK (host, frame, direct mode) and the
 * vault. Every error either side raises uses a code from here, so a merchant can `switch` on
 * `error.code` and find the same code in the API reference, the SDK and the server's responses.
 *
 * `fix` says who can act on it: the merchant's developer, the customer typing a card, the network
 * (retrying may help), or us (internal).
 *
 * Messages are for developers and must never contain card data: no value the customer typed is
 * ever interpolated into a message.
 */

export type ErrorType =
  | 'validation_error'
  | 'card_error'
  | 'invalid_request_error'
  | 'authentication_error'
  | 'rate_limit_error'
  | 'api_error'
  | 'network_error';

export type Fixer = 'merchant' | 'customer' | 'network' | 'internal';

export interface CatalogueEntry {
  readonly type: ErrorType;
  readonly fix: Fixer;
  /** HTTP status the vault answers with for this code. */
  readonly status: number;
  readonly message: string;
}

function entry(type: ErrorType, fix: Fixer, status: number, message: string): CatalogueEntry {
  return { type, fix, status, message };
}

/** Codes the SDK itself raises (in the host, the frame or direct mode); the vault may raise them too. */
const SDK_ENTRIES = {
  // ---- validation_error: card fields the customer typed (SDK validates before any request) ----
  invalid_number: entry('validation_error', 'customer', 400, 'Your card number is invalid.'),
  incomplete_number: entry('validation_error', 'customer', 400, 'Your card number is incomplete.'),
  invalid_expiry: entry('validation_error', 'customer', 400, "Your card's expiration date is invalid."),
  incomplete_expiry: entry('validation_error', 'customer', 400, "Your card's expiration date is incomplete."),
  invalid_expiry_month: entry('validation_error', 'customer', 400, "Your card's expiration month is invalid."),
  invalid_expiry_year: entry('validation_error', 'customer', 400, "Your card's expiration year is invalid."),
  expiry_in_past: entry('validation_error', 'customer', 400, "Your card's expiration date is in the past."),
  invalid_cvc: entry('validation_error', 'customer', 400, "Your card's security code is invalid."),
  incomplete_cvc: entry('validation_error', 'customer', 400, "Your card's security code is incomplete."),
  invalid_postal_code: entry('validation_error', 'customer', 400, 'Your postal code is invalid.'),
  incomplete_postal_code: entry('validation_error', 'customer', 400, 'Your postal code is incomplete.'),
  invalid_name: entry('validation_error', 'customer', 400, 'Enter the name as it appears on your card.'),

  // ---- invalid_request_error: the merchant's integration sent something wrong ----
  invalid_argument: entry('invalid_request_error', 'merchant', 400, 'A function was called with an argument of the wrong type or shape.'),
  encryption_key_unknown: entry('invalid_request_error', 'merchant', 400, 'The encryption key (kid) is unknown. Fetch the current key set and retry.'),
  encryption_key_retired: entry('invalid_request_error', 'merchant', 400, 'The encryption key (kid) has been retired. Fetch the current key set and retry.'),
  secure_context_required: entry('invalid_request_error', 'merchant', 400, 'A live-mode key can only be used on a secure (https) page.'),
  element_not_mounted: entry('invalid_request_error', 'merchant', 400, 'The element is not mounted. Call element.mount(target) first.'),
  element_destroyed: entry('invalid_request_error', 'merchant', 400, 'The element has been destroyed.'),
  element_exists: entry('invalid_request_error', 'merchant', 400, 'An element of this type already exists in this elements group.'),
  mount_target_missing: entry('invalid_request_error', 'merchant', 400, 'The mount target was not found in the document.'),
  credential_mismatch: entry('authentication_error', 'merchant', 401, 'These card fields were set up for another key or account, and tokenize only for that one.'),
  frame_takeover: entry('invalid_request_error', 'merchant', 400, 'Another script took over a Cardvault frame, or apiBase is not its vault. Check the page scripts and apiBase.'),
  protocol_version_mismatch: entry('invalid_request_error', 'merchant', 400, 'The Cardvault frame and the host script are different versions. Load matching versions.'),

  // ---- authentication_error: keys and client tokens ----
  secret_key_in_browser: entry('authentication_error', 'merchant', 401, 'Secret (sk_) and restricted (rk_) keys must never be used in a browser. Use your publishable key (pk_test_… or pk_live_…).'),
  invalid_publishable_key: entry('authentication_error', 'merchant', 401, 'The publishable key is missing or malformed. Use your publishable key (pk_test_… or pk_live_…).'),
  client_token_invalid: entry('authentication_error', 'merchant', 401, 'The client token is malformed or its signature is not valid.'),

  // ---- rate_limit_error ----
  rate_limited: entry('rate_limit_error', 'network', 429, 'Too many requests. Retry after the delay in Retry-After.'),

  // ---- api_error ----
  api_error: entry('api_error', 'internal', 500, 'An internal error occurred.'),
  invalid_response: entry('api_error', 'internal', 502, 'The server sent a response the SDK could not understand.'),
  encryption_keys_invalid: entry('api_error', 'internal', 502, 'The encryption key set from the vault is missing or malformed.'),

  // ---- network_error ----
  network_failure: entry('network_error', 'network', 0, 'The request could not reach Cardvault. Check the connection and retry.'),
  timeout: entry('network_error', 'network', 0, 'The request timed out.'),
  aborted: entry('network_error', 'merchant', 0, 'The request was aborted.'),
  frame_load_failed: entry('network_error', 'network', 0, 'A Cardvault frame failed to load (blocked, not found or timed out).'),
} as const satisfies Record<string, CatalogueEntry>;

/**
 * Codes only the React bindings (`cardvault/react`) raise. The ESM packages carry them; the
 * script-tag bundles and the frames, which never contain the bindings, ship without them
 * (rollup.config.mjs); test/unit/errors checks that no other code raises one of these.
 */
const REACT_ENTRIES = {
  provider_missing: entry('invalid_request_error', 'merchant', 400, 'Cardvault React elements and hooks must be rendered inside a CardvaultProvider.'),
} as const satisfies Record<string, CatalogueEntry>;

/**
 * Codes only the vault raises. A browser receives them with the vault's own message, so the
 * browser bundles ship them without messages (rollup.config.mjs); test/unit/errors checks that no
 * browser code raises one of these.
 */
const VAULT_ENTRIES = {
  // ---- card_error: the (sandbox) processor's answer ----
  card_declined: entry('card_error', 'customer', 402, 'The card was declined.'),
  insufficient_funds: entry('card_error', 'customer', 402, 'The card has insufficient funds.'),
  expired_card: entry('card_error', 'customer', 402, 'The card has expired.'),
  incorrect_cvc: entry('card_error', 'customer', 402, "The card's security code is incorrect."),
  processing_error: entry('card_error', 'network', 402, 'An error occurred while processing the card. Try again.'),

  // ---- invalid_request_error: the merchant's integration sent something wrong ----
  parameter_missing: entry('invalid_request_error', 'merchant', 400, 'A required parameter is missing.'),
  parameter_invalid: entry('invalid_request_error', 'merchant', 400, 'A parameter has an invalid value.'),
  parameter_unknown: entry('invalid_request_error', 'merchant', 400, 'The request contains an unknown parameter.'),
  parameter_duplicated: entry('invalid_request_error', 'merchant', 400, 'A parameter was sent more than once.'),
  body_malformed: entry('invalid_request_error', 'merchant', 400, 'The request body could not be parsed.'),
  body_too_large: entry('invalid_request_error', 'merchant', 413, 'The request body is larger than 16 KB.'),
  unsupported_media_type: entry('invalid_request_error', 'merchant', 415, 'The request body must be application/x-www-form-urlencoded or application/json.'),
  resource_missing: entry('invalid_request_error', 'merchant', 404, 'No such resource.'),
  idempotency_key_reused: entry('invalid_request_error', 'merchant', 409, 'This idempotency key was already used with a different request.'),
  idempotency_key_in_flight: entry('invalid_request_error', 'network', 409, 'A request with this idempotency key is still being processed. Retry shortly.'),
  token_already_used: entry('invalid_request_error', 'merchant', 400, 'This token has already been used. Tokens are single use.'),
  token_expired: entry('invalid_request_error', 'merchant', 400, 'This token has expired. Create a new one.'),
  livemode_mismatch: entry('invalid_request_error', 'merchant', 400, 'A test-mode key cannot use live-mode objects, and a live-mode key cannot use test-mode objects.'),
  origin_not_allowed: entry('invalid_request_error', 'merchant', 403, "This origin is not in the key's allowed origins."),
  encryption_required: entry('invalid_request_error', 'merchant', 400, 'Live-mode tokenization requires an encrypted card payload (encrypted_card).'),
  encrypted_payload_invalid: entry('invalid_request_error', 'merchant', 400, 'The encrypted card payload could not be decrypted or is malformed.'),
  origin_not_claimed: entry('invalid_request_error', 'merchant', 400, "Live keys and client tokens may list only origins your account has claimed. Ask the vault's operator to verify and claim the origin."),
  origin_already_claimed: entry('invalid_request_error', 'merchant', 409, "This origin is claimed by another account. The vault's operator must release it first."),

  // ---- authentication_error: keys and client tokens ----
  api_key_invalid: entry('authentication_error', 'merchant', 401, 'The API key is not valid.'),
  api_key_revoked: entry('authentication_error', 'merchant', 401, 'The API key has been revoked.'),
  api_key_expired: entry('authentication_error', 'merchant', 401, 'The API key was rolled and its grace period has ended.'),
  secret_key_required: entry('authentication_error', 'merchant', 401, 'This endpoint requires a secret key in the Authorization header.'),
  browser_origin_refused: entry('authentication_error', 'merchant', 403, 'Secret-key endpoints refuse browser requests (an Origin header was sent). Call them from your server.'),
  client_token_expired: entry('authentication_error', 'merchant', 401, 'The client token has expired. Mint a new one on your server.'),
  client_token_exhausted: entry('authentication_error', 'merchant', 401, 'The client token has no uses left. Mint a new one on your server.'),
  key_management_forbidden: entry('authentication_error', 'merchant', 403, "A secret key cannot create, roll or revoke secret keys. Ask the vault's operator (cardvault-vault keys)."),

  // ---- rate_limit_error ----
  card_testing_suspected: entry('rate_limit_error', 'customer', 429, 'Too many failed attempts. Try again later.'),
} as const satisfies Record<string, CatalogueEntry>;

export const CATALOGUE = { ...SDK_ENTRIES, ...REACT_ENTRIES, ...VAULT_ENTRIES } as const;

/** Every error code Cardvault can produce. A literal union: it narrows in a `switch`. */
export type ErrorCode = keyof typeof CATALOGUE;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CATALOGUE, value);
}
