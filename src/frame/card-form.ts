/**
 * The inputs of one frame and their state: formatting with caret preservation, validation timing,
 * state classes, the live error region, auto-advance and the events the host hears about.
 * Nothing here ever puts a value into an event: `change` carries empty/complete/brand/error only.
 */
import { getBrandInfo, validateCardNumber } from '../card';
import type { ChangePayload, ElementType, FrameOptions } from '../protocol/messages';
import type { CardBrand } from '../types';
import { createBrandIcon } from './brand-icon';
import { reformat } from './caret';
import { checkField, type FieldCheck, type FieldName, type FieldValues, formatField, isFinished, SIGNIFICANT } from './field-rules';
import { cvcPlaceholderKey, type MessageKey, type SupportedLocale, t } from './locales';

/** What the form reports; the frame forwards these to the host on its port. */
export interface FormEvents {
  change(payload: ChangePayload): void;
  focus(): void;
  blur(): void;
  escape(): void;
  /** A split field is finished: the host moves focus to the next element. */
  advance(): void;
}

export interface CardForm {
  readonly names: readonly FieldName[];
  /** The frame's accessible name in its locale, naming every input shown (postal code included when shown). */
  readonly title: string;
  /** The values of this frame's fields (for the sibling registry only; never sent to the host). */
  read(): FieldValues;
  /** This frame's card brand (number fields), or null. */
  brand(): CardBrand | null;
  /** Shows the errors of these fields now, as tokenize found them. */
  showErrors(names: readonly FieldName[]): void;
  update(options: FrameOptions): void;
  focus(): void;
  blur(): void;
  clear(): void;
  /** Characters typed into the previous split field after it had finished: appended as if typed here. */
  take(text: string): void;
}

interface Field {
  name: FieldName;
  el: HTMLInputElement;
  /** The value as last formatted (to recognise a deletion that only removed a separator). */
  prev: string;
  /** 0 typing, 1 blurred (show errors of non-empty values), 2 forced by tokenize (show all). */
  shown: 0 | 1 | 2;
}

const TYPE_FIELDS: Record<ElementType, readonly FieldName[]> = {
  card: ['number', 'exp', 'cvc', 'postal_code'],
  cardNumber: ['number'],
  cardExpiry: ['exp'],
  cardCvc: ['cvc'],
  postalCode: ['postal_code'],
};
const KEY: Record<FieldName, 'number' | 'expiry' | 'cvc' | 'postal_code'> = { number: 'number', exp: 'expiry', cvc: 'cvc', postal_code: 'postal_code' };
const AUTOCOMPLETE: Record<FieldName, string> = { number: 'cc-number', exp: 'cc-exp', cvc: 'cc-csc', postal_code: 'postal-code' };
const INPUT_NAME: Record<FieldName, string> = { number: 'cardnumber', exp: 'exp-date', cvc: 'cvc', postal_code: 'postal' };
const CSS: Record<FieldName, string> = { number: 'number', exp: 'expiry', cvc: 'cvc', postal_code: 'postal' };
export const ERROR_ID = 'cv-error';

/**
 * Digits as ASCII: Arabic-Indic (U+0660-0669), Eastern Arabic-Indic (U+06F0-06F9) and full-width
 * (U+FF10-FF19, CJK IMEs) digits become 0-9, so an Arabic, Persian or Japanese keyboard types
 * a card number the formatter, the validator and the vault all read. The low four bits of each
 * of those code points are the digit's value.
 */
const asciiDigits = (v: string): string => v.replace(/[٠-٩۰-۹０-９]/g, (d) => String(d.charCodeAt(0) & 15));

/**
 * Builds the inputs for `type` into `doc.body`.
 * @param peerBrand for a split CVC frame: the brand of the number frame of the same group.
 */
export function createCardForm(
  doc: Document,
  type: ElementType,
  locale: SupportedLocale,
  initial: FrameOptions,
  events: FormEvents,
  peerBrand: () => CardBrand | null = () => null,
  /** For a split field: gives characters to the next field of the group; false when there is none. */
  handOn: (text: string) => boolean = () => false,
  /** For a split field: whether another field of the group holds something. */
  peerStarted: () => boolean = () => false,
): CardForm {
  let options: FrameOptions = {};
  const names = TYPE_FIELDS[type].filter((n) => !(n === 'postal_code' && type === 'card' && initial.hidePostalCode));
  const wrap = doc.createElement('div');
  wrap.className = `cv-field cv-field--${type === 'card' ? 'card' : CSS[names[0]!]}`;
  const error = doc.createElement('div');
  error.className = 'cv-error';
  error.id = ERROR_ID;
  // The live region: errors are announced when they appear, without moving focus.
  error.setAttribute('aria-live', 'polite');
  error.setAttribute('aria-atomic', 'true');
  const icon = type === 'card' || type === 'cardNumber' ? createBrandIcon(doc) : null;
  if (icon) wrap.append(icon.el);

  const fields: Field[] = names.map((name) => {
    const el = doc.createElement('input');
    el.className = `cv-input cv-input--${CSS[name]}`;
    el.id = `cv-${CSS[name]}`;
    el.type = 'text';
    el.name = INPUT_NAME[name];
    for (const [k, v] of [['autocomplete', AUTOCOMPLETE[name]], ['autocorrect', 'off'], ['autocapitalize', name === 'postal_code' ? 'characters' : 'off'], ['spellcheck', 'false'], ['aria-invalid', 'false'], ['aria-describedby', ERROR_ID]]) {
      el.setAttribute(k!, v!);
    }
    // No `pattern` attribute: screen readers announce a pattern mismatch as "invalid" mid-typing.
    if (name !== 'postal_code') {
      el.inputMode = 'numeric';
      // Card digits read left to right in every script, also in a right-to-left frame (where the
      // layout mirrors); the postal code follows the locale's direction.
      el.dir = 'ltr';
    }
    wrap.append(el);
    return { name, el, prev: '', shown: 0 };
  });
  doc.body.append(wrap, error);
  const labels = names.map((n) => t(locale, `label.${KEY[n]}`));
  const Lists = (Intl as { ListFormat?: new (l: string) => { format(items: string[]): string } }).ListFormat;
  const title = t(locale, 'title').replace('%', Lists ? new Lists(locale).format(labels) : labels.join(', '));

  const field = (name: FieldName): Field | undefined => fields.find((f) => f.name === name);
  const ownBrand = (): CardBrand | null => {
    const n = field('number');
    return n ? validateCardNumber(n.el.value).brand : null;
  };
  // A postal code the merchant made optional may stay empty: complete, and not read for tokenizing.
  const skipped = (f: Field): boolean => f.name === 'postal_code' && options.postalCode === 'optional' && !f.el.value.trim();
  const cvcBrand = (): CardBrand | null => (field('number') ? ownBrand() : peerBrand());
  const brandFor = (name: FieldName): CardBrand | null => (name === 'cvc' ? cvcBrand() : ownBrand());

  let last = '';
  let focused = false;

  const refresh = (): void => {
    const checks: FieldCheck[] = [];
    let shownError: FieldCheck['code'];
    for (const f of fields) {
      const c: FieldCheck = skipped(f) ? { empty: true, complete: true } : checkField(f.name, f.el.value, brandFor(f.name));
      checks.push(c);
      const visible = c.code && (c.now || (f.shown === 1 && !c.empty) || f.shown === 2);
      // Each input marks only itself (the host's `invalid` style follows aria-invalid, per input).
      f.el.setAttribute('aria-invalid', String(!!visible));
      if (visible && !shownError) shownError = c.code;
      if (f.name === 'number') icon?.el.classList.toggle('cv-brand--invalid', !!visible);
    }
    const empty = checks.every((c) => c.empty);
    const complete = checks.every((c) => c.complete);
    const cls = wrap.classList;
    cls.toggle('cv-field--empty', empty);
    cls.toggle('cv-field--complete', complete);
    cls.toggle('cv-field--focus', focused);
    const message = shownError ? t(locale, shownError) : '';
    if (error.textContent !== message) error.textContent = message;
    const brand = field('number') ? ownBrand() : null;
    icon?.set(brand);
    const cvc = field('cvc');
    if (cvc && !(options.placeholder && type !== 'card')) {
      const b = cvcBrand();
      cvc.el.placeholder = t(locale, cvcPlaceholderKey(b ? getBrandInfo(b).cvcName : undefined));
    }
    const payload: ChangePayload = { empty, complete, brand };
    if (shownError) payload.error = { code: shownError, message };
    // Only transitions are reported: the host hears nothing while digits are merely added.
    const key = JSON.stringify(payload);
    if (key !== last) {
      last = key;
      events.change(payload);
    }
  };

  const move = (from: Field, step: 1 | -1): boolean => {
    const next = fields[fields.indexOf(from) + step];
    if (!next) return false;
    next.el.focus();
    const end = next.el.value.length;
    next.el.setSelectionRange(end, end);
    return true;
  };

  // Set when this split field finished and asked the host to move focus on, until it loses focus:
  // keys that still arrive here were typed for the next field (the host's focus is on its way).
  let handing = false;
  const onInput = (f: Field, inputType: string): void => {
    const el = f.el;
    const brand = brandFor(f.name);
    // The caret index is the same before and after: each digit replaced is one UTF-16 unit.
    const r = reformat(asciiDigits(el.value), el.selectionStart ?? el.value.length, f.prev, inputType, (v) => formatField(f.name, v, brand), SIGNIFICANT[f.name], f.name === 'number');
    el.value = f.prev = r.value;
    if (doc.activeElement === el) el.setSelectionRange(r.caret, r.caret);
    // Typing hides a blur-time error until the next blur; impossible values show at once.
    f.shown = 0;
    refresh();
    // Typing and pasting move on; autofill (insertReplacementText or no type) fills every
    // field itself and must not have focus jump under it.
    if ((inputType === 'insertText' || inputType === 'insertFromPaste') && r.caret === r.value.length && checkField(f.name, r.value, brandFor(f.name)).complete && isFinished(f.name, r.value, brandFor(f.name))) {
      if (!move(f, 1) && type !== 'card') {
        handing = true;
        events.advance();
      }
    }
  };

  for (const f of fields) {
    f.el.addEventListener('input', (ev) => onInput(f, (ev as InputEvent).inputType ?? ''));
    f.el.addEventListener('beforeinput', (ev) => {
      // Typed at machine speed, the next field's characters reach this finished one before focus
      // moves: they go to the next field of the group (our origin and credential only, never the host).
      if (handing && ev.inputType === 'insertText' && ev.data && handOn(ev.data)) ev.preventDefault();
    });
    f.el.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') events.escape();
      // Backspace in an empty field of the combined card goes back to the previous field.
      else if (ev.key === 'Backspace' && f.el.value === '' && move(f, -1)) ev.preventDefault();
    });
    f.el.addEventListener('blur', () => {
      handing = false;
      if (f.shown === 0) f.shown = 1;
      refresh();
    });
  }

  wrap.addEventListener('focusin', () => {
    if (!focused) {
      focused = true;
      events.focus();
    }
    refresh();
  });
  wrap.addEventListener('focusout', (ev) => {
    // Moving between inputs of one frame is not a blur of the element.
    if (wrap.contains(ev.relatedTarget as Node | null)) return;
    focused = false;
    // Leaving a card the customer has started: empty fields say what they need too (an empty
    // postal code otherwise only kept Pay disabled, with nothing to say why).
    if (fields.some((f) => f.el.value) || peerStarted()) for (const f of fields) f.shown = 2;
    events.blur();
    refresh();
  });

  const text = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 200) : '');
  const update = (next: FrameOptions): void => {
    options = { ...options, ...next };
    const placeholder = text(options.placeholder);
    const label = text(options.label);
    for (const f of fields) {
      const key = KEY[f.name];
      const own = type !== 'card' || f.name === 'number';
      f.el.placeholder = (own && placeholder) || t(locale, `placeholder.${key}` as MessageKey);
      f.el.setAttribute('aria-label', (type !== 'card' && label) || t(locale, `label.${key}` as MessageKey));
      f.el.disabled = !!options.disabled;
    }
    if (type === 'card') {
      // The combined field is a group; the merchant's label (if any) names it, each input keeps its own.
      wrap.setAttribute('role', 'group');
      if (label) wrap.setAttribute('aria-label', label);
      else wrap.removeAttribute('aria-label');
    }
    if (icon) icon.el.hidden = !!options.hideIcon;
    refresh();
  };
  update(initial);

  return {
    names,
    title,
    read: () => Object.fromEntries(fields.filter((f) => !skipped(f)).map((f) => [f.name, f.el.value])) as FieldValues,
    brand: () => (field('number') ? ownBrand() : null),
    showErrors(list) {
      for (const f of fields) if (list.includes(f.name)) f.shown = 2;
      refresh();
    },
    update,
    focus: () => fields[0]!.el.focus(),
    blur: () => {
      const active = doc.activeElement as HTMLElement | null;
      if (active && wrap.contains(active)) active.blur();
    },
    clear() {
      for (const f of fields) {
        f.el.value = f.prev = '';
        f.shown = 0;
      }
      refresh();
    },
    take(text) {
      const f = fields[0]!;
      if (f.el.disabled || (handing && handOn(text))) return;
      f.el.value += text;
      onInput(f, 'insertText');
    },
  };
}
