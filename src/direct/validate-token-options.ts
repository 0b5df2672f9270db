import { describeType } from '../card/assert-argument';
import { CardvaultError } from '../errors/cardvault-error';
import { BILLING_FIELDS } from '../billing';
import type { BillingDetails } from '../types';

/** Second argument of direct mode's `createToken`. */
export interface CreateTokenOptions {
  /** Aborting it rejects the call with `aborted` and stops any retry. */
  signal?: AbortSignal;
  /** Billing details sent in clear beside the encrypted card (not card data). */
  billing?: BillingDetails;
}

const OPTION_KEYS = new Set(['signal', 'billing']);
const BILLING_KEYS: ReadonlySet<string> = new Set(BILLING_FIELDS);
const MAX_BILLING_LENGTH = 256;

/** Checks `createToken`'s options: unknown members, wrong types or huge strings throw `invalid_argument`. */
export function validateTokenOptions(options: unknown): CreateTokenOptions {
  if (options === undefined) return {};
  const o = plainObject(options, 'options');
  for (const key of Object.keys(o)) if (!OPTION_KEYS.has(key)) throw unknown(key, 'options');
  const out: CreateTokenOptions = {};
  if (o.signal !== undefined) {
    // Duck-typed rather than `instanceof`: a signal from another frame or a polyfill is still a signal.
    const s = o.signal as Partial<AbortSignal> | null;
    if (typeof s !== 'object' || s === null || typeof s.aborted !== 'boolean' || typeof s.addEventListener !== 'function') {
      throw new CardvaultError('invalid_argument', { param: 'signal', message: 'options.signal must be an AbortSignal.' });
    }
    out.signal = o.signal as AbortSignal;
  }
  if (o.billing !== undefined) {
    const b = plainObject(o.billing, 'billing');
    const billing: Record<string, string> = {};
    for (const [key, value] of Object.entries(b)) {
      if (!BILLING_KEYS.has(key)) throw unknown(key, 'billing');
      if (value === undefined) continue;
      if (typeof value !== 'string' || value.length > MAX_BILLING_LENGTH) {
        throw new CardvaultError('invalid_argument', {
          param: `billing.${key}`,
          message: `billing.${key} must be a string of at most ${MAX_BILLING_LENGTH} characters, got ${describeType(value)}.`,
        });
      }
      billing[key] = value.trim();
    }
    out.billing = billing as BillingDetails;
  }
  return out;
}

function plainObject(value: unknown, param: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CardvaultError('invalid_argument', { param, message: `${param} must be an object, got ${describeType(value)}.` });
  }
  return value as Record<string, unknown>;
}

function unknown(key: string, where: string): CardvaultError {
  const name = key.slice(0, 40);
  return new CardvaultError('invalid_argument', { param: `${where}.${name}`, message: `Unknown member "${name}" in ${where}.` });
}
