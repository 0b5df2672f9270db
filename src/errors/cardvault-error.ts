import { CATALOGUE, isErrorCode, type ErrorCode, type ErrorType } from './catalogue';

export interface CardvaultErrorInit {
  /** Overrides the catalogue's message. Must never contain card data. */
  message?: string;
  /** The parameter or field the error is about (e.g. `number`, `exp_month`, `card[cvc]`). */
  param?: string;
  /** Every invalid field, for validation errors covering several fields. */
  fields?: readonly string[];
  requestId?: string;
  /** HTTP status when the error came from the vault. */
  status?: number;
  cause?: unknown;
}

/**
 * The one error class of Cardvault. Construction-time misuse (a secret key, a bad argument) is
 * thrown synchronously; runtime failures reject a promise with a `CardvaultError`.
 *
 * @example
 * try { await cardvault.createToken(card); }
 * catch (e) { if (isCardvaultError(e) && e.type === 'validation_error') showFields(e.fields); }
 */
export class CardvaultError extends Error {
  override readonly name = 'CardvaultError';
  readonly type: ErrorType;
  readonly code: ErrorCode;
  readonly param: string | undefined;
  readonly fields: readonly string[] | undefined;
  readonly requestId: string | undefined;
  readonly status: number | undefined;

  constructor(code: ErrorCode, init: CardvaultErrorInit = {}) {
    const entry = CATALOGUE[code];
    super(init.message ?? entry.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.type = entry.type;
    this.code = code;
    this.param = init.param;
    this.fields = init.fields;
    this.requestId = init.requestId;
    this.status = init.status;
  }

  /** A plain, structured-clone-safe copy (for postMessage across frames). */
  toJSON(): SerializedError {
    const out: SerializedError = { type: this.type, code: this.code, message: this.message };
    if (this.param !== undefined) out.param = this.param;
    if (this.fields !== undefined) out.fields = [...this.fields];
    if (this.requestId !== undefined) out.requestId = this.requestId;
    if (this.status !== undefined) out.status = this.status;
    return out;
  }

  /** Rebuilds an error from `toJSON()` output; unknown codes become `api_error`. */
  static fromJSON(value: unknown): CardvaultError {
    const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const code = isErrorCode(v.code) ? v.code : 'api_error';
    const init: CardvaultErrorInit = {};
    // An empty message comes from the frame bundle, which ships without catalogue messages;
    // this side's catalogue supplies it.
    if (typeof v.message === 'string' && v.message !== '') init.message = v.message.slice(0, 500);
    if (typeof v.param === 'string') init.param = v.param;
    if (Array.isArray(v.fields)) init.fields = v.fields.filter((f): f is string => typeof f === 'string');
    if (typeof v.requestId === 'string') init.requestId = v.requestId;
    if (typeof v.status === 'number') init.status = v.status;
    return new CardvaultError(code, init);
  }
}

export interface SerializedError {
  type: ErrorType;
  code: ErrorCode;
  message: string;
  param?: string;
  fields?: string[];
  requestId?: string;
  status?: number;
}

/**
 * True for a `CardvaultError`, also one created in another realm (an iframe), where `instanceof`
 * fails: it then compares `name` and checks that `code` is in the catalogue.
 */
export function isCardvaultError(value: unknown): value is CardvaultError {
  if (value instanceof CardvaultError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { name?: unknown; code?: unknown; type?: unknown };
  return v.name === 'CardvaultError' && isErrorCode(v.code) && typeof v.type === 'string';
}
