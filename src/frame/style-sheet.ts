/**
 * Turns a {@link SanitisedStyle} into CSS text for the frame's constructed stylesheet
 * (`new CSSStyleSheet().replaceSync(text)` + `document.adoptedStyleSheets`): no inline `style`
 * attributes, no `<style>` elements, so the frame's CSP needs no `'unsafe-inline'`.
 *
 * Only sanitised input is accepted: every selector here is ours, every property name comes from the
 * sanitiser's allow-list and every value passed its checks.
 */
import type { Declarations, PseudoSelector, SanitisedRules, SanitisedStyle, StyleVariant } from './style-sanitiser';

/**
 * The frame's default look, applied before the host's style. Class names the frame markup uses:
 * `.cv-field` (+ `--card`, `--complete`, `--empty`, `--invalid`), `.cv-input` (+ `--number`,
 * `--expiry`, `--cvc`, `--postal`), `.cv-brand` (icon area, colours via `currentColor`) and
 * `.cv-error` (the live region).
 */
export const BASE_CSS = [
  'html,body{margin:0;padding:0;background:transparent;overflow:hidden}',
  // 16px: iOS Safari zooms into inputs with a smaller font size.
  'body{font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-text-size-adjust:100%}',
  '.cv-field{display:flex;flex-wrap:nowrap;align-items:center;gap:0 8px;min-width:0}',
  // The host draws the box (border, radius, shadow); the input itself is invisible chrome.
  '.cv-input{flex:1 1 auto;min-width:0;width:100%;box-sizing:border-box;margin:0;padding:0;border:0;border-radius:0;background:transparent;color:inherit;font:inherit;font-size:16px;line-height:1.4;-webkit-appearance:none;appearance:none;outline:0}',
  '.cv-input::placeholder{color:#6b7280;opacity:1}',
  // Fallback focus ring (inset so the iframe edge cannot clip it); the host normally also styles
  // its box from the focus event.
  '.cv-input:focus-visible{outline:2px solid Highlight;outline-offset:-2px}',
  // `hidden` must win over the display rules below (hideIcon, hidePostalCode).
  '[hidden]{display:none!important}',
  '.cv-brand{flex:0 0 auto;display:inline-flex;align-items:center;width:1.6em;height:1em;color:inherit}',
  '.cv-brand svg{width:100%;height:100%;fill:currentColor}',
  // Visually hidden but announced: clip, not display:none (which would silence the live region).
  '.cv-error{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}',
  // Combined card field: number grows; expiry, CVC and postal code keep fixed widths on one row.
  '.cv-field--card .cv-input{width:auto}',
  '.cv-field--card .cv-input--number{flex:1 1 10em}',
  '.cv-field--card .cv-input--expiry{flex:0 0 4.8em}',
  '.cv-field--card .cv-input--cvc{flex:0 0 3.6em}',
  '.cv-field--card .cv-input--postal{flex:0 0 6em}',
  // Narrow frames: the number takes its own row, the rest wrap below it.
  '@media (max-width:319.98px){.cv-field--card{flex-wrap:wrap}.cv-field--card .cv-input--number{flex-basis:100%}}',
].join('\n');

const PREFIX: Record<StyleVariant, string> = {
  base: '',
  empty: '.cv-field--empty ',
  complete: '.cv-field--complete ',
  invalid: '.cv-field--invalid ',
};
// Later variants win at equal specificity: invalid must beat complete/empty.
const ORDER: readonly StyleVariant[] = ['base', 'empty', 'complete', 'invalid'];

function rule(selector: string, decls: Declarations): string {
  const body = Object.entries(decls)
    .filter(([p]) => p !== 'icon-color')
    .map(([p, v]) => `${p}:${v}`)
    .join(';');
  return body ? `${selector}{${body}}` : '';
}

/** Autofill paints its own background; text fill colour and an inset shadow are the only overrides. */
function autofill(decls: Declarations): Declarations {
  const out: Declarations = { ...decls };
  const extra: Record<string, string> = {};
  if (decls.color) extra['-webkit-text-fill-color'] = decls.color;
  if (decls['background-color']) extra['box-shadow'] = `0 0 0 1000px ${decls['background-color']} inset`;
  return Object.assign(out, extra);
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
 * CSS text for the host's style, to be adopted after {@link BASE_CSS}.
 * @example buildStyleSheet(sanitiseStyle({ base: { color: 'navy' } }).style) // '.cv-input{color:navy}'
 */
export function buildStyleSheet(style: SanitisedStyle): string {
  const out: string[] = [];
  const media: string[] = [];
  for (const v of ORDER) {
    const s = style[v];
    if (!s) continue;
    out.push(...rules(PREFIX[v], s));
    for (const m of s.media) {
      const inner = rules(PREFIX[v], m).filter(Boolean).join('');
      if (inner) media.push(`@media ${m.query}{${inner}}`);
    }
  }
  // Media blocks last so they override the unconditional rules they refine.
  return [...out, ...media].filter(Boolean).join('\n');
}
