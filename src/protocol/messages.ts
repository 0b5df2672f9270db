/**
 * The closed, typed set of messages between the host page and Cardvault frames. Every message
 * travels in one envelope; `parseEnvelope` is the only place that unpacks one.
 *
 * Transport: the frame's `hello` and the host's `connect` (which transfers a MessagePort) go over
 * `window.postMessage` with an exact target origin; everything after travels on that private
 * port, so the SDK's traffic never reaches the merchant's own `message` handlers.
 *
 * Protocol 3 (decision 0009): the frame accepts one `connect`, and only one naming the credential
 * and API base of its fragment; its first message on the accepted port (`resize`) is the
 * acknowledgement the host waits for before `ready`. A refused `connect`, or any `connect` after
 * the accepted one, is answered on its port with `failure` (`frame_takeover`); a second one also
 * tells the first port and locks the frame.
 *
 * The element's look (style, fonts, placeholder, label, …) travels in the frame's URL fragment, so
 * the frame renders it before it says `hello`. `connect` carries the port, the vault's API base and
 * the whole credential; the fragment names the same API base and credential (public part), fixed
 * at creation, and the frame accepts no other.
 */
import type { SerializedError } from '../errors/cardvault-error';
import type { BillingDetails, CardBrand, Locale, Token } from '../types';

export const ENVELOPE_SOURCE = 'cardvault';

export type ElementType = 'card' | 'cardNumber' | 'cardExpiry' | 'cardCvc' | 'postalCode';
export const ELEMENT_TYPES: readonly ElementType[] = ['card', 'cardNumber', 'cardExpiry', 'cardCvc', 'postalCode'];

/** Options the host forwards to a frame; the frame sanitises `style` and `fonts` itself. */
export interface FrameOptions {
  style?: unknown;
  fonts?: unknown;
  placeholder?: string;
  /** Accessible name of the input (the frame has its own default per locale). */
  label?: string;
  disabled?: boolean;
  /** Combined `card` element: hide the postal-code input. */
  hidePostalCode?: boolean;
  /** `card` and `postalCode` elements: `optional` accepts an empty postal code (default `required`). */
  postalCode?: 'optional' | 'required';
  /** Combined `card` element: hide the brand icon. */
  hideIcon?: boolean;
  /** The vault's API base (`connect`; it must equal the fragment's `api`): the frame prefetches the encryption key set from it. */
  apiBase?: string;
  /**
   * The instance's fixed credential (`connect`; absent for a client-token function). It must bind
   * like the fragment's `cred`; the frames of a group tokenize for nothing else (src/frame/binding.ts).
   */
  credential?: WireCredential;
}

/** What the frame is told in its URL fragment (before any message is trusted). */
export interface FrameParams {
  /** Per-element random channel; every message must carry it. */
  channel: string;
  /** Per-`elements()` random group id: frames of one group may gather each other's values. */
  group: string;
  type: ElementType;
  /** Exact origin of the host page: the only origin the frame accepts `connect` from. */
  hostOrigin: string;
  locale: Locale;
  /** The element's look as mounted (`options` in the fragment, JSON); later changes come as `update`. */
  options: FrameOptions;
  /**
   * The credential fixed at creation, public part only: the publishable key, or a client token
   * without its signature (the frame reads its account); empty for a client-token function.
   * `connect` must name the same one, or the frame refuses it (decision 0009).
   */
  cred: string;
  /** The vault's API base fixed at creation: `connect` must name it, and it must be one of the build's vault origins. */
  api: string;
}

export interface ChangePayload {
  empty: boolean;
  complete: boolean;
  brand: CardBrand | null;
  /** A customer-facing validation error (never the value). */
  error?: { code: string; message: string };
}

/** A credential as handed to the tokenizing frame for one request. */
export interface WireCredential {
  kind: 'key' | 'client_token';
  value: string;
}

export interface TokenizeRequest {
  requestId: string;
  credential: WireCredential;
  apiBase: string;
  timeouts: { request: number; total: number };
  billing?: BillingDetails;
}

export type TokenizeResult =
  | { requestId: string; ok: true; token: Token }
  | { requestId: string; ok: false; error: SerializedError };

/** Messages a frame sends to the host. */
export interface FrameToHost {
  /**
   * Sent once the inputs are built and styled from the fragment's options. `title` is the frame's
   * accessible name in its locale, naming every input it shows (the host sets it on the iframe:
   * the host bundle carries no translations). Optional, so adding it needed no version bump.
   */
  hello: { sdkVersion: string; protocolVersion: number; title?: string };
  change: ChangePayload;
  focus: Record<string, never>;
  blur: Record<string, never>;
  escape: Record<string, never>;
  resize: { height: number };
  /** Auto-advance or Tab past the frame's edge: move focus to the next/previous element. */
  advance: { direction: 'next' | 'previous' };
  'tokenize-result': TokenizeResult;
  /** A frame-side failure the host must surface (e.g. protocol mismatch). */
  failure: { error: SerializedError };
}

/** Messages the host sends to a frame. */
export interface HostToFrame {
  connect: { sdkVersion: string; protocolVersion: number; options: FrameOptions };
  update: { options: FrameOptions };
  focus: Record<string, never>;
  blur: Record<string, never>;
  clear: Record<string, never>;
  tokenize: TokenizeRequest;
}

export type MessageMap = FrameToHost & HostToFrame;
export type MessageType = keyof MessageMap;

export interface Envelope<T extends MessageType = MessageType> {
  source: typeof ENVELOPE_SOURCE;
  version: number;
  channel: string;
  type: T;
  payload: MessageMap[T];
}

/** A message of one of the two directions, discriminated by `type`. */
export type InboundFromFrame = { [K in keyof FrameToHost]: Envelope<K> }[keyof FrameToHost];
export type InboundFromHost = { [K in keyof HostToFrame]: Envelope<K> }[keyof HostToFrame];
