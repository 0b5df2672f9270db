/**
 * Sanitises the host's `style` option before it reaches the frame's stylesheet.
 *
 * Threat: a merchant page (or any script on it) controls this object. CSS inside our frame could
 * exfiltrate what the customer types (resource loads keyed on content: `url()`, fonts with
 * `unicode-range`, attribute selectors) or break out of a declaration into arbitrary rules. So:
 * keys come from fixed allow-lists (properties, pseudo-classes, a media-query grammar), values from
 * an allow-listed character set and function set, and output is rebuilt from parsed parts, never
 * echoed. Pure: no DOM. Never throws; every refusal becomes a `rejected` entry that names the path
 * only (the value is never repeated back).
 */

/** State variants the host can style; the frame toggles `.cv-field--<variant>`. */
export type StyleVariant = 'base' | 'complete' | 'empty' | 'invalid';

/** Pseudo-classes and elements the host may style on the input. */
export type PseudoSelector =
  | ':hover'
  | ':focus'
  | ':focus-visible'
  | ':disabled'
  | '::placeholder'
  | '::selection'
  | ':-webkit-autofill';

/** Canonical (kebab-case) names of the allowed properties. `icon-color` is ours: the brand icon colour. */
export type StyleProperty =
  | 'color'
  | 'background-color'
  | 'font-family'
  | 'font-size'
  | 'font-style'
  | 'font-variant'
  | 'font-weight'
  | '-webkit-font-smoothing'
  | '-moz-osx-font-smoothing'
  | 'letter-spacing'
  | 'line-height'
  | 'text-align'
  | 'text-decoration'
  | 'text-shadow'
  | 'text-transform'
  | 'padding'
  | 'padding-top'
  | 'padding-right'
  | 'padding-bottom'
  | 'padding-left'
  | 'caret-color'
  | 'outline'
  | 'outline-color'
  | 'outline-offset'
  | 'outline-style'
  | 'outline-width'
  | 'opacity'
  | 'transition'
  | 'icon-color';

/** Property -> sanitised value. */
export type Declarations = Partial<Record<StyleProperty, string>>;

/** Declarations on the input plus per-pseudo declarations. */
export interface SanitisedRules {
  decls: Declarations;
  pseudos: Partial<Record<PseudoSelector, Declarations>>;
}

/** One variant: its rules plus media-query blocks (`query` is canonical, e.g. `(max-width:480px)`). */
export interface SanitisedVariant extends SanitisedRules {
  media: Array<SanitisedRules & { query: string }>;
}

/** The output of {@link sanitiseStyle}; only this shape ever reaches `buildStyleSheet`. */
export type SanitisedStyle = Partial<Record<StyleVariant, SanitisedVariant>>;

/** One refused entry: a dotted path (e.g. `base.:hover.backgroundImage`) and a short reason. */
export interface StyleRejection {
  path: string;
  reason: string;
}

const VARIANTS: readonly StyleVariant[] = ['base', 'complete', 'empty', 'invalid'];
const PSEUDOS = new Set<string>([':hover', ':focus', ':focus-visible', ':disabled', '::placeholder', '::selection', ':-webkit-autofill']);
const PROPERTIES = new Set<string>(
  'color background-color font-family font-size font-style font-variant font-weight -webkit-font-smoothing -moz-osx-font-smoothing letter-spacing line-height text-align text-decoration text-shadow text-transform padding padding-top padding-right padding-bottom padding-left caret-color outline outline-color outline-offset outline-style outline-width opacity transition icon-color'.split(' '),
);
const ALIASES: Record<string, string> = { 'font-smoothing': '-webkit-font-smoothing' };
/** Functions a value may call. Anything else (url, image-set, attr, var, env, expression, …) is refused. */
const FUNCTIONS = new Set('rgb rgba hsl hsla hwb lab lch oklab oklch color color-mix calc min max clamp cubic-bezier steps'.split(' '));
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_KEYS = 200;
const MAX_VALUE = 200;
/** Total keys visited across the whole object, so nested junk cannot make the frame do unbounded work. */
const MAX_WORK = 2000;
const MAX_REJECTED = 50;
const MAX_MEDIA = 10;
const TRANSITION_PROPS = new Set(['color', 'background-color', 'opacity']);

type Obj = Record<string, unknown>;

function isPlainObject(v: unknown): v is Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A key safe to print in a console warning; anything odd is not repeated. */
function safeKey(key: string): string {
  return /^[\w@:() .,-]{1,80}$/.test(key) ? key : '[key]';
}

/** camelCase or kebab-case -> canonical kebab name, or null if not allow-listed. */
export function canonicalProperty(key: string): StyleProperty | null {
  if (!/^-?[A-Za-z][A-Za-z-]{0,40}$/.test(key)) return null;
  let name = key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
  name = ALIASES[name] ?? name;
  return PROPERTIES.has(name) ? (name as StyleProperty) : null;
}

/**
 * Returns the reason a value is refused, or null if it is safe to place after `prop:`.
 * @example checkValue('color', 'red; background: url(x)') // 'forbidden character'
 */
export function checkValue(prop: StyleProperty, value: string): string | null {
  if (value.length > MAX_VALUE) return 'value too long';
  // Control, format (zero-width, bidi), surrogate, private-use and line-break characters: none are
  // needed in CSS values and each can confuse a parser or a reviewer.
  if (/[\p{C}\p{Zl}\p{Zp}]|[^\S ]/u.test(value)) return 'control character';
  // Comment delimiters, even with spaces inside (`/ *`): `ur/**/l(` hides `url(`, and an
  // unterminated comment swallows the rest of the stylesheet.
  if (/\/ *\*|\* *\//.test(value)) return 'comment';
  // No `;{}\<>@!:` and so on: nothing can end the declaration or start a rule or an at-rule.
  if (!/^[\p{L}\p{N} #%()+\-*/,.'"_]*$/u.test(value)) return 'forbidden character';
  // Every `(` must directly follow an allowed function name, which also refuses `url(`, `var(`,
  // `image-set(` and so on written with spaces (`u r l (`: the name before `(` is "l").
  for (const m of value.toLowerCase().matchAll(/([\w-]*)\(/g)) if (!FUNCTIONS.has(m[1] ?? '')) return 'forbidden function';
  // Unbalanced parentheses or quotes would swallow the rest of the stylesheet into one token.
  let depth = 0;
  for (const c of value) {
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (depth < 0) break;
  }
  if (depth !== 0) return 'unbalanced parentheses';
  if (/["']/.test(value.replace(/"[^"']*"|'[^"']*'/g, ''))) return 'unbalanced quotes';
  if (!value.trim()) return 'empty value';
  if (prop === 'transition') {
    // Only colour/opacity transitions: animating layout or `all` could be used for timing side channels.
    const ok = value.split(/,(?![^(]*\))/).every((item) => {
      const [p, ...rest] = item.trim().split(/\s+(?![^(]*\))/);
      return (
        TRANSITION_PROPS.has(p ?? '') &&
        rest.every((w) => /^(\d*\.?\d+m?s|ease(-in|-out|-in-out)?|linear|step-(start|end)|(cubic-bezier|steps)\([^()]*\))$/.test(w))
      );
    });
    if (!ok) return 'transition not allowed';
  }
  return null;
}

/** `@media …` key -> canonical condition such as `(max-width:480px) and (orientation:portrait)`, or null. */
export function parseMediaQuery(key: string): string | null {
  // Printable ASCII and plain spaces only: no tabs, newlines or look-alikes anywhere in the key.
  const m = key.length <= MAX_VALUE ? /^@media +([ -~]+)$/i.exec(key) : null;
  if (!m?.[1]) return null;
  const out: string[] = [];
  for (const part of m[1].toLowerCase().split(/ +and +/)) {
    const f = /^\( *([a-z-]+) *: *([a-z0-9.-]+) *\) *$/.exec(part);
    if (!f?.[1] || !f[2]) return null;
    const [, name, val] = f;
    const ok =
      /^(min-|max-)?(width|height)$/.test(name) ? /^\d{1,5}(\.\d{1,3})?(px|em|rem)$/.test(val)
      : /^(min-|max-)?resolution$/.test(name) ? /^\d{1,4}(\.\d{1,3})?(dpi|dpcm|dppx|x)$/.test(val)
      : name === 'prefers-color-scheme' ? /^(light|dark)$/.test(val)
      : name === 'prefers-reduced-motion' ? /^(reduce|no-preference)$/.test(val)
      : name === 'orientation' ? /^(portrait|landscape)$/.test(val)
      : false;
    if (!ok) return null;
    out.push(`(${name}:${val})`);
  }
  return out.join(' and ');
}

/**
 * Sanitises the host's `style` option. Never throws; refused entries are listed in `rejected`.
 * @example
 * sanitiseStyle({ base: { color: '#32325d', ':hover': { color: 'navy' } }, invalid: { color: 'red' } })
 * // { style: { base: { decls: { color: '#32325d' }, pseudos: { ':hover': { color: 'navy' } }, media: [] }, … }, rejected: [] }
 */
export function sanitiseStyle(input: unknown): { style: SanitisedStyle; rejected: StyleRejection[] } {
  const style: SanitisedStyle = {};
  const rejected: StyleRejection[] = [];
  let work = 0;
  const reject = (path: string, reason: string): void => {
    if (rejected.length < MAX_REJECTED) rejected.push({ path, reason });
    else if (rejected.length === MAX_REJECTED) rejected.push({ path: 'style', reason: 'too many rejected entries' });
  };
  /** Own keys of a plain object, or null (with a rejection) if it is not one or is too big. */
  const keysOf = (v: unknown, path: string): string[] | null => {
    if (!isPlainObject(v)) return reject(path, 'expected a plain object'), null;
    const keys = Object.keys(v);
    if (keys.length > MAX_KEYS) return reject(path, 'too many keys'), null;
    if ((work += keys.length) > MAX_WORK) return reject(path, 'style too large'), null;
    return keys;
  };
  const readRules = (obj: Obj, keys: string[], path: string, rules: SanitisedRules, inPseudo: boolean, media?: SanitisedVariant['media']): void => {
    for (const key of keys) {
      const p = `${path}.${safeKey(key)}`;
      if (FORBIDDEN_KEYS.has(key)) {
        reject(p, 'forbidden key');
        continue;
      }
      const value = obj[key];
      if (key.startsWith(':')) {
        if (inPseudo || !PSEUDOS.has(key)) {
          reject(p, 'unsupported selector');
          continue;
        }
        const sub = keysOf(value, p);
        if (!sub) continue;
        const nested: SanitisedRules = { decls: {}, pseudos: {} };
        readRules(value as Obj, sub, p, nested, true);
        rules.pseudos[key as PseudoSelector] = nested.decls;
      } else if (key.startsWith('@')) {
        const query = media ? parseMediaQuery(key) : null;
        if (!media || !query) reject(p, 'unsupported media query');
        else if (media.length >= MAX_MEDIA) reject(p, 'too many media queries');
        else {
          const sub = keysOf(value, p);
          if (!sub) continue;
          const block = { query, decls: {}, pseudos: {} };
          readRules(value as Obj, sub, p, block, false);
          media.push(block);
        }
      } else {
        const prop = canonicalProperty(key);
        if (!prop) reject(p, 'property not allowed');
        else if (prop === 'icon-color' && inPseudo) reject(p, 'iconColor in a pseudo-class');
        else if (typeof value === 'number' ? !Number.isFinite(value) : typeof value !== 'string') reject(p, 'expected a string');
        else {
          // Checked before trimming: trim() would silently drop line separators and other oddities.
          const reason = checkValue(prop, String(value));
          if (reason) reject(p, reason);
          else rules.decls[prop] = String(value).trim();
        }
      }
    }
  };

  try {
    if (input === undefined) return { style, rejected };
    const top = keysOf(input, 'style');
    if (!top) return { style, rejected };
    for (const key of top) {
      const v = VARIANTS.find((x) => x === key);
      if (!v) {
        reject(`style.${safeKey(key)}`, 'unknown variant');
        continue;
      }
      const obj = (input as Obj)[key];
      const keys = keysOf(obj, `style.${v}`);
      if (!keys) continue;
      const variant: SanitisedVariant = { decls: {}, pseudos: {}, media: [] };
      readRules(obj as Obj, keys, `style.${v}`, variant, false, variant.media);
      style[v] = variant;
    }
  } catch {
    // A getter or Proxy on the host's object threw: drop everything rather than half-apply.
    return { style: {}, rejected: [...rejected, { path: 'style', reason: 'style could not be read' }] };
  }
  return { style, rejected };
}
