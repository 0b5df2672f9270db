/**
 * Sibling gathering, the trust boundary of Elements: card data moves only among frames of our
 * origin, never through the host page. Each frame publishes its field on its own window under a
 * fixed, non-enumerable name; only same-origin script can read another window's properties (a
 * cross-origin access throws), so the merchant page and its scripts cannot reach it.
 */
import type { ElementType } from '../protocol/messages';
import type { CardBrand } from '../types';
import type { FieldName, FieldValues } from './field-rules';

export const REGISTRY_KEY = '__cardvault_field__';

/** What a frame exposes to the other frames of its group. */
export interface FieldEntry {
  readonly group: string;
  readonly type: ElementType;
  /** Field names this frame owns. */
  readonly names: readonly FieldName[];
  read(): FieldValues;
  /** The credential binding (src/frame/binding.ts), or null while unbound. */
  binding(): string | null;
  /** Binds an unbound entry (first tokenization of a client-token-function group). */
  bind(binding: string): void;
  brand(): CardBrand | null;
  showErrors(names: readonly FieldName[]): void;
  /** Characters typed into the previous split field after it finished (card-form.ts `take`). */
  take(text: string): void;
  /** Focuses this frame's (first) input, for the previous split field finishing; true when it has focus. */
  focus(): boolean;
}

/** Publishes this frame's entry: read-only, non-enumerable, not reconfigurable. */
export function publishField(win: Window, entry: FieldEntry): void {
  Object.defineProperty(win, REGISTRY_KEY, { value: Object.freeze(entry), enumerable: false, writable: false, configurable: false });
}

/**
 * The entries of the other frames of `group` under the same parent. Cross-origin frames (the
 * merchant's own, a foreign one) throw on access and are skipped; only a frame whose origin equals
 * ours is read at all.
 */
export function findSiblings(win: Window, group: string): FieldEntry[] {
  const out: FieldEntry[] = [];
  // An opaque origin ("null") matches nothing, not every other opaque frame.
  if (win.location.origin === 'null') return out;
  const frames = win.parent.frames;
  for (let i = 0; i < frames.length; i++) {
    try {
      const f = frames[i] as (Window & { [REGISTRY_KEY]?: FieldEntry }) | undefined;
      if (!f || f === win || f.location.origin !== win.location.origin) continue;
      const entry = f[REGISTRY_KEY];
      if (entry && entry.group === group) out.push(entry);
    } catch {
      // Cross-origin: not one of ours.
    }
  }
  return out;
}
