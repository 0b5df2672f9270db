/**
 * Locks a frame that may have been taken over (decision 0009): a second `connect` means another
 * script on the page holds, or tried to take, this frame's port, and the frame can no longer tell
 * which port is the host's. So it stops serving both: the values go, every input is disabled, and
 * the live region says, in the frame's locale, that the field could not load securely.
 */
import { type CardForm, ERROR_ID } from './card-form';

/** Clears and disables the frame's inputs and shows `message` in its live region. */
export function lockFrame(doc: Document, form: CardForm, message: string): void {
  form.clear();
  for (const input of doc.querySelectorAll('input')) input.disabled = true;
  const region = doc.getElementById(ERROR_ID);
  if (region) region.textContent = message;
}
