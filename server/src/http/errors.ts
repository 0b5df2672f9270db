import { CardvaultError, type CardvaultErrorInit, type ErrorCode } from '../../../src/errors';

/** A 429 that carries its Retry-After (seconds). */
export class RetryAfterError extends CardvaultError {
  constructor(
    code: Extract<ErrorCode, 'rate_limited' | 'card_testing_suspected'>,
    readonly retryAfter: number,
    init: CardvaultErrorInit = {},
  ) {
    super(code, init);
  }
}

/** A card_error (402) from a charge, carrying the charge id. */
export class ChargeDeclinedError extends CardvaultError {
  constructor(
    code: ErrorCode,
    readonly chargeId: string,
  ) {
    super(code);
  }
}
