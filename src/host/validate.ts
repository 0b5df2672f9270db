/** Argument checks of the host API: misuse throws `invalid_argument` naming the parameter. */
import { BILLING_FIELDS } from '../billing';
import { describeType } from '../card/assert-argument';
import { CardvaultError } from '../errors/cardvault-error';

/**
 * `invalid_argument` naming the argument, what is allowed and what it got. What it got is shown as
 * a type, or as the word itself when it is a short word without digits (an event or type name):
 * never a value that could be card data.
 * @example bad('event', 'one of ready, change', 'input') // "event must be one of ready, change; got \"input\"."
 */
export const bad = (param: string, allowed: string, got: unknown): CardvaultError =>
  new CardvaultError('invalid_argument', {
    param,
    message: `${param} must be ${allowed}; got ${typeof got === 'string' && /^[A-Za-z_.-]{1,40}$/.test(got) ? `"${got}"` : describeType(got)}.`,
  });

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// s: a style object by state, b: a boolean, f: a fonts array; any other allowed key is a string of
// at most 200 characters (placeholder, label, billing details).
const KINDS: Record<string, string> = { style: 's', disabled: 'b', hidePostalCode: 'b', hideIcon: 'b', fonts: 'f', postalCode: 'p' };
/** What each kind allows, for the message. */
const ALLOWED: Record<string, string> = { s: 'an object of base, complete, empty, invalid', b: 'a boolean', f: 'an array of up to 10 font objects', p: "'optional' or 'required'" };
const STATES = ['base', 'complete', 'empty', 'invalid'];

/** Allowed keys of `elements.create()` / `element.update()` options. */
export const ELEMENT_OPTIONS = 'style placeholder label disabled hidePostalCode hideIcon postalCode';
/** Allowed keys of `createToken()`'s billing details. */
export const BILLING = BILLING_FIELDS.join(' ');

/**
 * Checks an options object against `allowed` (a space-separated key list) and returns a shallow
 * copy without `undefined` values. Styles and fonts are only checked for shape here; the frame,
 * the side that applies them, sanitises their contents.
 */
export function checkOptions(options: unknown, param: string, allowed: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (options === undefined) return out;
  if (!isObject(options)) throw bad(param, 'an object', options);
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined) continue;
    const kind = KINDS[k];
    if (!allowed.split(' ').includes(k)) {
      throw new CardvaultError('invalid_argument', { param: `${param}.${k}`, message: `Unknown option ${param}.${k.slice(0, 40)}; allowed: ${allowed.replaceAll(' ', ', ')}.` });
    }
    if (
      !(kind === 'b'
        ? typeof v === 'boolean'
        : kind === 's'
          ? isObject(v) && Object.keys(v).every((s) => STATES.includes(s) && isObject(v[s]))
          : kind === 'f'
            ? Array.isArray(v) && v.length <= 10 && v.every(isObject)
            : kind === 'p'
              ? v === 'optional' || v === 'required'
              : typeof v === 'string' && v.length <= 200)
    ) {
      throw bad(`${param}.${k}`, ALLOWED[kind!] ?? 'a string of up to 200 characters', v);
    }
    out[k] = v;
  }
  return out;
}
