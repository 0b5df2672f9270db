// @vitest-environment happy-dom
/**
 * The postal code: required by default, and then an empty one says so when the customer leaves a
 * card they have started (it used to keep Pay disabled with nothing said); optional when the
 * merchant says `postalCode: 'optional'`, and then an empty one completes the card and is not sent.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCardForm, type FormEvents } from '../../../src/frame/card-form';
import type { ElementType, FrameOptions } from '../../../src/protocol/messages';
import { typeText } from './helpers';

function setup(type: ElementType, options: FrameOptions = {}, peerStarted = () => false) {
  const events = { change: vi.fn(), focus: vi.fn(), blur: vi.fn(), escape: vi.fn(), advance: vi.fn() } satisfies FormEvents;
  const form = createCardForm(document, type, 'en', options, events, () => null, () => false, peerStarted);
  const input = (css: string) => document.querySelector<HTMLInputElement>(`.cv-input--${css}`)!;
  const lastChange = () => events.change.mock.calls.at(-1)?.[0];
  return { form, input, lastChange };
}

/** Fills number, expiry and CVC, then moves focus out of the frame from the postal code. */
function fillAndLeave(input: (css: string) => HTMLInputElement): void {
  typeText(input('number'), '4242424242424242');
  typeText(input('expiry'), '1234');
  typeText(input('cvc'), '123');
  input('postal').focus();
  input('postal').blur();
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('postal code', () => {
  it('left empty in a started card, says so in the customer\'s words', () => {
    const { input, lastChange } = setup('card');
    fillAndLeave(input);
    expect(lastChange()).toMatchObject({ complete: false, error: { code: 'incomplete_postal_code', message: 'Your postal code is incomplete.' } });
    expect(document.getElementById('cv-error')!.textContent).toBe('Your postal code is incomplete.');
    expect(input('postal').getAttribute('aria-invalid')).toBe('true');
  });

  it('says nothing when the customer leaves a card they have not started', () => {
    const { input, lastChange } = setup('card');
    input('number').focus();
    input('number').blur();
    expect(lastChange()?.error).toBeUndefined();
  });

  it('as a split field left empty, says so once another field of the group holds something', () => {
    const { input, lastChange } = setup('postalCode', {}, () => true);
    input('postal').focus();
    input('postal').blur();
    expect(lastChange()?.error?.code).toBe('incomplete_postal_code');
  });

  it("optional: an empty one completes the card and is not read for tokenizing; a bad one still errs", () => {
    const { input, lastChange, form } = setup('card', { postalCode: 'optional' });
    fillAndLeave(input);
    expect(lastChange()).toEqual({ empty: false, complete: true, brand: 'visa' });
    expect(Object.keys(form.read()).sort()).toEqual(['cvc', 'exp', 'number']);
    typeText(input('postal'), '12');
    input('postal').blur();
    expect(lastChange()?.error?.code).toBe('incomplete_postal_code');
    expect(form.read().postal_code).toBe('12');
  });
});
