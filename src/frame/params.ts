/**
 * Reads the frame's {@link FrameParams} from its URL fragment. Nothing in the fragment is trusted
 * beyond its shape: it tells the frame which origin to greet and accept `connect` from, and which
 * credential and vault that `connect` must name (`cred`, `api`: the binding fixed at creation,
 * decision 0009; a page script that rewrites them makes a frame that refuses the host).
 * The fragment is `URLSearchParams` text: `#channel=…&group=…&type=card&hostOrigin=…&locale=auto&cred=pk_test_…&api=https%3A%2F%2Fapi.cardvault.dev`,
 * and optionally `options=<JSON object>`: the element's look, which the frame sanitises like any
 * host input (it is no more trusted than the `connect` that used to carry it).
 */
import { ELEMENT_TYPES, type ElementType, type FrameParams } from '../protocol/messages';
import type { FrameOptions } from '../protocol/messages';
import type { Locale } from '../types';

const ID = /^[A-Za-z0-9_-]{16,128}$/;
// `auto` or a locale code's shape (src/locale-codes.ts); the frame renders the locale it carries.
const LOCALE = /^(auto|[a-z]{2}|zh-Han[st])$/;
const KEYS = ['channel', 'group', 'type', 'hostOrigin', 'locale', 'cred', 'api'] as const;
const MAX_HASH = 32 * 1024;

/** The optional `options` parameter: absent is `{}`; repeated, not JSON or not an object is refused. */
function parseOptions(all: string[]): FrameOptions | null {
  if (all.length === 0) return {};
  if (all.length > 1) return null;
  try {
    const value: unknown = JSON.parse(all[0]!);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as FrameOptions) : null;
  } catch {
    return null;
  }
}

/**
 * An exact http(s) origin (`scheme://host[:port]`, nothing more), or null. A path, query,
 * credentials, a trailing slash or `null` are refused: the value is compared with
 * `MessageEvent.origin` and used as a postMessage target, so it must already be canonical.
 */
export function parseOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value ? value : null;
  } catch {
    return null;
  }
}

/**
 * Validates the fragment. Returns null when any parameter is missing, repeated or malformed.
 * @example parseFrameParams('#channel=abcdefghijklmnop&group=qrstuvwxyzabcdef&type=card&hostOrigin=https%3A%2F%2Fshop.example&locale=auto')
 */
export function parseFrameParams(hash: string): FrameParams | null {
  // Room for a styled element's options; beyond that it is not a fragment we wrote.
  if (hash.length > MAX_HASH) return null;
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const v: Partial<Record<(typeof KEYS)[number], string>> = {};
  for (const k of KEYS) {
    const all = q.getAll(k);
    // A repeated key is ambiguous (which one did the host mean?): refuse rather than guess.
    if (all.length !== 1) return null;
    v[k] = all[0];
  }
  const { channel = '', group = '', type = '', hostOrigin = '', locale = '', cred = '', api = '' } = v;
  if (!ID.test(channel) || !ID.test(group)) return null;
  if (!(ELEMENT_TYPES as readonly string[]).includes(type) || !LOCALE.test(locale)) return null;
  if (!parseOrigin(hostOrigin)) return null;
  const options = parseOptions(q.getAll('options'));
  if (!options) return null;
  return { channel, group, type: type as ElementType, hostOrigin, locale: locale as Locale, options, cred, api };
}
