// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCardForm, type FormEvents } from '../../../src/frame/card-form';
import type { ElementType, FrameOptions } from '../../../src/protocol/messages';
import { backspace, caretAt, pasteText, typeText } from './helpers';

function setup(type: ElementType = 'card', options: FrameOptions = {}) {
  const events = { change: vi.fn(), focus: vi.fn(), blur: vi.fn(), escape: vi.fn(), advance: vi.fn() } satisfies FormEvents;
  const form = createCardForm(document, type, 'en', options, events);
  const input = (css: string) => document.querySelector<HTMLInputElement>(`.cv-input--${css}`)!;
  const lastChange = () => events.change.mock.calls.at(-1)?.[0];
  return { form, events, input, lastChange, field: document.querySelector<HTMLElement>('.cv-field')! };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('inputs', () => {
  it('carry autofill, keyboard and accessibility attributes, and no pattern', () => {
    const { input } = setup('card');
    const want = { number: 'cc-number', expiry: 'cc-exp', cvc: 'cc-csc', postal: 'postal-code' };
    for (const [css, ac] of Object.entries(want)) {
      const el = input(css);
      expect(el.type).toBe('text');
      expect(el.getAttribute('autocomplete')).toBe(ac);
      expect(el.getAttribute('inputmode')).toBe(css === 'postal' ? null : 'numeric');
      expect(el.getAttribute('spellcheck')).toBe('false');
      expect(el.getAttribute('autocorrect')).toBe('off');
      expect(el.getAttribute('aria-label')).toBeTruthy();
      expect(el.getAttribute('aria-invalid')).toBe('false');
      expect(el.getAttribute('aria-describedby')).toBe('cv-error');
      expect(el.hasAttribute('pattern')).toBe(false);
      expect(el.hasAttribute('style')).toBe(false);
    }
    expect(document.getElementById('cv-error')!.getAttribute('aria-live')).toBe('polite');
    expect(document.querySelector('.cv-brand svg')).not.toBeNull();
  });

  it('uses the label and placeholder options on split fields', () => {
    const { input } = setup('cardNumber', { label: 'Card', placeholder: 'Your card' });
    expect(input('number').getAttribute('aria-label')).toBe('Card');
    expect(input('number').placeholder).toBe('Your card');
  });

  it('leaves out the postal code when hidden', () => {
    const { input } = setup('card', { hidePostalCode: true });
    expect(input('postal')).toBeNull();
  });
});

describe('formatting', () => {
  it('formats a number as typed with the caret at the end', () => {
    const { input } = setup('cardNumber');
    const el = input('number');
    typeText(el, '4242424242424242');
    expect(el.value).toBe('4242 4242 4242 4242');
    expect(el.selectionStart).toBe(19);
  });

  it('formats American Express 4-6-5', () => {
    const { input } = setup('cardNumber');
    typeText(input('number'), '378282246310005');
    expect(input('number').value).toBe('3782 822463 10005');
  });

  it('keeps the caret in place when typing in the middle', () => {
    const { input } = setup('cardNumber');
    const el = input('number');
    typeText(el, '42424242');
    caretAt(el, 2);
    typeText(el, '1');
    expect(el.value).toBe('4214 2424 2');
    expect(el.selectionStart).toBe(3);
    caretAt(el, 4); // "4214|"
    typeText(el, '9');
    expect(el.value).toBe('4214 9242 42');
    expect(el.selectionStart).toBe(6);
  });

  it('deletes the digit before a space when Backspace hits the space', () => {
    const { input } = setup('cardNumber');
    const el = input('number');
    typeText(el, '42424');
    expect(el.value).toBe('4242 4');
    caretAt(el, 5); // after the space
    backspace(el);
    expect(el.value).toBe('4244');
    expect(el.selectionStart).toBe(3);
  });

  it('keeps the caret after a deletion in the middle', () => {
    const { input } = setup('cardNumber');
    const el = input('number');
    typeText(el, '4242424242');
    caretAt(el, 7); // "4242 42|42 42"
    backspace(el);
    expect(el.value).toBe('4242 4424 2');
    expect(el.selectionStart).toBe(6);
  });

  it('formats the expiry and lets Backspace past the separator', () => {
    const { input } = setup('cardExpiry');
    const el = input('expiry');
    typeText(el, '2');
    expect(el.value).toBe('02 / ');
    typeText(el, '30');
    expect(el.value).toBe('02 / 30');
    backspace(el);
    backspace(el);
    // The caret lands after the last digit, so the next Backspace deletes a digit, not the " / ".
    expect(el.value).toBe('02 / ');
    expect(el.selectionStart).toBe(2);
    backspace(el);
    expect(el.value).toBe('0');
    // From the end of "12 / " a Backspace removes the separator.
    el.value = '';
    typeText(el, '12');
    expect(el.value).toBe('12 / ');
    backspace(el);
    expect(el.value).toBe('12');
  });

  it('cleans pasted numbers', () => {
    const { input } = setup('card');
    pasteText(input('number'), ' 4242-4242.4242 4242 ');
    expect(input('number').value).toBe('4242 4242 4242 4242');
    pasteText(input('expiry'), '12/2030');
    expect(input('expiry').value).toBe('12 / 2030');
    pasteText(input('cvc'), ' 1-2.3 ');
    expect(input('cvc').value).toBe('123');
  });

  it('caps the number and CVC at the brand length', () => {
    const { input } = setup('card');
    pasteText(input('number'), '3782822463100051234');
    expect(input('number').value).toBe('3782 822463 10005');
    pasteText(input('cvc'), '12345');
    expect(input('cvc').value).toBe('1234');
  });
});

describe('change events', () => {
  it('never carry the value', () => {
    const { input, events } = setup('card');
    typeText(input('number'), '4242424242424242');
    typeText(input('expiry'), '1234');
    typeText(input('cvc'), '987');
    typeText(input('postal'), '94107');
    input('postal').blur();
    const sent = JSON.stringify(events.change.mock.calls);
    for (const secret of ['4242', '424242', '1234', '12 / 34', '987', '94107']) expect(sent).not.toContain(secret);
    expect(events.change.mock.calls.at(-1)?.[0]).toEqual({ empty: false, complete: true, brand: 'visa' });
  });

  it('report the brand and completeness', () => {
    const { input, lastChange } = setup('cardNumber');
    expect(lastChange()).toEqual({ empty: true, complete: false, brand: null });
    typeText(input('number'), '37');
    expect(lastChange()).toEqual({ empty: false, complete: false, brand: 'amex' });
    typeText(input('number'), '8282246310005');
    expect(lastChange()).toEqual({ empty: false, complete: true, brand: 'amex' });
  });
});

describe('error timing', () => {
  it('does not show an incomplete number while typing, only after blur', () => {
    const { input, lastChange, field } = setup('cardNumber');
    const el = input('number');
    typeText(el, '42424242');
    expect(lastChange()?.error).toBeUndefined();
    expect(el.getAttribute('aria-invalid')).toBe('false');
    el.blur();
    expect(lastChange()?.error).toEqual({ code: 'incomplete_number', message: 'Your card number is incomplete.' });
    expect(el.getAttribute('aria-invalid')).toBe('true');
    // Invalid is per input (aria-invalid); the field as a whole has no invalid state to style.
    expect(field.classList.contains('cv-field--invalid')).toBe(false);
    expect(document.getElementById('cv-error')!.textContent).toBe('Your card number is incomplete.');
    // Typing again hides it until the next blur.
    typeText(el, '4');
    expect(lastChange()?.error).toBeUndefined();
  });

  it('shows an impossible value at once', () => {
    const { input, lastChange } = setup('cardNumber');
    typeText(input('number'), '1');
    expect(lastChange()?.error?.code).toBe('invalid_number');
  });

  it('shows a complete-length number failing Luhn at once', () => {
    const { input, lastChange } = setup('cardNumber');
    typeText(input('number'), '378282246310006');
    expect(lastChange()?.error?.code).toBe('invalid_number');
  });

  it('reports a Luhn failure at an allowed length as invalid after blur', () => {
    const { input, lastChange } = setup('cardNumber');
    typeText(input('number'), '4242424242424241');
    expect(lastChange()?.error).toBeUndefined();
    input('number').blur();
    expect(lastChange()?.error?.code).toBe('invalid_number');
  });

  it('says an expiry is in the past after blur', () => {
    const { input, lastChange } = setup('cardExpiry');
    typeText(input('expiry'), '0120');
    expect(lastChange()?.error).toBeUndefined();
    input('expiry').blur();
    expect(lastChange()?.error?.code).toBe('expiry_in_past');
  });

  it('does not flag an empty field on blur, but does when tokenize asks', () => {
    const { input, lastChange, form } = setup('cardCvc');
    input('cvc').focus();
    input('cvc').blur();
    expect(lastChange()?.error).toBeUndefined();
    form.showErrors(['cvc']);
    expect(lastChange()?.error?.code).toBe('incomplete_cvc');
  });

  it('uses the locale for messages', () => {
    const events = { change: vi.fn(), focus: vi.fn(), blur: vi.fn(), escape: vi.fn(), advance: vi.fn() };
    createCardForm(document, 'cardNumber', 'de', {}, events);
    typeText(document.querySelector<HTMLInputElement>('.cv-input')!, '1');
    expect(events.change.mock.calls.at(-1)?.[0].error.message).toBe('Die Kartennummer ist ungültig.');
  });
});

describe('focus and keys', () => {
  it('auto-advances number -> expiry -> cvc -> postal in the combined field', () => {
    const { input, events } = setup('card');
    typeText(input('number'), '4242424242424242');
    expect(document.activeElement).toBe(input('expiry'));
    typeText(input('expiry'), '1234');
    expect(document.activeElement).toBe(input('cvc'));
    typeText(input('cvc'), '123');
    expect(document.activeElement).toBe(input('postal'));
    expect(events.advance).not.toHaveBeenCalled();
  });

  it('waits for a fourth CVC digit on American Express', () => {
    const { input } = setup('card');
    typeText(input('number'), '378282246310005');
    typeText(input('expiry'), '1234');
    typeText(input('cvc'), '123');
    expect(document.activeElement).toBe(input('cvc'));
    typeText(input('cvc'), '4');
    expect(document.activeElement).toBe(input('postal'));
  });

  it('does not advance on a 13-digit Visa that may still grow', () => {
    const { input } = setup('card');
    typeText(input('number'), '4222222222222');
    expect(document.activeElement).toBe(input('number'));
  });

  it('does not move focus under autofill', () => {
    const { input } = setup('card');
    const el = input('number');
    el.focus();
    el.value = '4242424242424242';
    el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertReplacementText' }));
    expect(el.value).toBe('4242 4242 4242 4242');
    expect(document.activeElement).toBe(el);
  });

  it('Backspace in an empty field goes back', () => {
    const { input } = setup('card');
    typeText(input('number'), '4242424242424242');
    input('expiry').dispatchEvent(new KeyboardEvent('keydown', { key: 'Backspace', bubbles: true }));
    expect(document.activeElement).toBe(input('number'));
  });

  it('split fields ask the host to advance', () => {
    const { input, events } = setup('cardExpiry');
    typeText(input('expiry'), '12');
    expect(events.advance).not.toHaveBeenCalled();
    typeText(input('expiry'), '34');
    expect(events.advance).toHaveBeenCalledTimes(1);
  });

  it('reports focus, blur and Escape once per frame, not per input', () => {
    const { input, events, field } = setup('card');
    input('number').focus();
    expect(field.classList.contains('cv-field--focus')).toBe(true);
    input('expiry').focus();
    expect(events.focus).toHaveBeenCalledTimes(1);
    expect(events.blur).not.toHaveBeenCalled();
    input('expiry').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(events.escape).toHaveBeenCalledTimes(1);
    input('expiry').blur();
    expect(events.blur).toHaveBeenCalledTimes(1);
  });

  it('clear, disabled and focus from the host', () => {
    const { input, form, lastChange } = setup('card');
    typeText(input('number'), '4242');
    form.clear();
    expect(input('number').value).toBe('');
    expect(lastChange()).toEqual({ empty: true, complete: false, brand: null });
    form.update({ disabled: true });
    expect(input('cvc').disabled).toBe(true);
    form.update({ disabled: false });
    form.focus();
    expect(document.activeElement).toBe(input('number'));
  });
});

describe('accessibility and right to left', () => {
  it('marks only the invalid sub-field of the combined card; the icon follows the number', () => {
    const { input } = setup('card');
    const icon = document.querySelector('.cv-brand')!;
    typeText(input('number'), '4242424242424242');
    typeText(input('expiry'), '00');
    expect(['number', 'expiry', 'cvc', 'postal'].map((f) => input(f).getAttribute('aria-invalid'))).toEqual(['false', 'true', 'false', 'false']);
    expect(icon.classList.contains('cv-brand--invalid')).toBe(false);
    input('number').value = '';
    typeText(input('number'), '1');
    expect(input('number').getAttribute('aria-invalid')).toBe('true');
    expect(icon.classList.contains('cv-brand--invalid')).toBe(true);
  });

  it('keeps card digits left to right; the postal code follows the document', () => {
    const { input } = setup('card');
    expect(['number', 'expiry', 'cvc', 'postal'].map((f) => input(f).getAttribute('dir'))).toEqual(['ltr', 'ltr', 'ltr', null]);
  });

  it('turns Arabic-Indic, Eastern Arabic-Indic and full-width digits into ASCII as they are typed', () => {
    const { input } = setup('card');
    typeText(input('number'), '٤٢٤٢۴۲۴۲４２４２4242');
    expect(input('number').value).toBe('4242 4242 4242 4242');
    typeText(input('expiry'), '١٢٣٤');
    expect(input('expiry').value).toBe('12 / 34');
    typeText(input('cvc'), '１２３');
    expect(input('cvc').value).toBe('123');
  });

  it('names itself after every input it shows, in its locale', () => {
    expect(setup('card').form.title).toBe('Secure payment field: Card number, Expiration date, Security code, and Postal code');
    document.body.replaceChildren();
    expect(setup('card', { hidePostalCode: true }).form.title).toBe('Secure payment field: Card number, Expiration date, and Security code');
    document.body.replaceChildren();
    const events = { change: vi.fn(), focus: vi.fn(), blur: vi.fn(), escape: vi.fn(), advance: vi.fn() };
    expect(createCardForm(document, 'cardCvc', 'ja', {}, events).title).toBe('安全な決済入力欄：セキュリティコード');
  });
});
