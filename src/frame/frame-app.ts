/**
 * The frame's life: read the fragment, build the inputs, greet the host, accept exactly one
 * authenticated `connect`, then talk only on the transferred port.
 */
import { CardvaultError } from '../errors/cardvault-error';
import { envelope, fromExpectedWindow, parseFromHost } from '../protocol/envelope';
import type { FrameOptions, FrameParams, FrameToHost, InboundFromHost, MessageMap } from '../protocol/messages';
import { prefetchEncryptionKeys } from '../transport/key-set';
import { PROTOCOL_VERSION, VERSION } from '../version';
import { type CardForm, createCardForm } from './card-form';
import { resolveLocale, t } from './locales';
import { parseFrameParams } from './params';
import { bindingOf } from './binding';
import { findSiblings, publishField, type FieldEntry } from './registry';
import { createStyles } from './styles';
import { parseApiBase, tokenizeGroup, type TokenizeDeps } from './tokenize-request';

export interface FrameEnv {
  win: Window;
  /** The host window (default `win.parent`). */
  parent?: Window;
  tokenize?: TokenizeDeps;
}

export interface FrameApp {
  params: FrameParams;
  form: CardForm;
  /** True once a `connect` was accepted. */
  connected(): boolean;
}

/** Boots the frame. Returns null (and stays silent) when the fragment is not valid. */
export function startFrame({ win, parent = win.parent, tokenize }: FrameEnv): FrameApp | null {
  const params = parseFrameParams(win.location.hash);
  if (!params) return null;
  const { channel, hostOrigin, group, type } = params;
  const doc = win.document;
  const locale = resolveLocale(params.locale, win.navigator.languages ?? []);
  doc.documentElement.lang = locale;
  // The document's title names its inputs ("Card number, Expiration date, Security code"); the
  // iframe element carries the host's title.
  const fields = type === 'card' ? ['number', 'expiry', 'cvc'] as const : [type === 'cardNumber' ? 'number' : type === 'cardExpiry' ? 'expiry' : type === 'cardCvc' ? 'cvc' : 'postal_code'] as const;
  doc.title = fields.map((f) => t(locale, `label.${f}`)).join(', ');

  let port: MessagePort | null = null;
  let binding: string | null = null;
  let ready = false;
  const send = <K extends keyof FrameToHost>(kind: K, payload: FrameToHost[K]): void => port?.postMessage(envelope<K>(channel, kind, payload as MessageMap[K]));
  // Field events start after `ready`: the host hears nothing it has not connected for.
  const emit = <K extends 'change' | 'focus' | 'blur' | 'escape' | 'advance'>(kind: K, payload: FrameToHost[K]): void => {
    if (ready) send(kind, payload);
  };

  const styles = createStyles(doc);
  let form: CardForm | null = null;
  const peerBrand = () => findSiblings(win, group).find((e) => e.names.includes('number'))?.brand() ?? null;
  const build = (options: FrameOptions): CardForm =>
    createCardForm(doc, type, locale, options, {
      change: (p) => emit('change', p),
      focus: () => emit('focus', {}),
      blur: () => emit('blur', {}),
      escape: () => emit('escape', {}),
      advance: () => emit('advance', { direction: 'next' }),
    }, peerBrand);
  // The combined card waits for `connect` (hidePostalCode decides its inputs); split fields are
  // built at once so the customer never waits on the handshake for them.
  if (type !== 'card') form = build({});

  const entry: FieldEntry = {
    group,
    type,
    get names() {
      return form?.names ?? [];
    },
    read: () => form?.read() ?? {},
    binding: () => binding,
    bind: (b) => {
      binding ??= b;
    },
    brand: () => form?.brand() ?? null,
    showErrors: (names) => form?.showErrors(names),
  };
  publishField(win, entry);

  let height = -1;
  const reportHeight = (): void => {
    const h = Math.ceil(doc.documentElement.getBoundingClientRect().height);
    if (h !== height && port) {
      height = h;
      send('resize', { height: h });
    }
  };
  const RO = (win as Window & typeof globalThis).ResizeObserver;
  if (RO) new RO(reportHeight).observe(doc.documentElement);

  const apply = (options: FrameOptions): void => {
    if (typeof options !== 'object' || options === null) return;
    if ('style' in options) styles.setStyle(options.style);
    if ('fonts' in options) styles.loadFonts(options.fonts);
    form?.update(options);
  };

  const onPortMessage = (event: MessageEvent): void => {
    const r = parseFromHost(event.data, channel);
    if (!r.ok) return;
    const m: InboundFromHost = r.message;
    if (m.type === 'update') apply(m.payload.options ?? {});
    else if (m.type === 'focus') form?.focus();
    else if (m.type === 'blur') form?.blur();
    else if (m.type === 'clear') form?.clear();
    else if (m.type === 'tokenize') {
      // Only the frame the host asked, on its authenticated port, gathers its siblings.
      void tokenizeGroup(m.payload, [entry, ...findSiblings(win, group)], locale, tokenize, hostOrigin).then((result) => send('tokenize-result', result));
    }
  };

  const onWindowMessage = (event: MessageEvent): void => {
    // Exact origin and exact source window before the data is even looked at.
    if (!fromExpectedWindow(event, hostOrigin, parent)) return;
    const r = parseFromHost(event.data, channel);
    const reply = event.ports[0];
    const mismatch = !r.ok ? r.reason === 'version-mismatch' : r.message.type === 'connect' && r.message.payload.protocolVersion !== PROTOCOL_VERSION;
    if (mismatch) {
      const failure = envelope(channel, 'failure', { error: new CardvaultError('protocol_version_mismatch').toJSON() });
      if (reply) reply.postMessage(failure);
      else parent.postMessage(failure, hostOrigin);
      return;
    }
    if (!r.ok || r.message.type !== 'connect' || !reply) return;
    win.removeEventListener('message', onWindowMessage);
    port = reply;
    port.onmessage = onPortMessage;
    const options: FrameOptions = r.message.payload.options ?? {};
    binding = bindingOf(options.credential);
    if (!form) form = build(options);
    apply(options);
    ready = true;
    send('ready', {});
    reportHeight();
    // After `ready`: starting the fetch costs ~1 ms, which the customer's first keystroke can wait
    // for but the mount should not. Only the frame the host tokenizes through (the combined card,
    // or the number of split fields) needs the vault's key; each frame has its own cache, so the
    // others would fetch it for nothing.
    const apiBase = type === 'card' || type === 'cardNumber' ? parseApiBase(options.apiBase, false) : null;
    if (apiBase) prefetchEncryptionKeys(apiBase);
  };
  win.addEventListener('message', onWindowMessage);
  // The greeting names the host's exact origin: never '*'.
  parent.postMessage(envelope(channel, 'hello', { sdkVersion: VERSION, protocolVersion: PROTOCOL_VERSION }), hostOrigin);

  return { params, get form() { return form!; }, connected: () => port !== null };
}
