import { CardvaultError } from '../errors/cardvault-error';

/**
 * Throws `invalid_argument` unless `value` is a string. The card helpers never throw on strings
 * (whatever the customer types is a string), so a non-string can only be a merchant's or our own
 * programming error, and failing loudly beats silently reporting "invalid card".
 *
 * The message names the parameter, never the value: the value might be card data.
 *
 * @example
 * assertString(input.value, 'value'); // ok
 * assertString(4242, 'value');        // throws CardvaultError('invalid_argument')
 */
export function assertString(value: unknown, param: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new CardvaultError('invalid_argument', {
      param,
      message: `Expected \`${param}\` to be a string, got ${describeType(value)}.`,
    });
  }
}

/** Builds the `invalid_argument` error for a value of the right type but an unusable shape. */
export function invalidArgument(param: string, expected: string): CardvaultError {
  return new CardvaultError('invalid_argument', { param, message: `Expected \`${param}\` to be ${expected}.` });
}

/** The type of a value for an error message; never the value itself (it may be card data). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
