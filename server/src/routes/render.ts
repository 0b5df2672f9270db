import type { CardPayload } from '../../../src/types';
import type { ApiKeyRow, ChargeRow, TokenRow } from '../store/types';

/** Unix seconds, as every timestamp on the wire. */
export const sec = (ms: number): number => Math.floor(ms / 1000);

/** What is sealed per token: the card plus billing details. */
export interface SealedCard extends CardPayload {
  address_line1?: string;
  address_line2?: string;
  address_city?: string;
  address_state?: string;
  address_country?: string;
}

/** The token object. `used` is passed in so an idempotent replay repeats the original response. */
export function renderToken(t: TokenRow, card: Partial<SealedCard> | null, used: boolean, billing = false): Record<string, unknown> {
  const out: Record<string, unknown> = {
    brand: t.brand,
    last4: t.last4,
    exp_month: t.expMonth,
    exp_year: t.expYear,
    fingerprint: t.fingerprint,
  };
  if (card?.name !== undefined) out.name = card.name;
  if (card?.address_zip !== undefined) out.address_zip = card.address_zip;
  if (billing && card) {
    for (const k of ['address_line1', 'address_line2', 'address_city', 'address_state', 'address_country'] as const) {
      if (card[k] !== undefined) out[k] = card[k];
    }
  }
  return {
    id: t.id,
    object: 'token',
    livemode: t.livemode,
    created: sec(t.createdAt),
    expires_at: sec(t.expiresAt),
    used,
    card: out,
  };
}

export function renderCharge(c: ChargeRow, failureMessage?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: c.id,
    object: 'charge',
    livemode: c.livemode,
    created: sec(c.createdAt),
    status: c.status,
    amount: c.amount,
    currency: c.currency,
    token: c.tokenId,
    card: { brand: c.brand, last4: c.last4 },
  };
  if (c.description !== null) out.description = c.description;
  if (c.failureCode !== null) {
    out.failure_code = c.failureCode;
    if (failureMessage) out.failure_message = failureMessage;
  }
  return out;
}

export function renderApiKey(k: ApiKeyRow, now: number, secret?: string): Record<string, unknown> {
  const status =
    k.revokedAt !== null ? 'revoked' : k.expiresAt !== null && k.expiresAt <= now ? 'expired' : k.expiresAt !== null ? 'rolling' : 'active';
  const out: Record<string, unknown> = {
    id: k.id,
    object: 'api_key',
    type: k.kind,
    livemode: k.livemode,
    status,
    display: k.display,
    allowed_origins: k.allowedOrigins,
    created: sec(k.createdAt),
    expires_at: k.expiresAt === null ? null : sec(k.expiresAt),
    revoked_at: k.revokedAt === null ? null : sec(k.revokedAt),
    rolled_to: k.rolledTo,
    // 'operator', or the key that created this one (null: made before this was recorded).
    created_by: k.createdBy,
  };
  if (secret !== undefined) out.secret = secret;
  return out;
}
