// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { sanitiseStyle } from '../../../src/frame/style-sanitiser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildStyleSheet } from '../../../src/frame/style-sheet';

/** src/frame/card.css without comments, as scripts/build.mjs ships it. */
const BASE_CSS = readFileSync(join(process.cwd(), 'src', 'frame', 'card.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

const TYPICAL = {
  base: {
    color: '#32325d',
    fontFamily: '"Inter", -apple-system, sans-serif',
    fontSize: '16px',
    fontSmoothing: 'antialiased',
    iconColor: '#8898aa',
    '::placeholder': { color: '#aab7c4' },
    ':focus': { color: '#1a1a2e' },
    ':-webkit-autofill': { color: '#000', backgroundColor: '#fffbe6' },
    '@media (max-width: 480px)': { fontSize: '18px', '::placeholder': { color: '#8892a0' } },
  },
  complete: { color: '#1a7f37' },
  empty: { ':hover': { color: '#555' } },
  invalid: { color: '#e25950', iconColor: '#e25950', transition: 'color .15s ease-out' },
};

describe('buildStyleSheet', () => {
  it('builds the typical style', () => {
    const { style, rejected } = sanitiseStyle(TYPICAL);
    expect(rejected).toEqual([]);
    expect(buildStyleSheet(style)).toMatchInlineSnapshot(`
      ".cv-input{color:#32325d;font-family:"Inter", -apple-system, sans-serif;font-size:16px;-webkit-font-smoothing:antialiased}
      .cv-brand{color:#8898aa}
      .cv-input::placeholder{color:#aab7c4}
      .cv-input:focus{color:#1a1a2e}
      .cv-input:-webkit-autofill{color:#000;background-color:#fffbe6;-webkit-text-fill-color:#000;box-shadow:0 0 0 1000px #fffbe6 inset}
      .cv-field--empty .cv-input:hover{color:#555}
      .cv-field--complete .cv-input{color:#1a7f37}
      .cv-input[aria-invalid=true]{color:#e25950;transition:color .15s ease-out}
      .cv-field .cv-brand--invalid{color:#e25950}
      @media (max-width:480px){.cv-input{font-size:18px}.cv-input::placeholder{color:#8892a0}}"
    `);
  });

  it('styles `invalid` per input (aria-invalid), so one invalid sub-field leaves its neighbours alone', () => {
    const css = buildStyleSheet(sanitiseStyle({ invalid: { color: 'red', iconColor: 'red', '::placeholder': { color: 'pink' } } }).style);
    expect(css).toBe('.cv-input[aria-invalid=true]{color:red}\n.cv-field .cv-brand--invalid{color:red}\n.cv-input[aria-invalid=true]::placeholder{color:pink}');
    expect(css).not.toContain('.cv-field--invalid');
  });

  it('lets the host restyle or drop the fallback focus ring', () => {
    const css = buildStyleSheet(sanitiseStyle({ base: { ':focus-visible': { outline: 'none' } } }).style);
    expect(css).toBe('.cv-input:focus-visible{outline:none}');
  });

  it('returns an empty string for no style', () => {
    expect(buildStyleSheet({})).toBe('');
    expect(buildStyleSheet(sanitiseStyle({ base: { ':hover': {} } }).style)).toBe('');
  });

  it('adds the autofill overrides only from the given colours', () => {
    const css = buildStyleSheet(sanitiseStyle({ base: { ':-webkit-autofill': { color: 'red' } } }).style);
    expect(css).toBe('.cv-input:-webkit-autofill{color:red;-webkit-text-fill-color:red}');
  });

  it('parses as CSS (constructed stylesheet)', () => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`${BASE_CSS}\n${buildStyleSheet(sanitiseStyle(TYPICAL).style)}`);
    const selectors = Array.from(sheet.cssRules, (r) => (r as CSSStyleRule).selectorText ?? (r as CSSMediaRule).conditionText);
    expect(selectors).toContain('.cv-field .cv-brand--invalid');
    expect(selectors.some((x) => /^\.cv-input\[aria-invalid="?true"?\]$/.test(x ?? ''))).toBe(true);
    expect(selectors).toContain('(max-width:480px)');
  });
});

describe('card.css (the default look)', () => {
  it('sets the defaults the frame relies on', () => {
    expect(BASE_CSS).toContain('font-size:16px');
    expect(BASE_CSS).toMatch(/system-ui/);
    expect(BASE_CSS).toMatch(/\.cv-input\{[^}]*background:transparent[^}]*border:0|\.cv-input\{[^}]*border:0[^}]*background:transparent/);
    expect(BASE_CSS).toMatch(/\.cv-input:focus-visible\{outline:2px solid/);
    expect(BASE_CSS).toMatch(/\.cv-error\{[^}]*clip-path:inset\(50%\)/);
    expect(BASE_CSS).not.toMatch(/\.cv-error\{[^}]*display:none/);
    expect(BASE_CSS).toMatch(/\.cv-brand\{/);
    // The combined row wraps rather than shrink the number below a whole 19-digit number.
    expect(BASE_CSS).toMatch(/\.cv-field--card\{flex-wrap:wrap/);
    expect(BASE_CSS).toMatch(/\.cv-input--number\{flex:9 0 calc\(21ch \+ 2px\);max-width:100%\}/);
    // CSP-safe: nothing that loads a resource.
    expect(BASE_CSS).not.toMatch(/url\(|@import/);
  });
});
