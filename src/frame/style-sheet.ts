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

/**
 * The input and icon selectors of a variant. `empty` and `complete` are states of the whole field
 * (the frame toggles `.cv-field--<variant>`); `invalid` is per input, so one invalid sub-field of
 * the combined card does not turn its valid neighbours red; the icon follows the number.
 * Equal specificity across variants (ORDER decides), also with pseudo-classes appended.
 */
function selectorsOf(variant: StyleVariant): [input: string, icon: string] {
  if (variant === 'base') return ['.cv-input', '.cv-brand'];
  if (variant === 'invalid') return ['.cv-input[aria-invalid=true]', '.cv-field .cv-brand--invalid'];
  return [`.cv-field--${variant} .cv-input`, `.cv-field--${variant} .cv-brand`];
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

function rules([input, brand]: [string, string], r: SanitisedRules): string[] {
  const out = [rule(input, r.decls)];
  const icon = r.decls['icon-color'];
  if (icon) out.push(`${brand}{color:${icon}}`);
  for (const [pseudo, decls] of Object.entries(r.pseudos) as Array<[PseudoSelector, Declarations]>) {
    out.push(rule(`${input}${pseudo}`, pseudo === ':-webkit-autofill' ? autofill(decls) : decls));
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
    const selectors = selectorsOf(v);
    out.push(...rules(selectors, s));
    for (const m of s.media) {
      const inner = rules(selectors, m).filter(Boolean).join('');
      if (inner) media.push(`@media ${m.query}{${inner}}`);
    }
  }
  // Media blocks last so they override the unconditional rules they refine.
  return [...out, ...media].filter(Boolean).join('\n');
}
