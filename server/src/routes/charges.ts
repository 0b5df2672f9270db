import { CATALOGUE, CardvaultError, type ErrorCode } from '../../../src/errors';
import { aadFor } from '../crypto/envelope';
import { newId } from '../crypto/random';
import { readParams, requireSecretKey, takeKeyBudget, type RequestContext } from '../http/context';
import { ChargeDeclinedError } from '../http/errors';
import { int, required, str, type Spec } from '../http/params';
import { sendJson } from '../http/respond';
import { processCharge } from '../processor';
import type { ApiKeyRow, ChargeRow } from '../store/types';
import { IDEMPOTENCY_TTL_MS } from '../vault';
import { renderCharge, type SealedCard } from './render';

const CHARGE_SPEC: Spec = {
  token: { max: 64, pattern: /^tok_[A-Za-z0-9]{24}$/, code: 'resource_missing', message: 'No such token.' },
  amount: { max: 15 },
  currency: { max: 3, pattern: /^[A-Za-z]{3}$/ },
  description: { max: 500 },
};

/** The Idempotency-Key header: printable ASCII, 1–255 characters (Node trims surrounding blanks). */
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

/**
 * An attempt that claimed a key and made no charge within this time died (a crash between claim and
 * charge): its key is taken over. Far above a charge's duration, so a live attempt keeps its key.
 */
export const CHARGE_KEY_LEASE_MS = 60_000;

/** Reads `Idempotency-Key`; a bad or repeated value is refused, never silently ignored. */
function idempotencyKeyHeader(ctx: RequestContext): string | undefined {
  const values = ctx.req.headersDistinct['idempotency-key'];
  if (values === undefined) return undefined;
  if (values.length > 1) {
    throw new CardvaultError('parameter_duplicated', { param: 'Idempotency-Key', message: 'The Idempotency-Key header was sent more than once.' });
  }
  if (!IDEMPOTENCY_KEY.test(values[0]!)) {
    throw new CardvaultError('parameter_invalid', { param: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 255 printable ASCII characters.' });
  }
  return values[0]!;
}

interface ChargeRequest {
  key: ApiKeyRow;
  id: string;
  tokenId: string;
  amount: number;
  currency: string;
  description: string | null;
  now: number;
}

/**
 * POST /v1/charges — secret key. Consumes the token (single use, even when declined) and asks the
 * sandbox processor. Declines answer 402 with the decline's card_error code and the charge id.
 *
 * With an `Idempotency-Key` header the key is claimed (per account and mode) before the token is
 * touched. Once the attempt has made a charge, the same key and request replay that charge's answer
 * (200 or the 402 decline, with `Idempotent-Replayed: true`) without a second charge or processor
 * call; another request → 409 idempotency_key_reused; before the charge exists → 409
 * idempotency_key_in_flight. An attempt that ends without a charge (refused token, rate limit,
 * internal error) releases the key: nothing was charged, so a retry runs again.
 */
export async function createCharge(ctx: RequestContext): Promise<void> {
  const key = await requireSecretKey(ctx);
  await takeKeyBudget(ctx, key.id);
  const { vault } = ctx;
  const params = await readParams(ctx, CHARGE_SPEC);
  const tokenId = required(params, 'token');
  const amount = int(params, 'amount', 1, 99_999_999);
  if (amount === undefined) throw new CardvaultError('parameter_missing', { param: 'amount', message: 'Missing required parameter: amount.' });
  const currency = required(params, 'currency').toLowerCase();
  const description = str(params, 'description') ?? null;
  const idempotencyKey = idempotencyKeyHeader(ctx);

  const request: ChargeRequest = { key, id: newId('ch'), tokenId, amount, currency, description, now: vault.now() };
  if (idempotencyKey === undefined) {
    answer(ctx, await makeCharge(ctx, request));
    return;
  }

  // The request's meaning, as the token route does it: a keyed hash, nothing readable stored.
  const requestHash = await vault.requestHash(key.accountId, JSON.stringify(['charge', tokenId, amount, currency, description]));
  const claim = await vault.store.claimChargeKey({
    accountId: key.accountId,
    livemode: key.livemode,
    key: idempotencyKey,
    requestHash,
    chargeId: request.id,
    now: request.now,
    staleBefore: request.now - IDEMPOTENCY_TTL_MS,
    abandonedBefore: request.now - CHARGE_KEY_LEASE_MS,
  });
  if (claim.kind === 'replay') {
    if (claim.requestHash !== requestHash) throw new CardvaultError('idempotency_key_reused', { param: 'Idempotency-Key' });
    if (!claim.completed) throw new CardvaultError('idempotency_key_in_flight', { param: 'Idempotency-Key' });
    const original = await vault.store.getCharge(claim.chargeId);
    if (!original) throw new Error('Idempotency record without its charge.');
    ctx.res.setHeader('Idempotent-Replayed', 'true');
    answer(ctx, original);
    return;
  }
  let charge: ChargeRow;
  try {
    charge = await makeCharge(ctx, request);
  } catch (error) {
    // No charge was made (the store re-checks): the key is free again. Never hide the first error.
    await vault.store.releaseChargeKey(key.accountId, key.livemode, idempotencyKey, request.id).catch(() => {});
    throw error;
  }
  answer(ctx, charge);
}

/** Spends the token and records the processor's decision; returns the charge (succeeded or failed). */
async function makeCharge(ctx: RequestContext, r: ChargeRequest, attempt = 0): Promise<ChargeRow> {
  const { vault } = ctx;
  const { key, now } = r;
  const token = await vault.store.getToken(r.tokenId);
  if (!token || token.accountId !== key.accountId) throw new CardvaultError('resource_missing', { param: 'token', message: 'No such token.' });
  // A test key can never spend a live token, nor the reverse.
  if (token.livemode !== key.livemode) throw new CardvaultError('livemode_mismatch', { param: 'token' });
  if (token.usedAt !== null) throw new CardvaultError('token_already_used', { param: 'token' });
  if (token.expiresAt <= now) throw new CardvaultError('token_expired', { param: 'token' });
  await vault.abuse.checkCard(token.fingerprint);

  const aad = aadFor('tokens', token.id);
  const card = JSON.parse(await vault.envelope.openText(token.cardSealed, aad)) as SealedCard;
  // The CVC may not outlive the token's first use (PCI DSS 3.2): the card is re-sealed without it
  // here, and store.chargeToken writes that in the transaction that marks the token used.
  const { cvc: _cvc, ...rest } = card;
  // envelope.write: sealed under the key active when the transaction commits (a rotation may retire
  // the one read here; the store then refuses and the card is sealed again).
  const charge = await vault.envelope.write(null, JSON.stringify(rest), aad, (stripped) => vault.store.chargeToken(
    {
      tokenId: token.id,
      accountId: key.accountId,
      livemode: key.livemode,
      now,
      cardSealed: token.cardSealed,
      strippedSealed: stripped.sealed,
      strippedDataKeyId: stripped.dataKeyId,
    },
    // Inside the transaction, once the token is won: the processor is asked once per token.
    async () => {
      const outcome = processCharge(card, key.livemode, new Date(now));
      return {
        id: r.id,
        accountId: key.accountId,
        livemode: key.livemode,
        tokenId: token.id,
        amount: r.amount,
        currency: r.currency,
        description: r.description,
        status: outcome.status,
        failureCode: outcome.status === 'failed' ? outcome.code : null,
        brand: token.brand,
        last4: token.last4,
        createdAt: now,
      };
    },
  ));
  if (charge === null) {
    // Lost a race: another charge, the expiry, the retention sweep, or a re-encryption of the card.
    if (attempt < 3) return makeCharge(ctx, r, attempt + 1);
    throw new CardvaultError(token.expiresAt <= vault.now() ? 'token_expired' : 'token_already_used', { param: 'token' });
  }

  // Declines (other than the processor's own errors) count towards card testing on this card.
  if (charge.status === 'failed' && charge.failureCode !== 'processing_error') await vault.abuse.recordDecline(token.fingerprint);
  return charge;
}

/** A charge's answer, the same the first time and on a replay: 200, or the 402 decline naming it. */
function answer(ctx: RequestContext, charge: ChargeRow): void {
  if (charge.status === 'failed') throw new ChargeDeclinedError((charge.failureCode ?? 'card_declined') as ErrorCode, charge.id);
  sendJson(ctx.res, 200, renderCharge(charge));
}

/** GET /v1/charges/{id} — secret key. */
export async function retrieveCharge(ctx: RequestContext): Promise<void> {
  const key = await requireSecretKey(ctx);
  await takeKeyBudget(ctx, key.id);
  const id = ctx.pathParams[0]!;
  const charge = /^ch_[A-Za-z0-9]{24}$/.test(id) ? await ctx.vault.store.getCharge(id) : null;
  if (!charge || charge.accountId !== key.accountId) throw new CardvaultError('resource_missing', { param: 'id', message: 'No such charge.' });
  if (charge.livemode !== key.livemode) throw new CardvaultError('livemode_mismatch', { param: 'id' });
  sendJson(ctx.res, 200, renderCharge(charge, charge.failureCode ? CATALOGUE[charge.failureCode as keyof typeof CATALOGUE]?.message : undefined));
}
