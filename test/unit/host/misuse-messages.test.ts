// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://merchant.test/checkout"}
/**
 * Every misuse error says how to fix it: it names the argument, what it got and what is allowed (or
 * the call to make), and never repeats a value that could be card data.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CardvaultError, isCardvaultError } from '../../../src/errors';
import { createInstance } from '../../../src/host/cardvault';
import { FRAME_ORIGIN } from './fake-frame';

const cv = () => createInstance('pk_test_abcdefghijklmnopqrstuvwx', { frameOrigin: FRAME_ORIGIN, apiBase: 'https://api.cardvault.test' });

function thrown(fn: () => unknown): CardvaultError {
  try {
    fn();
  } catch (e) {
    expect(isCardvaultError(e)).toBe(true);
    return e as CardvaultError;
  }
  throw new Error('expected a throw');
}
async function rejected(p: Promise<unknown>): Promise<CardvaultError> {
  const e = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (x: unknown) => x,
  );
  expect(isCardvaultError(e)).toBe(true);
  return e as CardvaultError;
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('misuse errors say how to fix them', () => {
  it('mount_target_missing names the selector', () => {
    const e = thrown(() => cv().elements().create('card').mount('#card-element'));
    expect(e.code).toBe('mount_target_missing');
    expect(e.message).toContain('"#card-element"');
    const detached = thrown(() => cv().elements().create('card').mount(document.createElement('div')));
    expect(detached.message).toMatch(/a selector or a connected element/);
  });

  it('element_exists tells a duplicate from mixing the combined card with split fields', () => {
    const combined = cv().elements();
    combined.create('card');
    const mixed = thrown(() => combined.create('cardNumber'));
    expect(mixed.code).toBe('element_exists');
    expect(mixed.message).toMatch(/card and split fields cannot be mixed in one group/);
    expect(mixed.message).toMatch(/create cardNumber in another elements\(\)/);
    const split = cv().elements();
    split.create('cardNumber');
    const duplicate = thrown(() => split.create('cardNumber'));
    expect(duplicate.code).toBe('element_exists');
    expect(duplicate.message).toMatch(/cardNumber exists in this group: use getElement\('cardNumber'\)/);
    expect(duplicate.message).not.toBe(mixed.message);
  });

  it('element_not_mounted says to call mount()', async () => {
    const cardvault = cv();
    const e = await rejected(cardvault.createToken(cardvault.elements().create('card')));
    expect(e.code).toBe('element_not_mounted');
    expect(e.message).toMatch(/mount\(/);
  });

  it.each<[string, () => unknown, string, RegExp]>([
    ['an unknown element type', () => cv().elements().create('cardholder' as never), 'type', /type must be one of card, cardNumber, cardExpiry, cardCvc, postalCode; got "cardholder"/],
    ['an unknown event', () => cv().elements().create('card').on('input' as never, () => {}), 'event', /event must be one of ready, change, focus, blur, escape, loaderror; got "input"/],
    ['a handler that is not a function', () => cv().elements().create('card').on('change', 'x' as never), 'handler', /handler must be a function; got "x"/],
    ['an unknown option', () => cv().elements().create('card', { colour: 'red' } as never), 'options.colour', /Unknown option options\.colour; allowed: style, placeholder, label, disabled, hidePostalCode, hideIcon, postalCode/],
    ['a boolean option of another type', () => cv().elements().create('card', { disabled: 'yes' } as never), 'options.disabled', /options\.disabled must be a boolean; got "yes"/],
    ['a postalCode option other than optional or required', () => cv().elements().create('card', { postalCode: 'maybe' } as never), 'options.postalCode', /options\.postalCode must be 'optional' or 'required'; got "maybe"/],
    ['options that are not an object', () => cv().elements().create('card', 'big' as never), 'options', /options must be an object; got "big"/],
    ['an unknown factory option', () => createInstance('pk_test_abcdefghijklmnopqrstuvwx', { colour: 1 } as never), 'colour', /allowed: apiBase, frameOrigin, locale, timeouts/],
  ])('invalid_argument for %s names the argument and the allowed values', (_, fn, param, message) => {
    const e = thrown(fn);
    expect(e.code).toBe('invalid_argument');
    expect(e.param).toBe(param);
    expect(e.message).toMatch(message);
  });

  it('createToken(notAnElement) says what to pass', async () => {
    const e = await rejected(cv().createToken({} as never));
    expect(e).toMatchObject({ code: 'invalid_argument', param: 'element' });
    expect(e.message).toMatch(/element must be an element from elements\(\)\.create\(\); got object/);
  });

  it('never repeats a value that could be card data', () => {
    const number = '4242424242424242';
    const messages = [
      thrown(() => cv().elements().create(number as never)).message,
      thrown(() => cv().elements().create('card').on(number as never, () => {})).message,
      thrown(() => cv().elements().create('card', { placeholder: number.repeat(20) })).message,
      thrown(() => cv().elements().create('card', { disabled: number } as never)).message,
    ];
    for (const m of messages) expect(m).not.toContain('4242');
  });
});
