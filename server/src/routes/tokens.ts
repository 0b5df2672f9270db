import { getBrandInfo, validateCardNumber, validateCvc, validateExpiry, MAX_YEARS_AHEAD } from '../../../src/card';
import { CardvaultError, isCardvaultError, type ErrorCode } from '../../../src/errors';
import { aadFor } from '../crypto/envelope';
import { decryptCardPayload } from '../crypto/jwe-keys';
import { newId } from '../crypto/random';
import { readParams, requireSecretKey, takeKeyBudget, type RequestContext } from '../http/context';
import { RetryAfterError } from '../http/errors';
import { sendJson } from '../http/respond';
import { ORIGIN, str, type Params, type Spec } from '../http/params';
import type { TokenRow } from '../store/types';
import { IDEMPOTENCY_TTL_MS } from '../vault';
import { renderToken, type SealedCard } from './render';

/** Every parameter POST /v1/tokens accepts; anything else is `parameter_unknown`. */
const TOKEN_SPEC: Spec = {
  key: { max: 160 },
  client_token: { max: 4200 },
  idempotency_key: { max: 255, pattern: /^[\x21-\x7e]+$/ },
  encrypted_card: { max: 8192, pattern: /^[A-Za-z0-9_.-]+$/, code: 'encrypted_payload_invalid' },
  // Lengths are bounded before any parsing: a 10,000-digit "number" stops here.
  'card[number]': { max: 32, pattern: /^[0-9 -]+$/, code: 'invalid_number' },
  'card[exp_month]': { max: 2, pattern: /^[0-9]{1,2}$/, code: 'invalid_expiry_month' },
  'card[exp_year]': { max: 4, pattern: /^(?:[0-9]{2}|[0-9]{4})$/, code: 'invalid_expiry_year' },
  'card[cvc]': { max: 4, pattern: /^[0-9]{3,4}$/, code: 'invalid_cvc' },
  'card[name]': { max: 200, code: 'invalid_name' },
  'card[address_line1]': { max: 200 },
  'card[address_line2]': { max: 200 },
  'card[address_city]': { max: 100 },
  'card[address_state]': { max: 100 },
  'card[address_zip]': { max: 20, pattern: /^[A-Za-z0-9 -]+$/, code: 'invalid_postal_code' },
  'card[address_country]': { max: 60 },
  client: { max: 100, pattern: /^[\x20-\x7e]+$/ },
  host_origin: { max: 300, pattern: ORIGIN },
};

const CLEAR_CARD = ['card[number]', 'card[exp_month]', 'card[exp_year]', 'card[cvc]'] as const;
const BILLING = ['address_line1', 'address_line2', 'address_city', 'address_state', 'address_country'] as const;

interface Caller {
  accountId: string;
  livemode: boolean;
  /** Identity for the idempotency hash and the rate bucket. */
  principal: string;
  allowedOrigins: string[] | null;
  clientTokenId?: string;
}

async function authenticate(ctx: RequestContext, params: Params): Promise<Caller> {
  const key = str(params, 'key');
  const clientToken = str(params, 'client_token');
  if (key !== undefined && clientToken !== undefined) {
    throw new CardvaultError('parameter_invalid', { param: 'client_token', message: 'Send either key or client_token, not both.' });
  }
  if (clientToken !== undefined) {
    const claims = await ctx.vault.verifyClientToken(clientToken);
    ctx.logFields.account_id = claims.accountId;
    return {
      accountId: claims.accountId,
      livemode: claims.livemode,
      principal: `ct:${claims.id}`,
      allowedOrigins: claims.allowedOrigins,
      clientTokenId: claims.id,
    };
  }
  if (key === undefined) throw new CardvaultError('invalid_publishable_key', { param: 'key' });
  // A secret key in a browser form is a leaked key: say so loudly, never look it up.
  if (/^(sk|rk)_/.test(key)) throw new CardvaultError('secret_key_in_browser', { param: 'key' });
  if (!/^pk_(test|live)_[A-Za-z0-9]{16,128}$/.test(key)) throw new CardvaultError('invalid_publishable_key', { param: 'key' });
  const row = await ctx.vault.authenticate(key);
  if (row.kind !== 'publishable') throw new CardvaultError('invalid_publishable_key', { param: 'key' });
  ctx.logFields.key_id = row.id;
  ctx.logFields.account_id = row.accountId;
  // Live publishable keys always carry an allow-list (enforced at creation); null here means
  // "any origin", which only test keys can have.
  return { accountId: row.accountId, livemode: row.livemode, principal: row.id, allowedOrigins: row.livemode ? (row.allowedOrigins ?? []) : row.allowedOrigins };
}

function validation(code: ErrorCode, param: string): CardvaultError {
  return new CardvaultError(code, { param });
}

/** Server-side validation of the card: the client is never trusted. Returns digits and brand. */
function validateCard(card: SealedCard, now: Date): { number: string; brand: string } {
  const number = card.number.replace(/[\s-]/g, '');
  const n = validateCardNumber(number);
  if (!n.isValid || n.brand === null) {
    // A submitted number is final: "incomplete" only when it is shorter than its brand allows.
    const shortest = n.brand === null ? 12 : Math.min(...getBrandInfo(n.brand).lengths);
    throw validation(n.isPotentiallyValid && number.length < shortest ? 'incomplete_number' : 'invalid_number', 'card[number]');
  }
  if (!Number.isInteger(card.exp_month) || card.exp_month < 1 || card.exp_month > 12) {
    throw validation('invalid_expiry_month', 'card[exp_month]');
  }
  const year = card.exp_year < 100 ? 2000 + card.exp_year : card.exp_year;
  if (!Number.isInteger(year) || year < 2000 || year > now.getFullYear() + MAX_YEARS_AHEAD) {
    throw validation('invalid_expiry_year', 'card[exp_year]');
  }
  card.exp_year = year;
  if (!validateExpiry(card.exp_month, year, now).isValid) throw validation('expiry_in_past', 'card[exp_year]');
  const c = validateCvc(card.cvc, n.brand);
  if (!c.isValid) throw validation(c.isPotentiallyValid ? 'incomplete_cvc' : 'invalid_cvc', 'card[cvc]');
  if (card.name !== undefined && (card.name.length > 200 || /[\u0000-\u001f\u007f]/.test(card.name))) {
    throw validation('invalid_name', 'card[name]');
  }
  if (card.address_zip !== undefined && !/^[A-Za-z0-9 -]{1,20}$/.test(card.address_zip)) {
    throw validation('invalid_postal_code', 'card[address_zip]');
  }
  return { number, brand: n.brand };
}

async function readCard(ctx: RequestContext, params: Params, caller: Caller): Promise<SealedCard> {
  const encrypted = str(params, 'encrypted_card');
  let card: SealedCard;
  if (encrypted !== undefined) {
    for (const name of CLEAR_CARD) {
      if (params[name] !== undefined) {
        throw new CardvaultError('parameter_invalid', { param: name, message: 'Send the card either in encrypted_card or in clear fields, not both.' });
      }
    }
    card = { ...(await decryptCardPayload(encrypted, ctx.vault.lookupEncryptionKey)) };
  } else {
    // Live mode never accepts a card in clear: a proxy between browser and vault would see it.
    if (caller.livemode) throw new CardvaultError('encryption_required', { param: 'encrypted_card' });
    for (const name of CLEAR_CARD) {
      if (params[name] === undefined) throw new CardvaultError('parameter_missing', { param: name, message: `Missing required parameter: ${name}.` });
    }
    card = {
      number: str(params, 'card[number]')!,
      exp_month: Number(str(params, 'card[exp_month]')),
      exp_year: Number(str(params, 'card[exp_year]')),
      cvc: str(params, 'card[cvc]')!,
    };
  }
  const name = str(params, 'card[name]');
  if (name !== undefined && card.name === undefined) card.name = name;
  const zip = str(params, 'card[address_zip]');
  if (zip !== undefined && card.address_zip === undefined) card.address_zip = zip;
  for (const b of BILLING) {
    const v = str(params, `card[${b}]`);
    if (v !== undefined) card[b] = v;
  }
  return card;
}

/**
 * POST /v1/tokens — public: authenticated by a publishable key or a client token in the body.
 * The route takes its per-IP bucket itself, with its other limits, in one statement (`admit`, or
 * the failure path); a request refused before either (bad key, bad parameters) takes it here.
 */
export async function createToken(ctx: RequestContext): Promise<void> {
  const state = { gated: false };
  try {
    await tokenize(ctx, state);
  } catch (error) {
    if (!state.gated && !(error instanceof RetryAfterError)) await ctx.vault.abuse.checkIp(ctx.ip);
    throw error;
  }
}

async function tokenize(ctx: RequestContext, state: { gated: boolean }): Promise<void> {
  const { vault } = ctx;
  const params = await readParams(ctx, TOKEN_SPEC);
  const caller = await authenticate(ctx, params);
  // In frame mode the browser's Origin is the frame's; the frame attests the merchant page's
  // origin (it accepted `connect` only from it), believed only from a configured frame origin.
  const pageOrigin = ctx.origin !== undefined && vault.frameOrigins.has(ctx.origin) ? str(params, 'host_origin') : ctx.origin;
  if (
    ctx.origin !== undefined &&
    ((caller.allowedOrigins !== null && (pageOrigin === undefined || !caller.allowedOrigins.includes(pageOrigin))) ||
      // Live: the page's origin must be the caller's account's own claim (origin-claims.ts), so
      // another account's live key or client token listing it cannot pass for that page.
      (caller.livemode && (pageOrigin === undefined || !(await vault.origins.heldBy(caller.accountId, pageOrigin)))))
  ) {
    // No Access-Control-Allow-Origin: the page on the refused origin cannot read this answer.
    ctx.setCorsAllowed(false);
    throw new CardvaultError('origin_not_allowed');
  }
  // A caller refused within the last second is refused again before any work (no database trip).
  const who = { ip: ctx.ip, principal: caller.principal };
  vault.abuse.gateTokenization(who);

  const nowMs = vault.now();
  let card: SealedCard;
  let checked: { number: string; brand: string };
  try {
    card = await readCard(ctx, params, caller);
    checked = validateCard(card, new Date(nowMs));
  } catch (error) {
    // Failed card validations are what card testing looks like: counted against IP, key and both.
    if (isCardvaultError(error) && error.type === 'validation_error') {
      state.gated = true;
      await vault.abuse.recordValidationFailure(who);
    }
    throw error;
  }
  card.number = checked.number;

  const id = newId('tok');
  const idempotencyKey = str(params, 'idempotency_key');
  const canonical = idempotencyKey === undefined ? '' : JSON.stringify([caller.principal, card.number, card.exp_month, card.exp_year, card.cvc, card.name ?? null, card.address_zip ?? null, BILLING.map((b) => card[b] ?? null)]);
  const [fingerprint, sealed, requestHash] = await Promise.all([
    vault.fingerprint(caller.accountId, card.number),
    vault.envelope.seal(JSON.stringify(card), aadFor('tokens', id)),
    idempotencyKey === undefined ? Promise.resolve('') : vault.requestHash(caller.accountId, canonical),
  ]);
  // Buckets, blocks, and distinct cards per IP, key and (IP, key) — what a bot testing cards
  // cannot help varying — in one round trip.
  state.gated = true;
  await vault.abuse.admit(who, fingerprint);

  const base: TokenRow = {
    id,
    accountId: caller.accountId,
    livemode: caller.livemode,
    cardSealed: sealed.sealed,
    dataKeyId: sealed.dataKeyId,
    fingerprint,
    brand: checked.brand,
    last4: card.number.slice(-4),
    expMonth: card.exp_month,
    expYear: card.exp_year,
    clientTokenId: caller.clientTokenId ?? null,
    createdAt: nowMs,
    expiresAt: nowMs + vault.tokenTtlMs,
    usedAt: null,
  };
  // Sealed again if a rotation retired the key meanwhile (the store refuses a retiring key).
  let token = base;
  const result = await vault.envelope.write(sealed, JSON.stringify(card), aadFor('tokens', id), (s) => {
    token = { ...base, cardSealed: s.sealed, dataKeyId: s.dataKeyId };
    return vault.store.createToken({
      token,
      ...(idempotencyKey !== undefined ? { idempotency: { key: idempotencyKey, requestHash, staleBefore: nowMs - IDEMPOTENCY_TTL_MS } } : {}),
      ...(caller.clientTokenId !== undefined ? { clientTokenId: caller.clientTokenId } : {}),
    });
  });
  if (result.kind === 'client_token_exhausted') throw new CardvaultError('client_token_exhausted', { param: 'client_token' });
  if (result.kind === 'replay') {
    if (result.requestHash !== requestHash) throw new CardvaultError('idempotency_key_reused', { param: 'idempotency_key' });
    const original = await vault.store.getToken(result.tokenId);
    if (!original) throw new Error('Idempotency record without its token.');
    // The stored response, byte for byte: the original token, as it was answered (unused).
    sendJson(ctx.res, 200, renderToken(original, card, false), { 'Idempotent-Replayed': 'true' });
    return;
  }
  sendJson(ctx.res, 200, renderToken(token, card, false));
}

/** GET /v1/tokens/{id} — secret key. */
export async function retrieveToken(ctx: RequestContext): Promise<void> {
  const key = await requireSecretKey(ctx);
  await takeKeyBudget(ctx, key.id);
  const id = ctx.pathParams[0]!;
  const token = /^tok_[A-Za-z0-9]{24}$/.test(id) ? await ctx.vault.store.getToken(id) : null;
  // Another account's token does not exist, as far as this key can tell. Nor does an unused token
  // past its expiry: the retention sweep deletes it within 60 s, and until then nothing of its card
  // is served (the same answer as after the deletion, so the two cannot be told apart).
  const gone = token !== null && token.usedAt === null && token.expiresAt <= ctx.vault.now();
  if (!token || token.accountId !== key.accountId || gone) throw new CardvaultError('resource_missing', { param: 'id', message: 'No such token.' });
  if (token.livemode !== key.livemode) throw new CardvaultError('livemode_mismatch', { param: 'id' });
  let card: Partial<SealedCard> | null = null;
  try {
    card = JSON.parse(await ctx.vault.envelope.openText(token.cardSealed, aadFor('tokens', token.id))) as SealedCard;
  } catch {
    card = null;
  }
  sendJson(ctx.res, 200, renderToken(token, card, token.usedAt !== null, true));
}

