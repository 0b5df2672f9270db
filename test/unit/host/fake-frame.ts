/**
 * A stand-in for the frame side in happy-dom (which does not load iframe documents): it reads the
 * frame URL like the real frame does, posts `hello` as the frame's window, captures the `connect`
 * the host posts back (and its MessagePort), and talks over that port.
 */
import { vi } from 'vitest';
import { envelope, type FrameToHost, type InboundFromHost, type MessageMap, type MessageType } from '../../../src/protocol';
import { PROTOCOL_VERSION, VERSION } from '../../../src/version';

export const FRAME_ORIGIN = 'https://frames.cardvault.test';
export const HOST_URL = 'https://merchant.test/checkout';

export interface FakeFrame {
  iframe: HTMLIFrameElement;
  params: URLSearchParams;
  channel: string;
  /** Every window.postMessage the host made to the frame's window: [data, targetOrigin, transfer]. */
  windowPosts: Array<[unknown, string, unknown[] | undefined]>;
  /** Messages the host sent on the port. */
  received: InboundFromHost[];
  port: MessagePort | undefined;
  /** Posts a window message to the host as this frame (origin and source may be overridden). */
  postWindow(data: unknown, init?: { origin?: string; source?: MessageEventSource | null }): void;
  /** Posts hello, as the frame does once rendered (`title`: its accessible name, in its locale). */
  hello(protocolVersion?: number, title?: unknown): void;
  /** hello (the frame is rendered), the host's connect, the frame's acknowledgement; resolves once the host fired `ready`. */
  connect(): Promise<void>;
  /** Acknowledges the host's connect: the frame's first message on the port (a `resize`, as the real frame sends). */
  ack(): void;
  send<T extends keyof FrameToHost>(type: T, payload: FrameToHost[T]): void;
  /** Sends raw data on the port. */
  sendRaw(data: unknown): void;
  /** Waits for the next message of a type on the port. */
  next<T extends MessageType>(type: T): Promise<{ type: T; payload: MessageMap[T] }>;
  close(): void;
}

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** Wraps a mounted iframe (the last one in `container`, or the given one). */
export function fakeFrame(iframeOrContainer: Element): FakeFrame {
  const iframe = (
    iframeOrContainer instanceof HTMLIFrameElement ? iframeOrContainer : iframeOrContainer.querySelector('iframe:last-of-type')
  ) as HTMLIFrameElement;
  if (!iframe) throw new Error('no iframe mounted');
  const params = new URLSearchParams(new URL(iframe.src).hash.slice(1));
  const channel = params.get('channel')!;
  // happy-dom does not load iframe documents (contentWindow is null): stand in a window object
  // that, like a real one, disappears when the iframe leaves the document.
  const win = { postMessage: (..._: unknown[]) => {} } as unknown as Window;
  Object.defineProperty(iframe, 'contentWindow', { configurable: true, get: () => (iframe.isConnected ? win : null) });
  const windowPosts: FakeFrame['windowPosts'] = [];
  const received: InboundFromHost[] = [];
  const waiting: Array<(m: InboundFromHost) => boolean> = [];
  const frame: FakeFrame = {
    iframe,
    params,
    channel,
    windowPosts,
    received,
    port: undefined,
    postWindow(data, init = {}) {
      window.dispatchEvent(
        new MessageEvent('message', {
          data,
          origin: init.origin ?? FRAME_ORIGIN,
          source: (init.source === undefined ? win : init.source) as Window,
        }),
      );
    },
    hello(protocolVersion = PROTOCOL_VERSION, title?: unknown) {
      frame.postWindow(envelope(channel, 'hello', { sdkVersion: VERSION, protocolVersion, ...(title === undefined ? {} : { title: title as string }) }));
    },
    async connect() {
      frame.hello();
      if (!frame.port) throw new Error('host did not connect');
      frame.ack();
      await tick(5);
    },
    ack() {
      frame.send('resize', { height: 40 });
    },
    send(type, payload) {
      frame.sendRaw(envelope(channel, type, payload as never));
    },
    sendRaw(data) {
      if (!frame.port) throw new Error('not connected');
      frame.port.postMessage(data);
    },
    next(type) {
      const seen = received.find((m) => m.type === type);
      if (seen) {
        received.splice(received.indexOf(seen), 1);
        return Promise.resolve(seen as never);
      }
      return new Promise((ok) => {
        waiting.push((m) => {
          if (m.type !== type) return false;
          received.splice(received.indexOf(m), 1);
          ok(m as never);
          return true;
        });
      });
    },
    close() {
      frame.port?.close();
    },
  };
  vi.spyOn(win, 'postMessage').mockImplementation(((data: unknown, targetOrigin: string, transfer?: Transferable[]) => {
    windowPosts.push([data, targetOrigin, transfer]);
    const port = transfer?.[0] as MessagePort | undefined;
    if (port) {
      frame.port = port;
      port.onmessage = (e: MessageEvent) => {
        received.push(e.data as InboundFromHost);
        const i = waiting.findIndex((w) => w(e.data as InboundFromHost));
        if (i >= 0) waiting.splice(i, 1);
      };
    }
  }) as never);
  return frame;
}

/** Counts `message` listeners on window by wrapping add/removeEventListener. */
export function countWindowListeners() {
  const live = new Set<unknown>();
  const add = window.addEventListener.bind(window);
  const remove = window.removeEventListener.bind(window);
  const a = vi.spyOn(window, 'addEventListener').mockImplementation(((type: string, fn: unknown, o?: unknown) => {
    if (type === 'message') live.add(fn);
    add(type, fn as EventListener, o as AddEventListenerOptions);
  }) as never);
  const r = vi.spyOn(window, 'removeEventListener').mockImplementation(((type: string, fn: unknown, o?: unknown) => {
    if (type === 'message') live.delete(fn);
    remove(type, fn as EventListener, o as EventListenerOptions);
  }) as never);
  return {
    get count() {
      return live.size;
    },
    restore() {
      a.mockRestore();
      r.mockRestore();
    },
  };
}
