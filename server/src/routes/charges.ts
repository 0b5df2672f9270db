import { CATALOGUE, CardvaultError } from '../../../src/errors';
import { aadFor } from '../crypto/envelope';
import { newId } from '../crypto/random';
import { readParams, requireSecretKey, takeKeyBudget, type RequestContext } from '../http/context';
import { ChargeDeclinedError, RetryAfterError } from '../http/errors';
import { int, required, str, type Spec } from '../http/params';
import { sendJson } from '../http/respond';
import { processCharge } from '../processor';
import type { ChargeRow } from '../store/types';
import { renderCharge, type SealedCard } from './render';

const CHARGE_SPEC: Spec = {
  token: { max: 64, pattern: /^tok_[A-Za-z0-9]{24}$/, code: 'resource_missing', message: 'No such token.' },
  amount: { max: 15 },
  currency: { max: 3, pattern: /^[A-Za-z]{3}$/ },
  description: { max: 500 },
};

/**
 * POST /v1/charges — secret key. Consumes the token (single use, even when declined) and asks the
 * sandbox processor. Declines answer 402 with the decline's card_error code and the charge id.
 */
export async function createCharge(ctx: RequestContext): Promise<void> {
  const key = await requireSecretKey(ctx);
  takeKeyBudget(ctx, key.id);
  const { vault } = ctx;
  const params = await readParams(ctx, CHARGE_SPEC);
  const tokenId = required(params, 'token');
  const amount = int(params, 'amount', 1, 99_999_999);
  if (amount === undefined) throw new CardvaultError('parameter_missing', { param: 'amount', message: 'Missing required parameter: amount.' });
  const currency = required(params, 'currency').toLowerCase();
  const description = str(params, 'description') ?? null;

  const now = vault.now();
  const token = await vault.store.getToken(tokenId);
  if (!token || token.accountId !== key.accountId) throw new CardvaultError('resource_missing', { param: 'token', message: 'No such token.' });
  // A test key can never spend a live token, nor the reverse.
  if (token.livemode !== key.livemode) throw new CardvaultError('livemode_mismatch', { param: 'token' });
  if (token.usedAt !== null) throw new CardvaultError('token_already_used', { param: 'token' });
  if (token.expiresAt <= now) throw new CardvaultError('token_expired', { param: 'token' });
  const wait = vault.abuse.cardBlocked(token.fingerprint);
  if (wait > 0) throw new RetryAfterError('card_testing_suspected', wait);

  const consumed = await vault.store.consumeToken(token.id, key.accountId, key.livemode, now);
  if (!consumed) {
    // Lost a race with another charge (or it expired this very millisecond).
    throw new CardvaultError(token.expiresAt <= vault.now() ? 'token_expired' : 'token_already_used', { param: 'token' });
  }
  const aad = aadFor('tokens', token.id);
  const card = JSON.parse(await vault.envelope.openText(consumed.cardSealed, aad)) as SealedCard;
  const outcome = processCharge(card, key.livemode, new Date(now));
  const charge: ChargeRow = {
    id: newId('ch'),
    accountId: key.accountId,
    livemode: key.livemode,
    tokenId: token.id,
    amount,
    currency,
    description,
    status: outcome.status,
    failureCode: outcome.status === 'failed' ? outcome.code : null,
    brand: token.brand,
    last4: token.last4,
    createdAt: now,
  };
  await vault.store.insertCharge(charge);
  // The CVC may not outlive the authorization (PCI DSS 3.2): re-seal the card without it.
  const { cvc: _cvc, ...rest } = card;
  const resealed = await vault.envelope.seal(JSON.stringify(rest), aad);
  await vault.store.updateSealed({ table: 'tokens', id: token.id, sealed: consumed.cardSealed }, resealed.sealed, resealed.dataKeyId);

  if (outcome.status === 'failed') {
    // Declines (other than the processor's own errors) count towards card testing on this card.
    if (outcome.code !== 'processing_error') vault.abuse.recordCardFailure(token.fingerprint);
    throw new ChargeDeclinedError(outcome.code, charge.id);
  }
  sendJson(ctx.res, 200, renderCharge(charge));
}

/** GET /v1/charges/{id} — secret key. */
export async function retrieveCharge(ctx: RequestContext): Promise<void> {
  const key = await requireSecretKey(ctx);
  takeKeyBudget(ctx, key.id);
  const id = ctx.pathParams[0]!;
  const charge = /^ch_[A-Za-z0-9]{24}$/.test(id) ? await ctx.vault.store.getCharge(id) : null;
  if (!charge || charge.accountId !== key.accountId) throw new CardvaultError('resource_missing', { param: 'id', message: 'No such charge.' });
  if (charge.livemode !== key.livemode) throw new CardvaultError('livemode_mismatch', { param: 'id' });
  sendJson(ctx.res, 200, renderCharge(charge, charge.failureCode ? CATALOGUE[charge.failureCode as keyof typeof CATALOGUE]?.message : undefined));
}
