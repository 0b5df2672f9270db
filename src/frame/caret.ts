/**
 * Re-formatting an input while keeping the caret where the customer expects it: the caret stays
 * after the same number of significant characters (digits) it was after before formatting.
 */

/** How many characters of `text` match `significant`. */
export function countSignificant(text: string, significant: RegExp): number {
  let n = 0;
  for (const ch of text) if (significant.test(ch)) n++;
  return n;
}

/** The position right after the `count`-th significant character of `text` (0 for none). */
export function caretAfter(text: string, count: number, significant: RegExp): number {
  if (count <= 0) return 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) if (significant.test(text[i]!) && ++n === count) return i + 1;
  return text.length;
}

export interface Reformatted {
  value: string;
  caret: number;
}

/**
 * Formats `raw` (the input's value right after an edit, with the caret at `caret`).
 *
 * - Typing at the end keeps the caret at the end, so inserted separators ("12" -> "12 / ") are
 *   stepped over.
 * - A deletion that removed only a separator (the formatted text equals `previous`) removes the
 *   significant character next to it instead, so Backspace over "4242 |4" deletes the "2".
 *
 * @example reformat('42424', 5, '4242', 'insertText', f, /\d/) // { value: '4242 4', caret: 6 }
 */
export function reformat(
  raw: string,
  caret: number,
  previous: string,
  inputType: string,
  format: (value: string) => string,
  significant: RegExp,
  /** Apply the separator rule above (card numbers; an expiry's formatter handles its own). */
  skipSeparators = true,
): Reformatted {
  const deleting = inputType.startsWith('delete');
  let count = countSignificant(raw.slice(0, caret), significant);
  let value = format(raw);
  if (skipSeparators && deleting && value === previous && raw !== previous) {
    const forward = inputType === 'deleteContentForward';
    const i = forward ? count : count - 1;
    const chars = [...raw].filter((c) => significant.test(c));
    if (i >= 0 && i < chars.length) {
      chars.splice(i, 1);
      value = format(chars.join(''));
      if (!forward) count--;
    }
  }
  const atEnd = !deleting && caret >= raw.length;
  return { value, caret: atEnd ? value.length : caretAfter(value, count, significant) };
}
