// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { canonicalProperty, checkValue, parseMediaQuery, sanitiseStyle } from '../../../src/frame/style-sanitiser';
import { buildStyleSheet } from '../../../src/frame/style-sheet';
import { CSS_ATTACKS } from '../../fixtures/css-attacks';

describe('sanitiseStyle: CSS attacks', () => {
  it.each(CSS_ATTACKS)('refuses $name', ({ style, path, marker }) => {
    const { style: out, rejected } = sanitiseStyle(style);
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.some((r) => r.path.startsWith(path))).toBe(true);
    const css = buildStyleSheet(out);
    expect(css).toBe('');
    expect(css.toLowerCase()).not.toContain(marker);
    // The warning names the path only: hostile values are never echoed back.
    expect(JSON.stringify(rejected)).not.toMatch(/evil|alert|script/);
  });

  it('keeps the benign siblings of a refused entry', () => {
    const { style, rejected } = sanitiseStyle({ base: { color: 'red; x:y', backgroundColor: '#fff', behavior: 'x' } });
    expect(rejected.map((r) => r.path)).toEqual(['style.base.color', 'style.base.behavior']);
    expect(buildStyleSheet(style)).toBe('.cv-input{background-color:#fff}');
  });

  it('never pollutes prototypes', () => {
    for (const a of CSS_ATTACKS) sanitiseStyle(a.style);
    sanitiseStyle(JSON.parse('{"base":{"__proto__":{"polluted":"yes"}},"__proto__":{"polluted":"yes"}}'));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['color']).toBeUndefined();
  });

  it('never throws on objects that throw when read', () => {
    const trap = new Proxy({}, { ownKeys: () => { throw new Error('boom'); } });
    expect(sanitiseStyle({ base: trap }).rejected.at(-1)).toEqual({ path: 'style', reason: 'style could not be read' });
    const getter = { base: { get color(): string { throw new Error('boom'); } } };
    expect(sanitiseStyle(getter).style).toEqual({});
  });

  it('bounds the work and the number of rejected entries', () => {
    const junk = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`bad${i}`, 'x']));
    const { rejected } = sanitiseStyle({ base: junk, empty: junk, complete: junk, invalid: junk });
    expect(rejected.length).toBe(51);
    expect(rejected.at(-1)?.reason).toBe('too many rejected entries');
    const media = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`@media (max-width: ${i + 100}px)`, { color: 'red' }]));
    const r2 = sanitiseStyle({ base: media });
    expect(r2.style.base?.media).toHaveLength(10);
    expect(r2.rejected.map((r) => r.reason)).toEqual(['too many media queries']);
  });

  it('accepts undefined as "no style"', () => {
    expect(sanitiseStyle(undefined)).toEqual({ style: {}, rejected: [] });
  });
});

describe('sanitiseStyle: benign styles', () => {
  it.each([
    ['color', '#32325d'],
    ['color', '#FFF'],
    ['color', 'rgb(50, 50, 93)'],
    ['color', 'rgba(0,0,0,.5)'],
    ['color', 'rgb(0 0 0 / 50%)'],
    ['color', 'hsl(210 40% 50%)'],
    ['color', 'oklch(70% 0.1 200)'],
    ['color', 'rebeccapurple'],
    ['color', 'transparent'],
    ['caretColor', 'currentColor'],
    ['fontFamily', '"Inter", -apple-system, "Segoe UI", sans-serif'],
    ['fontFamily', "'Helvetica Neue', Arial"],
    ['fontSize', '16px'],
    ['fontSize', '1.125rem'],
    ['fontSize', 'clamp(14px, 2vw, 18px)'],
    ['lineHeight', 1.5],
    ['fontWeight', 600],
    ['letterSpacing', '-0.01em'],
    ['padding', '0 calc(1rem - 2px)'],
    ['textShadow', '0 1px 0 rgba(0,0,0,.2)'],
    ['textTransform', 'uppercase'],
    ['textDecoration', 'underline dotted'],
    ['opacity', '0.8'],
    ['transition', 'color 0.2s ease-in-out, background-color .2s cubic-bezier(0.4, 0, 0.2, 1)'],
    ['iconColor', '#c4f0ff'],
    // The frame's fallback focus ring is the merchant's to restyle, or to drop when their own box shows focus.
    ['outline', 'none'],
    ['outline', '2px solid rgb(37 99 235)'],
    ['outlineOffset', '-3px'],
    ['outlineColor', 'Highlight'],
  ])('keeps %s: %s', (prop, value) => {
    const { style, rejected } = sanitiseStyle({ base: { [prop]: value } });
    expect(rejected).toEqual([]);
    const name = canonicalProperty(prop);
    expect(name).not.toBeNull();
    expect(style.base?.decls[name!]).toBe(String(value));
  });

  it('accepts camelCase, kebab-case, vendor and alias names', () => {
    expect(canonicalProperty('backgroundColor')).toBe('background-color');
    expect(canonicalProperty('background-color')).toBe('background-color');
    expect(canonicalProperty('fontSmoothing')).toBe('-webkit-font-smoothing');
    expect(canonicalProperty('WebkitFontSmoothing')).toBe('-webkit-font-smoothing');
    expect(canonicalProperty('-moz-osx-font-smoothing')).toBe('-moz-osx-font-smoothing');
    expect(canonicalProperty('MozOsxFontSmoothing')).toBe('-moz-osx-font-smoothing');
    expect(canonicalProperty('placeholderColor')).toBeNull();
    expect(canonicalProperty('toString')).toBeNull();
  });

  it('gives a specific reason', () => {
    expect(checkValue('color', 'url(x)')).toBe('forbidden function');
    expect(checkValue('color', 'u r l (x)')).toBe('forbidden function');
    expect(checkValue('color', 'linear-gradient(red,red)')).toBe('forbidden function');
    expect(checkValue('color', 'red; x')).toBe('forbidden character');
    expect(checkValue('color', 'red /* x */')).toBe('comment');
    expect(checkValue('color', 'red\n')).toBe('control character');
    expect(checkValue('color', 'x'.repeat(201))).toBe('value too long');
    expect(checkValue('color', '   ')).toBe('empty value');
    expect(checkValue('opacity', '0.5')).toBeNull();
  });

  // The character and function allow-lists refuse every other dangerous token; comment delimiters
  // are the ones made of allowed characters, so they get their own check.
  it.each(['/*', 'red /*', '*/', 'red */ blue', 'ur/**/l(x)', '/ *', '* /', 'calc(1px / *2)'])('refuses comment delimiters in %j', (value) => {
    expect(checkValue('padding', value)).toBe('comment');
  });

  it.each(['u r l (x)', 'url (x)', 'URL(x)', 'var (--x)', 'image-set(x 1x)', 'attr(value)', 'env(x)', 'expression(x)', 'calc(1px + url(x))', '(x)'])(
    'refuses the function call %j',
    (value) => expect(checkValue('padding', value)).toBe('forbidden function'),
  );

  it.each([';', '{', '}', '\\', '<', '>', '@', '!', ':', '[', '='])('refuses %j', (c) => {
    expect(checkValue('color', `red${c}`)).toBe('forbidden character');
  });

  it('reads pseudo-classes and media queries', () => {
    const { style, rejected } = sanitiseStyle({
      base: {
        color: '#111',
        '::placeholder': { color: '#999' },
        ':-webkit-autofill': { color: '#000', backgroundColor: '#fffbe6' },
        '@media (max-width: 480px)': { fontSize: '14px', ':focus': { color: 'navy' } },
      },
      invalid: { color: '#e25950', iconColor: '#e25950' },
    });
    expect(rejected).toEqual([]);
    expect(style.base?.pseudos['::placeholder']).toEqual({ color: '#999' });
    expect(style.base?.media).toEqual([{ query: '(max-width:480px)', decls: { 'font-size': '14px' }, pseudos: { ':focus': { color: 'navy' } } }]);
    expect(style.invalid?.decls).toEqual({ color: '#e25950', 'icon-color': '#e25950' });
  });

  it('refuses iconColor inside a pseudo-class and media inside media', () => {
    const { rejected } = sanitiseStyle({
      base: { ':hover': { iconColor: 'red' }, '@media (min-width: 1px)': { '@media (min-width: 2px)': { color: 'red' } } },
    });
    expect(rejected.map((r) => r.reason)).toEqual(['iconColor in a pseudo-class', 'unsupported media query']);
  });
});

describe('parseMediaQuery', () => {
  it.each([
    ['@media (max-width: 480px)', '(max-width:480px)'],
    ['@media (min-width:30em) and (max-width: 60.5rem)', '(min-width:30em) and (max-width:60.5rem)'],
    ['@media  (HEIGHT: 100px)', '(height:100px)'],
    ['@media (prefers-color-scheme: dark)', '(prefers-color-scheme:dark)'],
    ['@media (prefers-reduced-motion: reduce)', '(prefers-reduced-motion:reduce)'],
    ['@media (orientation: landscape)', '(orientation:landscape)'],
    ['@media (min-resolution: 2dppx)', '(min-resolution:2dppx)'],
    ['@MEDIA (max-width: 320px)', '(max-width:320px)'],
  ])('accepts %s', (key, canonical) => expect(parseMediaQuery(key)).toBe(canonical));

  it.each([
    '@media screen',
    '@media screen and (max-width: 480px)',
    '@media (max-width: 480px), (min-width: 900px)',
    '@media not all and (max-width: 480px)',
    '@media (max-width: calc(100px))',
    '@media (max-width: 480)',
    '@media (hover: hover)',
    '@media (prefers-color-scheme: red)',
    '@media (max-width: 480px) or (orientation: portrait)',
    '@media (max-width: 480px) and',
    '@media (max-width: 480px)) {} .x { color: red',
    '@media (max-width: 480px)\n',
    '@media',
    '@supports (display: grid)',
    '@media (width >= 480px)',
    `@media ${'(max-width: 1px) and '.repeat(20)}(max-width: 1px)`,
  ])('refuses %s', (key) => expect(parseMediaQuery(key)).toBeNull());
});
