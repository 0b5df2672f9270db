/**
 * The closed, typed set of messages between the host page and Cardvault frames. Every message
 * travels in one envelope; `parseEnvelope` is the only place that unpacks one.
 *
 * Transport: the frame's `hello` and the host's `connect` (which transfers a MessagePort) go over
 * `window.postMessage` with an exact target origin; everything after travels on that private
 * port, so the SDK's traffic never reaches the merchant's own `message` handlers.
 *
 * The element's look (style, fonts, placeholder, label, …) travels in the frame's URL fragment, so
 * the frame renders it before it says `hello`: `hello` means "rendered", and the host's `ready`
 * follows it at once instead of waiting for a connect/ready round trip. `connect` carries what
 * needs the authenticated window: the port, the vault's API base and the credential.
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
  /** The vault's API base (`connect` only, never the fragment): the frame prefetches the encryption key set from it. */
  apiBase?: string;
  /**
   * The instance's fixed credential (`connect` only; absent for a client-token function). The
   * frames of a group bind to it and tokenize for nothing else (see src/frame/binding.ts).
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
