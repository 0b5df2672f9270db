/**
 * One element: an iframe on the frame origin, its handshake and its private MessagePort.
 *
 * Lifecycle of a mount: iframe appended (the element's look, credential and API base in its
 * fragment) -> the frame renders it and posts `hello` to this window -> we check the exact origin
 * and source window, then the envelope (channel, version) -> we post `connect` with a fresh
 * MessagePort (src/host/connect.ts) -> the frame's first message on that port acknowledges it and
 * we fire `ready`; a refusal or no acknowledgement fires `loaderror` (`frame_takeover`) ->
 * everything else travels on the port. Every resource of a mount (iframe, window listener, timers, port, waiters) hangs off one
 * `Mount` record and is released by `teardown`, so unmount/destroy leave nothing behind.
 */
import { CardvaultError } from '../errors/cardvault-error';
import { envelope, fromExpectedWindow, parseFromFrame } from '../protocol/envelope';
import { ELEMENT_TYPES, type ElementType, type FrameOptions, type HostToFrame, type MessageMap, type TokenizeRequest } from '../protocol/messages';
import type { Token } from '../types';
import { PROTOCOL_VERSION, VERSION } from '../version';
import { connectFrame, fixedAtCreation } from './connect';
import type { HostContext } from './cardvault';
import type { LocaleCode } from '../types';
import { randomId } from './random-id';
import { frameParent } from './shadow-slot';
import type { CardvaultElement, ElementEventName } from './types';
import { bad, checkOptions, ELEMENT_OPTIONS } from './validate';

/** What an `elements()` call shares with its elements. */
export interface Group {
  readonly ctx: HostContext;
  readonly id: string;
  readonly locale: LocaleCode;
  readonly defaults: FrameOptions;
  readonly members: Map<ElementType, Handle>;
}

/** The internal side of an element, reachable only through `handles` (never from the page). */
export interface Handle {
  readonly type: ElementType;
  readonly group: Group;
  readonly element: CardvaultElement;
  focus(): void;
  /** Why a token cannot be asked for right now (destroyed, not mounted, failed to load), if so. */
  unusable(): CardvaultError | undefined;
  /** Waits for `ready` (bounded by the frame-load limit), then sends `tokenize` on the port. */
  tokenize(request: Omit<TokenizeRequest, 'requestId'>, limit: number): Promise<Token>;
}

export const handles = new WeakMap<object, Handle>();

type Settle = (result: Token | CardvaultError) => void;
type Listener = (event: never) => void;

interface Mount {
  readonly iframe: HTMLIFrameElement;
  /** The iframe, and the slot nodes of a shadow-root mount (src/host/shadow-slot.ts). */
  readonly nodes: Element[];
  /** The merchant's mount target: it carries the state classes (see `mark`). */
  readonly box: HTMLElement;
  readonly channel: string;
  readonly onWindow: (event: MessageEvent) => void;
  port?: MessagePort;
  ready?: boolean;
  error?: CardvaultError;
  timer: ReturnType<typeof setTimeout>;
  /** `tokenize` posts waiting for `ready`. */
  waiters: Array<() => void>;
  /** In-flight `tokenize` requests by requestId. */
  pending: Map<string, Settle>;
}

const EVENTS = ['ready', 'change', 'focus', 'blur', 'escape', 'loaderror'];

/**
 * State classes on the mount target, so the page can style its own box (border, focus ring, error
 * colour) with CSS alone: `CardvaultElement` while mounted, plus `--focus`, `--empty`,
 * `--complete` and `--invalid`.
 */
const CLS = 'CardvaultElement';
const STATES = ['focus', 'empty', 'complete', 'invalid'];
const mark = (box: HTMLElement, state: string, on: boolean) => box.classList.toggle(`${CLS}--${state}`, on);
const MAX_HEIGHT = 2000;

export function createElement(group: Group, type: ElementType, initial: FrameOptions): CardvaultElement {
  const { frameOrigin, timeouts } = group.ctx.options;
  const listeners = new Map<string, Set<Listener>>();
  let options = initial;
  let destroyed = false;
  let m: Mount | undefined;

  const live = () => {
    if (destroyed) throw new CardvaultError('element_destroyed');
  };

  const emit = (name: ElementEventName, detail: object = {}) => {
    // Always called from a message or timer task, so a throwing merchant handler surfaces as an
    // uncaught error there; SDK state is settled before any handler runs.
    for (const fn of [...(listeners.get(name) ?? [])]) (fn as (e: object) => void)({ elementType: type, ...detail });
  };

  const send = <K extends keyof HostToFrame>(t: K, payload: MessageMap[K]) =>
    m?.port?.postMessage(envelope(m.channel, t, payload));

  /** Stops a mount's timer; every request waiting on it (before or after `ready`) rejects with `error`. */
  const settleAll = (mt: Mount, error: CardvaultError) => {
    clearTimeout(mt.timer);
    mt.waiters = [];
    for (const s of [...mt.pending.values()]) s(error);
  };

  const fail = (mt: Mount, error: CardvaultError) => {
    if (mt.error) return;
    mt.error = error;
    settleAll(mt, error);
    emit('loaderror', { error });
  };

  const teardown = (error: CardvaultError) => {
    const mt = m;
    if (!mt) return;
    m = undefined;
    window.removeEventListener('message', mt.onWindow);
    mt.box.classList.remove(CLS, ...STATES.map((s) => `${CLS}--${s}`));
    // A closed port delivers nothing more: the frame can no longer reach this element.
    mt.port?.close();
    for (const n of mt.nodes) n.remove();
    settleAll(mt, error);
  };

  const onPort = (mt: Mount, data: unknown) => {
    const r = parseFromFrame(data, mt.channel);
    if (!r.ok || m !== mt || mt.error) return;
    const { type: t, payload: p } = r.message;
    if (t === 'failure') return fail(mt, CardvaultError.fromJSON(p.error));
    // Ready means connected: only our frame holds the other end of this port, so its first message
    // here acknowledges OUR connect (a refusal is a `failure`, above).
    if (!mt.ready) {
      mt.ready = true;
      clearTimeout(mt.timer);
      for (const w of mt.waiters.splice(0)) w();
      emit('ready');
    }
    if (t === 'change') {
      // Rebuilt field by field: only these flags ever reach the merchant, never a value.
      const e = p.error;
      mark(mt.box, 'empty', !!p.empty);
      mark(mt.box, 'complete', !!p.complete);
      mark(mt.box, 'invalid', !!e);
      emit('change', {
        empty: !!p.empty,
        complete: !!p.complete,
        brand: p.brand || null,
        ...(e && { error: { code: e.code, message: e.message } }),
      });
    } else if (t === 'focus' || t === 'blur' || t === 'escape') {
      if (t !== 'escape') mark(mt.box, 'focus', t === 'focus');
      emit(t);
    } else if (t === 'resize') {
      const h = p.height;
      // CSSOM, not the style attribute: allowed under a strict style-src.
      if (h >= 0 && h <= MAX_HEIGHT) mt.iframe.style.height = `${Math.ceil(h)}px`;
    } else if (t === 'advance') {
      // Split fields in ELEMENT_TYPES order (cardNumber, cardExpiry, cardCvc, postalCode; index 0
      // is the combined card, which has no siblings): focus the next mounted one that way.
      const step = p.direction === 'previous' ? -1 : 1;
      let i = ELEMENT_TYPES.indexOf(type);
      if (i > 0) {
        for (i += step; i > 0 && i < 5; i += step) {
          const next = group.members.get(ELEMENT_TYPES[i]!);
          if (next && !next.unusable()) return next.focus();
        }
      }
    } else if (t === 'tokenize-result') {
      mt.pending.get(p.requestId)?.(p.ok ? p.token : CardvaultError.fromJSON(p.error));
    }
  };

  const mount = (target: string | HTMLElement) => {
    live();
    let el: unknown = target;
    if (typeof target === 'string') {
      try {
        el = document.querySelector(target);
      } catch {
        el = null;
      }
    }
    if (!(el instanceof HTMLElement) || !el.isConnected) {
      // Names the selector the merchant wrote (never a value the customer typed).
      throw new CardvaultError('mount_target_missing', { param: 'target', message: `mount(): ${typeof target === 'string' ? `nothing matches "${target.slice(0, 100)}"` : 'expected a selector or a connected element'}.` });
    }
    teardown(new CardvaultError('element_not_mounted'));

    const channel = randomId();
    const iframe = document.createElement('iframe');
    // The look goes in the fragment so the frame renders it before it says hello; so do the
    // credential's public part and the API base, which fix the one connect the frame will accept.
    const params = new URLSearchParams({ channel, group: group.id, type, hostOrigin: location.origin, locale: group.locale, options: JSON.stringify({ ...group.defaults, ...options }), ...fixedAtCreation(group.ctx) });
    // One frame document per locale: the frame downloads its own language only.
    iframe.src = `${frameOrigin}/v${VERSION}/frame/card.${group.locale}.html#${params}`;
    // Named until the frame says hello with its own title, in its locale (the host carries no
    // translations: decision 0007).
    iframe.title = 'Secure payment field';
    iframe.setAttribute('frameborder', '0');
    iframe.setAttribute('scrolling', 'no');
    // Styled through the CSSOM, never the style attribute: allowed under a strict style-src.
    // The height follows the frame's `resize` messages.
    iframe.style.cssText = 'border:0;width:100%;height:40px;display:block;overflow:hidden';

    const mt: Mount = {
      iframe,
      nodes: [iframe],
      box: el,
      channel,
      waiters: [],
      pending: new Map(),
      // No hello: the frame did not load. A hello but no acknowledgement: someone else has the frame.
      timer: setTimeout(() => fail(mt, new CardvaultError(mt.port ? 'frame_takeover' : 'frame_load_failed')), timeouts.frameLoad),
      onWindow: (event) => {
        // Only our own frame's window, from the exact frame origin; anything else is not ours
        // and is left alone for the merchant's own handlers (never forwarded, never stopped).
        const win = iframe.contentWindow;
        if (m !== mt || mt.error || !win || !fromExpectedWindow(event, frameOrigin, win)) return;
        const r = parseFromFrame(event.data, channel);
        if (!r.ok) {
          if (r.reason === 'version-mismatch') fail(mt, new CardvaultError('protocol_version_mismatch'));
          return;
        }
        if (r.message.type !== 'hello') return;
        const hello = r.message.payload;
        if (hello.protocolVersion !== PROTOCOL_VERSION) {
          return fail(mt, new CardvaultError('protocol_version_mismatch'));
        }
        if (typeof hello.title === 'string' && hello.title) iframe.title = hello.title.slice(0, 300);
        // A new hello (e.g. the frame reloaded) gets a new port; the old one is closed.
        mt.port?.close();
        mt.port = connectFrame(win, channel, group.ctx, (data) => onPort(mt, data));
      },
    };
    m = mt;
    window.addEventListener('message', mt.onWindow);
    el.classList.add(CLS, `${CLS}--empty`);
    frameParent(el, mt.nodes).appendChild(iframe);
  };

  const on = (event: string, handler: unknown) => {
    live();
    if (!EVENTS.includes(event)) throw bad('event', `one of ${EVENTS.join(', ')}`, event);
    if (typeof handler !== 'function') throw bad('handler', 'a function', handler);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(handler as Listener);
    return element;
  };

  const off = (event: string, handler?: unknown) => {
    if (handler === undefined) listeners.delete(event);
    else listeners.get(event)?.delete(handler as Listener);
    return element;
  };

  const element = {
    elementType: type,
    mount,
    unmount() {
      live();
      teardown(new CardvaultError('element_not_mounted'));
    },
    destroy() {
      if (destroyed) return;
      teardown(new CardvaultError('element_destroyed'));
      destroyed = true;
      listeners.clear();
      if (group.members.get(type)?.element === element) group.members.delete(type);
    },
    update(next: unknown) {
      live();
      const changed = checkOptions(next, 'options', ELEMENT_OPTIONS);
      options = { ...options, ...changed };
      // Only what changed: the frame merges (and a resent `fonts` would load them again).
      send('update', { options: changed });
    },
    focus() {
      live();
      // The iframe first, so the frame's window may take focus; then the frame focuses its input.
      m?.iframe.focus();
      send('focus', {});
    },
    blur() {
      live();
      send('blur', {});
    },
    clear() {
      live();
      send('clear', {});
    },
    on,
    off,
  } as unknown as CardvaultElement;

  const unusable = () =>
    destroyed
      ? new CardvaultError('element_destroyed')
      : !m
        ? new CardvaultError('element_not_mounted')
        : m.error;

  const handle: Handle = {
    type,
    group,
    element,
    unusable,
    focus: element.focus,
    tokenize: (request, limit) =>
      new Promise<Token>((ok, ko) => {
        const error = unusable();
        if (error) return ko(error);
        const mt = m!;
        const requestId = randomId();
        const settle: Settle = (result) => {
          clearTimeout(timer);
          mt.pending.delete(requestId);
          if (result instanceof CardvaultError) ko(result);
          else ok(result);
        };
        // Never hangs: before `ready` the mount's frame-load timer fails it (settling this request
        // with frame_load_failed); after, this timer bounds the tokenization itself.
        const timer = setTimeout(() => settle(new CardvaultError('timeout')), limit + (mt.ready ? 0 : timeouts.frameLoad));
        mt.pending.set(requestId, settle);
        const post = () => mt.port!.postMessage(envelope(mt.channel, 'tokenize', { ...request, requestId }));
        if (mt.ready) post();
        else mt.waiters.push(post);
      }),
  };
  handles.set(element, handle);
  return element;
}
