/**
 * Reads the frame's {@link FrameParams} from its URL fragment. Nothing in the fragment is trusted
 * beyond its shape: it only tells the frame which origin to greet and accept `connect` from.
 * The fragment is `URLSearchParams` text: `#channel=…&group=…&type=card&hostOrigin=…&locale=auto`.
 */
import { ELEMENT_TYPES, type ElementType, type FrameParams } from '../protocol/messages';
import type { Locale } from '../types';

const ID = /^[A-Za-z0-9_-]{16,128}$/;
const LOCALES: readonly string[] = ['auto', 'en', 'es', 'fr', 'de'];
const KEYS = ['channel', 'group', 'type', 'hostOrigin', 'locale'] as const;

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
  if (hash.length > 2048) return null;
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const v: Partial<Record<(typeof KEYS)[number], string>> = {};
  for (const k of KEYS) {
    const all = q.getAll(k);
    // A repeated key is ambiguous (which one did the host mean?): refuse rather than guess.
    if (all.length !== 1) return null;
    v[k] = all[0];
  }
  const { channel = '', group = '', type = '', hostOrigin = '', locale = '' } = v;
  if (!ID.test(channel) || !ID.test(group)) return null;
  if (!(ELEMENT_TYPES as readonly string[]).includes(type) || !LOCALES.includes(locale)) return null;
  if (!parseOrigin(hostOrigin)) return null;
  return { channel, group, type: type as ElementType, hostOrigin, locale: locale as Locale };
}
