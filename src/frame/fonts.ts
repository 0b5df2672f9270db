/**
 * Validates the host's `fonts` option. Pure: produces data for `new FontFace(family, source,
 * descriptors)` and the stylesheet URLs to link; the frame does the loading.
 *
 * Security rules:
 * - https only, no credentials in URLs, bounded length; nothing but a URL is taken from `src`.
 * - No `unicodeRange` descriptor: per-character font files would tell the font server which
 *   characters the customer typed.
 * - `cssSrc` is linked as a stylesheet, i.e. arbitrary CSS inside our frame (which could declare
 *   such fonts). So it is limited to known font-CSS providers in {@link FONT_CSS_HOSTS}.
 */
import type { StyleRejection } from './style-sanitiser';

/** One entry of the host's `fonts` option. */
export type FontSource =
  | { cssSrc: string }
  | { family: string; src: string; weight?: string | number; style?: string; display?: string };

/** Arguments for `new FontFace(family, source, descriptors)`. */
export interface FontFaceSpec {
  family: string;
  /** Always `url("https://…")`, rebuilt from the parsed URL. */
  source: string;
  descriptors: { weight?: string; style?: string; display: string };
}

export interface SanitisedFonts {
  faces: FontFaceSpec[];
  /** https stylesheet URLs (normalised `href`) to link. */
  stylesheets: string[];
  rejected: StyleRejection[];
}

/** Font-CSS hosts `cssSrc` may point at, each with the origins its CSS loads font files from. */
export const FONT_CSS_HOSTS: Readonly<Record<string, readonly string[]>> = {
  'fonts.googleapis.com': ['https://fonts.gstatic.com'],
  'fonts.bunny.net': ['https://fonts.bunny.net'],
  'use.typekit.net': ['https://use.typekit.net'],
};

const MAX_FONTS = 10;
const MAX_URL = 2048;

/** Parses an https URL without credentials; null if anything is off. */
export function parseHttpsUrl(raw: unknown): URL | null {
  // Reject whitespace and control characters up front: the URL parser would silently drop them.
  if (typeof raw !== 'string' || raw.length > MAX_URL || /[\s\p{C}]/u.test(raw)) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && !url.username && !url.password && url.hostname ? url : null;
  } catch {
    return null;
  }
}

/** Own properties only: a key inherited from a prototype is not the host's. */
function has(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** Optional descriptors and the values each may take; anything else is refused. */
const DESCRIPTORS = [
  ['weight', /^(normal|bold|[1-9]\d{0,2}|1000)( ([1-9]\d{0,2}|1000))?$/],
  ['style', /^(normal|italic|oblique)$/],
  ['display', /^(auto|block|swap|fallback|optional)$/],
] as const;

function pick(o: Record<string, unknown>, key: string, re: RegExp): string | undefined | null {
  const v = has(o, key) ? o[key] : undefined;
  if (v === undefined) return undefined;
  const s = typeof v === 'number' ? String(v) : v;
  return typeof s === 'string' && re.test(s) ? s : null;
}

/**
 * Validates `fonts`. Never throws; refused entries are listed in `rejected` by path.
 * @example
 * sanitiseFonts([{ family: 'Inter', src: 'url(https://cdn.example/inter.woff2)', weight: 400 }])
 * // { faces: [{ family: 'Inter', source: 'url("https://cdn.example/inter.woff2")', descriptors: { weight: '400', display: 'swap' } }], stylesheets: [], rejected: [] }
 */
export function sanitiseFonts(input: unknown): SanitisedFonts {
  const out: SanitisedFonts = { faces: [], stylesheets: [], rejected: [] };
  const reject = (path: string, reason: string): void => void out.rejected.push({ path, reason });
  if (input === undefined) return out;
  if (!Array.isArray(input)) return reject('fonts', 'expected an array'), out;
  if (input.length > MAX_FONTS) return reject('fonts', 'too many fonts'), out;
  input.forEach((f: unknown, i) => {
    const path = `fonts[${i}]`;
    try {
      if (typeof f !== 'object' || f === null || Array.isArray(f)) return reject(path, 'expected an object');
      const o = f as Record<string, unknown>;
      if (has(o, 'cssSrc')) {
        const url = parseHttpsUrl(o['cssSrc']);
        if (!url) return reject(`${path}.cssSrc`, 'expected an https URL');
        if (!has(FONT_CSS_HOSTS, url.hostname) || url.port) return reject(`${path}.cssSrc`, 'host not allowed');
        if (!out.stylesheets.includes(url.href)) out.stylesheets.push(url.href);
        return;
      }
      // Family names are passed to FontFace as-is and referenced from font-family: letters,
      // digits, spaces, '-' and '_' only, so they never need quoting or escaping.
      const family = pick(o, 'family', /^[\p{L}\p{N}][\p{L}\p{N} _-]{0,63}$/u);
      if (!family) return reject(`${path}.family`, 'expected a font family name');
      const src = typeof o['src'] === 'string' ? /^url\(\s*(["']?)([^"'()\s]+)\1\s*\)(\s+format\(\s*["']?[\w-]+["']?\s*\))?$/i.exec(o['src'].trim()) : null;
      const url = src && parseHttpsUrl(src[2]);
      if (!url) return reject(`${path}.src`, 'expected url(https://…)');
      // swap by default: a card field must never render invisible text while a font loads.
      const descriptors: FontFaceSpec['descriptors'] = { display: 'swap' };
      for (const [key, re] of DESCRIPTORS) {
        const value = pick(o, key, re);
        if (value === null) return reject(`${path}.${key}`, `invalid font ${key}`);
        if (value) descriptors[key] = value;
      }
      // href is percent-encoded by the URL parser, so it contains no '"' to escape.
      out.faces.push({ family, source: `url("${url.href}")`, descriptors });
    } catch {
      reject(path, 'could not be read');
    }
  });
  return out;
}

/**
 * Origins the frame's CSP must allow for these fonts (sorted, unique).
 * @example fontCspSources(sanitiseFonts([{ cssSrc: 'https://fonts.googleapis.com/css?family=Inter' }]))
 * // { styleSrc: ['https://fonts.googleapis.com'], fontSrc: ['https://fonts.gstatic.com'] }
 */
export function fontCspSources(fonts: Pick<SanitisedFonts, 'faces' | 'stylesheets'>): { styleSrc: string[]; fontSrc: string[] } {
  const style = new Set<string>();
  const font = new Set<string>();
  for (const href of fonts.stylesheets) {
    const url = parseHttpsUrl(href);
    if (!url) continue;
    style.add(url.origin);
    if (has(FONT_CSS_HOSTS, url.hostname)) for (const o of FONT_CSS_HOSTS[url.hostname] ?? []) font.add(o);
  }
  for (const f of fonts.faces) {
    const url = parseHttpsUrl(/^url\("(.*)"\)$/.exec(f.source)?.[1]);
    if (url) font.add(url.origin);
  }
  return { styleSrc: [...style].sort(), fontSrc: [...font].sort() };
}
