import { describeType } from './card/assert-argument';
import { CardvaultError } from './errors/cardvault-error';
import { LOCALE_CODES, matchLocale } from './locale-codes';
import type { Locale, LocaleCode } from './types';

/** Options of the `Cardvault()` factory (and of `CardvaultDirect()`). */
export interface CardvaultOptions {
  /** Base URL of the tokenization API. Default `https://api.cardvault.dev`. */
  apiBase?: string;
  /** Origin that serves the Cardvault frames. Default `https://js.cardvault.dev`. */
  frameOrigin?: string;
  /**
   * Frame language: `auto` (the first of the browser's languages with a translation, else
   * English), a locale code (en, es, fr, de, it, pt, nl, pl, sv, da, nb, fi, cs, tr, ru, el, ar,
   * he, ja, ko, zh-Hans, zh-Hant) or a tag that falls back to one (`pt-BR`, `zh-TW`). Default `auto`.
   */
  locale?: Locale;
  /** Time limits in milliseconds. */
  timeouts?: {
    /** One HTTP attempt. Default 10000. */
    request?: number;
    /** A whole tokenization, retries included. Default 30000. */
    total?: number;
    /** A frame's load and handshake. Default 15000. */
    frameLoad?: number;
  };
}

export interface ResolvedOptions {
  apiBase: string;
  frameOrigin: string;
  /** `auto` or the locale code the given tag maps to (`pt-BR` is kept as `pt`). */
  locale: 'auto' | LocaleCode;
  timeouts: { request: number; total: number; frameLoad: number };
}

const DEFAULTS: ResolvedOptions = {
  apiBase: 'https://api.cardvault.dev',
  frameOrigin: 'https://js.cardvault.dev',
  locale: 'auto',
  timeouts: { request: 10_000, total: 30_000, frameLoad: 15_000 },
};

const KNOWN = new Set(['apiBase', 'frameOrigin', 'locale', 'timeouts']);

/** Validates the factory's options: unknown keys and wrong types throw `invalid_argument`. */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === undefined) return { ...DEFAULTS, timeouts: { ...DEFAULTS.timeouts } };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw bad('options', `Options must be an object; got ${describeType(options)}.`);
  }
  const o = options as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw bad(k, `Unknown option "${k.slice(0, 40)}"; allowed: ${[...KNOWN].join(', ')}.`);
  const out: ResolvedOptions = { ...DEFAULTS, timeouts: { ...DEFAULTS.timeouts } };
  if (o.apiBase !== undefined) out.apiBase = httpUrl(o.apiBase, 'apiBase', false);
  if (o.frameOrigin !== undefined) out.frameOrigin = httpUrl(o.frameOrigin, 'frameOrigin', true);
  if (o.locale !== undefined) {
    const code = o.locale === 'auto' ? 'auto' : matchLocale(o.locale);
    if (!code) throw bad('locale', `locale must be auto or one of ${LOCALE_CODES.join(', ')}.`);
    out.locale = code;
  }
  if (o.timeouts !== undefined) {
    if (typeof o.timeouts !== 'object' || o.timeouts === null) throw bad('timeouts', `timeouts must be an object; got ${describeType(o.timeouts)}.`);
    for (const [k, v] of Object.entries(o.timeouts as Record<string, unknown>)) {
      if (k !== 'request' && k !== 'total' && k !== 'frameLoad') throw bad(`timeouts.${k.slice(0, 40)}`, 'Unknown timeout; allowed: request, total, frameLoad.');
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 300_000) {
        throw bad(`timeouts.${k}`, 'A timeout must be a number of milliseconds between 1 and 300000.');
      }
      out.timeouts[k] = v;
    }
  }
  return out;
}

function httpUrl(value: unknown, param: string, originOnly: boolean): string {
  if (typeof value !== 'string' || value.length > 2048) throw bad(param, `${param} must be an http(s) URL.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad(param, `${param} must be an absolute http(s) URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad(param, `${param} must be an http(s) URL.`);
  if (originOnly) return url.origin;
  return url.href.replace(/\/+$/, '');
}

function bad(param: string, message: string): CardvaultError {
  return new CardvaultError('invalid_argument', { param, message });
}
