/**
 * Handles the host's `tokenize`: gathers the card from this frame and its siblings, validates it
 * with the same rules the customer saw, and sends it to the vault. The host receives the token or
 * a coded error — never a value.
 */
import { parseCredential, type Credential } from '../auth/credential';
import { BILLING_FIELDS } from '../billing';
import { validateCardNumber, validateExpiry } from '../card';
import { CardvaultError, isCardvaultError } from '../errors/cardvault-error';
import type { TokenizeRequest, TokenizeResult } from '../protocol/messages';
import { createCardToken } from '../transport/tokenize';
import type { BillingDetails, CardPayload } from '../types';
import { checkField, type FieldName, type FieldValues } from './field-rules';
import { type SupportedLocale, t } from './locales';
import { bindingOf } from './binding';
import type { FieldEntry } from './registry';

const ORDER: readonly FieldName[] = ['number', 'exp', 'cvc', 'postal_code'];

/** The API base as `scheme://host[:port][/path]` without a trailing slash, or null. */
export function parseApiBase(value: unknown, livemode: boolean): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    // Card data (encrypted) goes here. The real guard is the frame's CSP connect-src, which only
    // allows the vault; this refuses the obviously wrong (credentials, query, http in live mode).
    const ok = (url.protocol === 'https:' || (url.protocol === 'http:' && !livemode)) && !url.username && !url.password && !url.search && !url.hash;
    return ok ? url.href.replace(/\/+$/, '') : null;
  } catch {
    return null;
  }
}

function billingOf(value: unknown, dropZip: boolean): BillingDetails | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const out: BillingDetails = {};
  for (const k of BILLING_FIELDS) {
    const v = (value as Record<string, unknown>)[k];
    if (typeof v === 'string' && v.trim() && !(dropZip && k === 'address_zip')) out[k] = v.trim().slice(0, 200);
  }
  return Object.keys(out).length ? out : undefined;
}

function timeoutsOf(value: unknown): TokenizeRequest['timeouts'] {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const ms = (x: unknown, d: number): number => (typeof x === 'number' && x >= 1000 && x <= 120_000 ? x : d);
  return { request: ms(v.request, 15_000), total: ms(v.total, 45_000) };
}

export interface TokenizeDeps {
  createCardToken: typeof createCardToken;
  secureContext: boolean;
}

/**
 * Validates every field of the group and tokenizes. Invalid fields show their errors in their own
 * frames, and the result names them all (`fields`), with the first one's code.
 */
export async function tokenizeGroup(
  request: TokenizeRequest,
  entries: readonly FieldEntry[],
  locale: SupportedLocale,
  deps: TokenizeDeps = { createCardToken, secureContext: globalThis.isSecureContext === true },
  /** The host page's origin, verified by the handshake (the frame accepted `connect` only from it). */
  hostOrigin?: string,
): Promise<TokenizeResult> {
  const { requestId } = request;
  const fail = (error: unknown): TokenizeResult => ({
    requestId,
    ok: false,
    error: (isCardvaultError(error) ? error : new CardvaultError('api_error', { cause: error })).toJSON(),
  });
  let credential: Credential;
  let apiBase: string | null;
  try {
    // The frame re-checks the credential itself: a secret key is refused here too, before any
    // field is read or any frame is bound.
    credential = parseCredential(request.credential?.value, deps.secureContext);
    apiBase = parseApiBase(request.apiBase, credential.livemode);
    if (!apiBase) throw new CardvaultError('invalid_argument', { param: 'apiBase', message: 'The API base must be an http(s) URL (https in live mode).' });
  } catch (error) {
    return fail(error);
  }
  // entries[0] is the frame the host asked; the rest are siblings of its group.
  const wanted = bindingOf(credential);
  const own = entries[0]?.binding() ?? null;
  if (!wanted || (own !== null && own !== wanted)) {
    return fail(new CardvaultError('credential_mismatch', { param: 'credential' }));
  }
  // Siblings bound to another credential are not ours to read (src/frame/binding.ts).
  const group = entries.filter((e) => {
    const b = e.binding();
    return b === null || b === wanted;
  });
  for (const e of group) e.bind(wanted);
  const values: FieldValues = {};
  const owners = new Map<FieldName, FieldEntry>();
  for (const e of group) {
    const read = e.read();
    for (const n of e.names) {
      if (owners.has(n) || typeof read[n] !== 'string') continue;
      owners.set(n, e);
      values[n] = read[n];
    }
  }
  const brand = validateCardNumber(values.number ?? '').brand;
  const invalid: FieldName[] = [];
  let first: CardvaultError | undefined;
  for (const name of ORDER) {
    // The postal code is required only when a postal-code input exists.
    if (name === 'postal_code' && values.postal_code === undefined) continue;
    const c = checkField(name, values[name] ?? '', brand);
    if (c.complete || !c.code) continue;
    invalid.push(name);
    first ??= new CardvaultError(c.code, { param: name, message: t(locale, c.code) });
  }
  if (first) {
    for (const e of new Set(owners.values())) {
      const mine = invalid.filter((n) => owners.get(n) === e);
      if (mine.length) e.showErrors(mine);
    }
    return fail(new CardvaultError(first.code, { param: first.param, message: first.message, fields: invalid }));
  }
  try {
    const exp = validateExpiry(values.exp!);
    const card: CardPayload = { number: values.number!.replace(/\D/g, ''), exp_month: exp.month!, exp_year: exp.year!, cvc: values.cvc! };
    if (values.postal_code !== undefined) card.address_zip = values.postal_code.trim();
    const billing = billingOf(request.billing, card.address_zip !== undefined);
    const token = await deps.createCardToken({ card, ...(billing ? { billing } : {}), credential, apiBase, timeouts: timeoutsOf(request.timeouts), ...(hostOrigin ? { hostOrigin } : {}) });
    return { requestId, ok: true, token };
  } catch (error) {
    return fail(error);
  }
}
