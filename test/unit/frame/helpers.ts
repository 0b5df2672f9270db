/** Shared helpers for the frame tests: simulated typing with a caret, in happy-dom. */

/** Types `text` at the caret, one input event per character (as a keyboard would). */
export function typeText(el: HTMLInputElement, text: string): void {
  el.focus();
  for (const ch of text) {
    const start = el.selectionStart ?? el.value.length;
    const end = el.selectionEnd ?? start;
    el.value = el.value.slice(0, start) + ch + el.value.slice(end);
    el.setSelectionRange(start + 1, start + 1);
    el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: ch }));
  }
}

/** Pastes `text` at the caret in one input event. */
export function pasteText(el: HTMLInputElement, text: string): void {
  el.focus();
  const start = el.selectionStart ?? el.value.length;
  const end = el.selectionEnd ?? start;
  el.value = el.value.slice(0, start) + text + el.value.slice(end);
  el.setSelectionRange(start + text.length, start + text.length);
  el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
}

/** Backspace at the caret (or over the selection). */
export function backspace(el: HTMLInputElement): void {
  el.focus();
  const start = el.selectionStart ?? el.value.length;
  const end = el.selectionEnd ?? start;
  const from = start === end ? Math.max(0, start - 1) : start;
  el.value = el.value.slice(0, from) + el.value.slice(end);
  el.setSelectionRange(from, from);
  el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'deleteContentBackward' }));
}

/** Puts the caret at `pos` with the input focused. */
export function caretAt(el: HTMLInputElement, pos: number): void {
  el.focus();
  el.setSelectionRange(pos, pos);
}
