/**
 * Turns a {@link SanitisedStyle} into CSS text for the frame's constructed stylesheet, which
 * follows the frame's default look (src/frame/card.css)
 * (`new CSSStyleSheet().replaceSync(text)` + `document.adoptedStyleSheets`): no inline `style`
 * attributes, no `<style>` elements, so the frame's CSP needs no `'unsafe-inline'`.
 *
 * Only sanitised input is accepted: every selector here is ours, every property name comes from the
 * sanitiser's allow-list and every value passed its checks.
 */
import type { Declarations, PseudoSelector, SanitisedRules, SanitisedStyle, StyleVariant } from './style-sanitiser';

// Later variants win at equal specificity: invalid must beat complete/empty.
const ORDER: readonly StyleVariant[] = ['base', 'empty', 'complete', 'invalid'];

/** Selector prefix of a variant: the frame toggles `.cv-field--<variant>` on the field. */
function prefixOf(variant: StyleVariant): string {
  return variant === 'base' ? '' : `.cv-field--${variant} `;
}

function rule(selector: string, decls: Declarations): string {
  const body = Object.entries(decls)
    .filter(([p]) => p !== 'icon-color')
    .map(([p, v]) => `${p}:${v}`)
    .join(';');
  return body ? `${selector}{${body}}` : '';
}

/** Autofill paints its own background; text fill colour and an inset shadow are the only overrides. */
function autofill(decls: Declarations): Declarations {
  const out: Record<string, string> = { ...decls };
  if (decls.color) out['-webkit-text-fill-color'] = decls.color;
  if (decls['background-color']) out['box-shadow'] = `0 0 0 1000px ${decls['background-color']} inset`;
  return out;
}

function rules(prefix: string, r: SanitisedRules): string[] {
  const out = [rule(`${prefix}.cv-input`, r.decls)];
  const icon = r.decls['icon-color'];
  if (icon) out.push(`${prefix}.cv-brand{color:${icon}}`);
  for (const [pseudo, decls] of Object.entries(r.pseudos) as Array<[PseudoSelector, Declarations]>) {
    out.push(rule(`${prefix}.cv-input${pseudo}`, pseudo === ':-webkit-autofill' ? autofill(decls) : decls));
  }
  return out;
}

/**
 * CSS text for the host's style, adopted after src/frame/card.css.
 * @example buildStyleSheet(sanitiseStyle({ base: { color: 'navy' } }).style) // '.cv-input{color:navy}'
 */
export function buildStyleSheet(style: SanitisedStyle): string {
  const out: string[] = [];
  const media: string[] = [];
  for (const v of ORDER) {
    const s = style[v];
    if (!s) continue;
    const prefix = prefixOf(v);
    out.push(...rules(prefix, s));
    for (const m of s.media) {
      const inner = rules(prefix, m).filter(Boolean).join('');
      if (inner) media.push(`@media ${m.query}{${inner}}`);
    }
  }
  // Media blocks last so they override the unconditional rules they refine.
  return [...out, ...media].filter(Boolean).join('\n');
}
