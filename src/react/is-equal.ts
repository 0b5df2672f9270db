/** Deep equality of option values (plain objects, arrays, primitives): what counts as a change. */
export function isEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && isEqual(ra[k], rb[k]));
}

/**
 * The keys of `next` whose values differ from `prev`, or `null` when none do. A key left out of
 * `next` is not a change: `update()` merges, so the element keeps its last value for it.
 */
export function changedOptions(prev: object | undefined, next: object | undefined): Record<string, unknown> | null {
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(next ?? {})) {
    if (!isEqual(v, (prev as Record<string, unknown> | undefined)?.[k])) (out ??= {})[k] = v;
  }
  return out;
}
