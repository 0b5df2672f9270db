import { CardvaultError, type ErrorCode } from '../../../src/errors';
import { JSON_NULL, safeName, type RawParams } from './body';

/** What one parameter may be. Everything not described by a route's spec is refused. */
export interface FieldSpec {
  /** `list`: sent as `name[]` any number of times (up to `maxItems`). */
  list?: boolean;
  maxItems?: number;
  /** Longest accepted value, in UTF-16 units; longer values are refused before any other check. */
  max: number;
  pattern?: RegExp;
  /** The code for a value that is too long or does not match (default `parameter_invalid`). */
  code?: ErrorCode;
  message?: string;
}

export type Spec = Readonly<Record<string, FieldSpec>>;

/** Validated parameters. A null-prototype object: `__proto__` and friends are plain (refused) names. */
export type Params = Record<string, string | string[] | undefined>;

// Names whose segments would reach Object.prototype in a naive `a[b][c]` parser.
const POLLUTING = /(^|\[)(__proto__|constructor|prototype)(\]|$)/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Checks raw parameters against a route's spec: known names only, no prototype-polluting names,
 * no duplicates (except lists), bounded lengths, expected shapes. Empty values count as absent.
 * Nothing here echoes a value in an error.
 */
export function checkParams(raw: RawParams, spec: Spec): Params {
  const out: Params = Object.create(null) as Params;
  for (const [name, values] of raw) {
    if (POLLUTING.test(name)) {
      throw new CardvaultError('parameter_unknown', {
        param: safeName(name),
        message: 'Parameter names may not contain __proto__, constructor or prototype.',
      });
    }
    const isList = name.endsWith('[]');
    const key = isList ? name.slice(0, -2) : name;
    const field = Object.prototype.hasOwnProperty.call(spec, key) ? spec[key] : undefined;
    if (field === undefined || (field.list ?? false) !== isList) {
      throw new CardvaultError('parameter_unknown', { param: safeName(name), message: `Unknown parameter: ${safeName(name)}.` });
    }
    if (!field.list && values.length > 1) {
      throw new CardvaultError('parameter_duplicated', { param: name, message: `The parameter ${name} was sent more than once.` });
    }
    if (field.list && values.length > (field.maxItems ?? 20)) {
      throw new CardvaultError('parameter_invalid', { param: name, message: `Too many values for ${name}.` });
    }
    const checked: string[] = [];
    for (const value of values) {
      if (value === JSON_NULL) {
        throw new CardvaultError('parameter_invalid', { param: key, message: `${key} must be a string, not null.` });
      }
      if (value === '') continue;
      const code = field.code ?? 'parameter_invalid';
      if (value.length > field.max || CONTROL.test(value) || (field.pattern !== undefined && !field.pattern.test(value))) {
        throw new CardvaultError(code, { param: key, ...(field.message ? { message: field.message } : {}) });
      }
      checked.push(value);
    }
    if (field.list) out[key] = checked;
    else if (checked[0] !== undefined) out[key] = checked[0];
  }
  return out;
}

export function str(params: Params, name: string): string | undefined {
  const v = params[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(params: Params, name: string): string[] | undefined {
  const v = params[name];
  return Array.isArray(v) ? v : undefined;
}

export function required(params: Params, name: string): string {
  const v = str(params, name);
  if (v === undefined) throw new CardvaultError('parameter_missing', { param: name, message: `Missing required parameter: ${name}.` });
  return v;
}

/** A non-negative integer parameter within bounds (digits only: no signs, exponents or decimals). */
export function int(params: Params, name: string, min: number, max: number): number | undefined {
  const v = str(params, name);
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,15}$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new CardvaultError('parameter_invalid', { param: name, message: `${name} must be an integer from ${min} to ${max}.` });
  }
  return Number(v);
}

/** A canonical web origin: scheme://host[:port], nothing else. */
export const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$/;
