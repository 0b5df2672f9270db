import { CardvaultError } from '../errors/cardvault-error';
import type { CardBrand, Token } from '../types';
import { isRecord } from './http';

/**
 * Checks that a 2xx body is a token and returns a fresh copy with the known members only, so
 * nothing else the response carried reaches the merchant's code.
 *
 * `card.brand` must be a short lowercase word but is not checked against today's brand list: a
 * vault that learns a new brand must not break SDKs already deployed.
 *
 * @throws CardvaultError `invalid_response` when the body is not a token.
 */
export function parseToken(value: unknown, requestId?: string): Token {
  const card = isRecord(value) ? value.card : undefined;
  if (
    !isRecord(value) ||
    !isRecord(card) ||
    typeof value.id !== 'string' ||
    !/^tok_[A-Za-z0-9_]{1,128}$/.test(value.id) ||
    value.object !== 'token' ||
    typeof value.livemode !== 'boolean' ||
    !isTimestamp(value.created) ||
    !isTimestamp(value.expires_at) ||
    typeof value.used !== 'boolean' ||
    typeof card.brand !== 'string' ||
    !/^[a-z_]{1,32}$/.test(card.brand) ||
    typeof card.last4 !== 'string' ||
    !/^\d{4}$/.test(card.last4) ||
    !isInteger(card.exp_month, 1, 12) ||
    !isInteger(card.exp_year, 1000, 9999) ||
    typeof card.fingerprint !== 'string' ||
    card.fingerprint.length > 256 ||
    !isOptionalText(card.name) ||
    !isOptionalText(card.address_zip)
  ) {
    // The catalogue's invalid_response message already says it: the vault's answer was not understood.
    throw new CardvaultError('invalid_response', { requestId });
  }
  const token: Token = {
    id: value.id,
    object: 'token',
    livemode: value.livemode,
    created: value.created as number,
    expires_at: value.expires_at as number,
    used: value.used,
    card: {
      brand: card.brand as CardBrand,
      last4: card.last4,
      exp_month: card.exp_month as number,
      exp_year: card.exp_year as number,
      fingerprint: card.fingerprint,
    },
  };
  if (card.name !== undefined) token.card.name = card.name as string | null;
  if (card.address_zip !== undefined) token.card.address_zip = card.address_zip as string | null;
  return token;
}

function isTimestamp(value: unknown): boolean {
  return isInteger(value, 0, Number.MAX_SAFE_INTEGER);
}

function isInteger(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isOptionalText(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.length <= 1024);
}
