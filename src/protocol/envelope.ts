/**
 * Builds and unpacks envelopes. `parseEnvelope` is the one place an incoming message is unpacked:
 * anything that is not exactly a Cardvault envelope for the expected channel and direction is
 * dropped (returns null) — the caller never sees it and never forwards it.
 */
import { PROTOCOL_VERSION } from '../version';
import {
  ENVELOPE_SOURCE,
  type Envelope,
  type FrameToHost,
  type HostToFrame,
  type InboundFromFrame,
  type InboundFromHost,
  type MessageMap,
  type MessageType,
} from './messages';

const FROM_FRAME: ReadonlySet<string> = new Set<keyof FrameToHost>([
  'hello', 'change', 'focus', 'blur', 'escape', 'resize', 'advance', 'tokenize-result', 'failure',
]);
const FROM_HOST: ReadonlySet<string> = new Set<keyof HostToFrame>(['connect', 'update', 'focus', 'blur', 'clear', 'tokenize']);

/** Creates an envelope. */
export function envelope<T extends MessageType>(channel: string, type: T, payload: MessageMap[T]): Envelope<T> {
  return { source: ENVELOPE_SOURCE, version: PROTOCOL_VERSION, channel, type, payload };
}

export type ParseFailure = 'not-cardvault' | 'wrong-channel' | 'wrong-direction' | 'malformed' | 'version-mismatch';

export type ParseResult<M> = { ok: true; message: M } | { ok: false; reason: ParseFailure; version?: number };

function parse(data: unknown, channel: string, allowed: ReadonlySet<string>): ParseResult<Envelope> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, reason: 'not-cardvault' };
  const d = data as Record<string, unknown>;
  if (d.source !== ENVELOPE_SOURCE) return { ok: false, reason: 'not-cardvault' };
  // The channel is a per-instance secret of the host; a message without it is not ours.
  if (typeof d.channel !== 'string' || d.channel !== channel) return { ok: false, reason: 'wrong-channel' };
  if (typeof d.type !== 'string' || !allowed.has(d.type)) return { ok: false, reason: 'wrong-direction' };
  if (typeof d.payload !== 'object' || d.payload === null || Array.isArray(d.payload)) return { ok: false, reason: 'malformed' };
  if (typeof d.version !== 'number') return { ok: false, reason: 'malformed' };
  if (d.version !== PROTOCOL_VERSION) return { ok: false, reason: 'version-mismatch', version: d.version };
  return { ok: true, message: d as unknown as Envelope };
}

/** Unpacks a message a frame sent to the host. */
export function parseFromFrame(data: unknown, channel: string): ParseResult<InboundFromFrame> {
  return parse(data, channel, FROM_FRAME) as ParseResult<InboundFromFrame>;
}

/** Unpacks a message the host sent to a frame. */
export function parseFromHost(data: unknown, channel: string): ParseResult<InboundFromHost> {
  return parse(data, channel, FROM_HOST) as ParseResult<InboundFromHost>;
}

/**
 * The window-message gate: exact origin AND exact source window, before the envelope is even
 * looked at. Used for the handshake (`hello`, `connect`); later traffic uses the private port.
 */
export function fromExpectedWindow(event: MessageEvent, origin: string, source: MessageEventSource | null): boolean {
  return event.origin === origin && source !== null && event.source === source;
}
