/**
 * The frame's life: read the fragment, build and style the inputs from its options, greet the host,
 * accept exactly one authenticated `connect` that names the fragment's credential and API base
 * (the binding fixed at creation: decision 0009), acknowledge it on its port (the host's `ready`
 * waits for that), then talk only on that port. The frame judges one `connect` only: any later one
 * locks it.
 */
import { CardvaultError } from '../errors/cardvault-error';
import { envelope, fromExpectedWindow, parseFromHost } from '../protocol/envelope';
import { ELEMENT_TYPES, type ElementType, type FrameOptions, type FrameParams, type FrameToHost, type InboundFromHost, type MessageMap } from '../protocol/messages';
import { prefetchEncryptionKeys } from '../transport/key-set';
import { PROTOCOL_VERSION, VERSION } from '../version';
import { type CardForm, createCardForm } from './card-form';
import { resolveLocale, t } from './locales';
import { parseFrameParams } from './params';
import { bindingOf, fragmentCredential } from './binding';
import { lockFrame } from './lock';
import { isOurVault } from './vault-origins';
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
  const locale = resolveLocale(params.locale);
  doc.documentElement.lang = locale;

  let port: MessagePort | null = null;
  /** A connect arrived (accepted or not): the frame judges exactly one. */
  let seen = false;
  let locked = false;
  // Fixed at creation: the host wrote the credential it will connect with in the fragment (a
  // client-token function's frames, with no credential yet, bind on their first tokenization).
  const fixed = bindingOf(fragmentCredential(params.cred));
  let binding: string | null = fixed;
  // Everything after hello goes on the port, so field events start once the host has connected:
  // it hears nothing it has not connected for.
  const send = <K extends keyof FrameToHost>(kind: K, payload: FrameToHost[K]): void => port?.postMessage(envelope<K>(channel, kind, payload as MessageMap[K]));

  const styles = createStyles(doc);
  const peerBrand = () => findSiblings(win, group).find((e) => e.names.includes('number'))?.brand() ?? null;
  // The next split field of the group (the order the host advances in), bound to our credential:
  // characters typed past a finished field move only between our own frames.
  const order = (t: ElementType): number => ELEMENT_TYPES.indexOf(t);
  const nextField = (): FieldEntry | undefined =>
    findSiblings(win, group)
      .filter((e) => order(e.type) > order(type) && e.binding() === binding)
      .sort((a, b) => order(a.type) - order(b.type))[0];
  const handOn = (text: string): boolean => {
    const next = nextField();
    next?.take(text);
    return !!next;
  };
  const build = (options: FrameOptions): CardForm =>
    createCardForm(doc, type, locale, options, {
      change: (p) => send('change', p),
      focus: () => send('focus', {}),
      blur: () => send('blur', {}),
      escape: () => send('escape', {}),
      // A finished split field moves focus to the next one itself, in the same task as the key that
      // finished it: the next key then goes to the next input. Through the host (a message there,
      // a message back) keys typed at machine speed would land on no input in the meantime, and
      // WebKit drops them (the next frame's body, or the finished frame's). Only when no
      // sibling of ours takes focus does the host move it.
      advance: () => nextField()?.focus() || send('advance', { direction: 'next' }),
    }, peerBrand, handOn, () => findSiblings(win, group).some((e) => Object.values(e.read()).some((v) => v)));
  // Built before hello, from the fragment (styled below): the host's `ready` needs no round trip.
  const form = build(params.options);
  // The title names every input shown ("Secure payment field: Card number, …, and Postal code");
  // hello hands it to the host for the iframe element, so the host carries no translations.
  doc.title = form.title;
  // A split field has one input. When focus reaches this frame (the host moving on from a finished
  // field, or a click on the frame's padding), the input takes it at once: keys typed at machine
  // speed during the hand-over would otherwise land on the frame's body and be lost.
  if (type !== 'card') win.addEventListener('focus', () => doc.activeElement === doc.body && form.focus());

  const entry: FieldEntry = {
    group,
    type,
    get names() {
      return form.names;
    },
    read: () => form.read(),
    binding: () => binding,
    bind: (b) => {
      binding ??= b;
    },
    brand: () => form.brand(),
    showErrors: (names) => form.showErrors(names),
    take: (text) => form.take(text),
    // Only a frame its host connected takes focus this way (the host skips one that failed to
    // load, and so do we: the previous field then asks the host).
    focus: () => !!port && (form.focus(), doc.hasFocus() && doc.activeElement !== doc.body),
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

  /** The look: the frame's own sheet for the host's sanitised style, and the host's web fonts. */
  const restyle = (options: FrameOptions): void => {
    if ('style' in options) styles.setStyle(options.style);
    if ('fonts' in options) styles.loadFonts(options.fonts);
  };
  const apply = (options: FrameOptions): void => {
    if (typeof options !== 'object' || options === null) return;
    restyle(options);
    form.update(options);
  };

  const onPortMessage = (event: MessageEvent): void => {
    const r = parseFromHost(event.data, channel);
    // A locked frame serves no port, the one it accepted included.
    if (!r.ok || locked) return;
    const m: InboundFromHost = r.message;
    if (m.type === 'update') apply(m.payload.options ?? {});
    else if (m.type === 'focus') form.focus();
    else if (m.type === 'blur') form.blur();
    else if (m.type === 'clear') form.clear();
    else if (m.type === 'tokenize') {
      // Only the frame the host asked, on its authenticated port, gathers its siblings.
      // Always to the API base fixed at creation, whatever the request names.
      void tokenizeGroup({ ...m.payload, apiBase: params.api }, [entry, ...findSiblings(win, group)], locale, tokenize, hostOrigin).then((result) => send('tokenize-result', result));
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
    // Every script of the host page passes the origin and source checks and can read the channel,
    // so a connect proves nothing by itself. The frame answers every refusal on the connect's own
    // port, so only that sender learns of it (it is never told who else connected).
    const refuse = (p: MessagePort): void => p.postMessage(envelope(channel, 'failure', { error: new CardvaultError('frame_takeover').toJSON() }));
    if (seen) {
      // A second connect, whatever the first was: the frame no longer knows which sender is the
      // host (a script that rewrote the fragment makes the host's own connect the mismatched one).
      // Refuse it, tell the accepted port if any (the host fires loaderror), and lock for good.
      refuse(reply);
      if (port) refuse(port);
      port = null;
      locked = true;
      lockFrame(doc, form, t(locale, 'locked'));
      return;
    }
    seen = true;
    const options: FrameOptions = r.message.payload.options ?? {};
    // Only the credential and vault the host fixed at creation, and only a vault of this build:
    // anything else is refused (and any connect after it locks the frame).
    if (!isOurVault(params.api) || options.apiBase !== params.api || bindingOf(options.credential) !== fixed) return refuse(reply);
    port = reply;
    port.onmessage = onPortMessage;
    // The acknowledgement: the first message on the accepted port is this `resize` (height starts
    // at -1, so it is always sent); the host fires `ready` on it.
    reportHeight();
    // Only the frame the host tokenizes through (the combined card, or the number of split fields)
    // needs the vault's key; each frame has its own cache, so the others would fetch it for nothing.
    const apiBase = type === 'card' || type === 'cardNumber' ? parseApiBase(params.api, false) : null;
    if (apiBase) prefetchEncryptionKeys(apiBase);
  };
  win.addEventListener('message', onWindowMessage);
  restyle(params.options);
  // The greeting, once rendered, names the host's exact origin: never '*'.
  parent.postMessage(envelope(channel, 'hello', { sdkVersion: VERSION, protocolVersion: PROTOCOL_VERSION, title: form.title }), hostOrigin);

  return { params, form, connected: () => port !== null };
}
