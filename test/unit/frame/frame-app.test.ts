// @vitest-environment happy-dom
import { Window as HappyWindow } from 'happy-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFrame } from '../../../src/frame/frame-app';
import { REGISTRY_KEY } from '../../../src/frame/registry';
import { envelope } from '../../../src/protocol/envelope';
import type { Envelope, FrameOptions } from '../../../src/protocol/messages';
import { PROTOCOL_VERSION, VERSION } from '../../../src/version';
import { typeText } from './helpers';

vi.mock('../../../src/transport/key-set', () => ({ prefetchEncryptionKeys: vi.fn() }));
const { prefetchEncryptionKeys } = await import('../../../src/transport/key-set');

const HOST = 'https://shop.example';
const FRAMES = 'https://frames.cardvault.test';
const CHANNEL = 'c'.repeat(22);
const GROUP = 'g'.repeat(22);
const API = 'https://api.cardvault.test';
const KEY = 'pk_test_abcdefghijklmnopqrstuvwx';

interface FakePort {
  postMessage: ReturnType<typeof vi.fn>;
  onmessage: ((e: { data: unknown }) => void) | null;
  sent(): Envelope[];
}
function fakePort(): FakePort {
  const postMessage = vi.fn();
  return { postMessage, onmessage: null, sent: () => postMessage.mock.calls.map((c) => c[0] as Envelope) };
}

const windows: HappyWindow[] = [];
afterEach(async () => {
  for (const w of windows.splice(0)) await w.happyDOM.close();
  vi.clearAllMocks();
});

function boot(type = 'card', extra: Record<string, string> = {}, parent = { postMessage: vi.fn(), frames: [] as unknown[] }) {
  // The binding fixed at creation: the host's key and API base (decision 0009).
  const params = new URLSearchParams({ channel: CHANNEL, group: GROUP, type, hostOrigin: HOST, locale: 'en', cred: KEY, api: API, ...extra });
  const win = new HappyWindow({ url: `${FRAMES}/v${VERSION}/frame/card.en.html#${params}` });
  windows.push(win);
  const w = win as unknown as Window;
  Object.defineProperty(win, 'parent', { value: parent, configurable: true });
  const app = startFrame({ win: w, parent: parent as unknown as Window });
  const deliver = (data: unknown, init: { origin?: string; source?: unknown; ports?: unknown[] } = {}) =>
    win.dispatchEvent(new win.MessageEvent('message', { data, origin: init.origin ?? HOST, source: (init.source === undefined ? parent : init.source) as never, ports: (init.ports ?? []) as never }));
  const connect = (options: FrameOptions = { apiBase: API, credential: { kind: 'key', value: KEY } }, port = fakePort()) => {
    deliver(envelope(CHANNEL, 'connect', { sdkVersion: VERSION, protocolVersion: PROTOCOL_VERSION, options }), { ports: [port] });
    return port;
  };
  return { win, w, parent, app, deliver, connect };
}

describe('handshake', () => {
  it('greets the exact host origin with its versions', () => {
    const { parent, app } = boot();
    expect(app).not.toBeNull();
    expect(parent.postMessage).toHaveBeenCalledTimes(1);
    const [msg, target] = parent.postMessage.mock.calls[0]!;
    expect(target).toBe(HOST);
    expect(msg).toEqual(envelope(CHANNEL, 'hello', { sdkVersion: VERSION, protocolVersion: PROTOCOL_VERSION, title: 'Secure payment field: Card number, Expiration date, Security code, and Postal code' }));
  });

  it('names itself (document title and hello) after every input it shows, in its locale', () => {
    const hidden = boot('card', { options: JSON.stringify({ hidePostalCode: true }) });
    const title = 'Secure payment field: Card number, Expiration date, and Security code';
    expect(hidden.w.document.title).toBe(title);
    expect((hidden.parent.postMessage.mock.calls[0]![0] as { payload: { title: string } }).payload.title).toBe(title);
    const de = boot('cardExpiry', { locale: 'de' });
    expect(de.w.document.title).toBe('Sicheres Zahlungsfeld: Ablaufdatum');
    expect(de.w.document.documentElement.lang).toBe('de');
  });

  it('stays silent with an invalid fragment', () => {
    const { parent, app } = boot('card', { hostOrigin: '*' });
    expect(app).toBeNull();
    expect(parent.postMessage).not.toHaveBeenCalled();
  });

  it('greets only once rendered: inputs built and the fragment’s style adopted', () => {
    const style = { base: { color: 'navy' } };
    const { win, parent } = boot('card', { options: JSON.stringify({ style, hidePostalCode: true, placeholder: 'Card' }) });
    expect(parent.postMessage).toHaveBeenCalledTimes(1);
    const number = win.document.querySelector('.cv-input--number') as unknown as HTMLInputElement;
    expect(number.placeholder).toBe('Card');
    expect(win.document.querySelector('.cv-input--postal')).toBeNull();
    const css = win.document.adoptedStyleSheets.map((s) => [...s.cssRules].map((r) => r.cssText).join('\n')).join('\n');
    expect(css).toContain('navy');
  });

  it('accepts a valid connect and talks on the port from then on', () => {
    const { app, connect } = boot();
    const port = connect();
    expect(app!.connected()).toBe(true);
    expect(port.sent().map((m) => m.type)).toContain('resize');
    for (const m of port.sent()) expect(m).toMatchObject({ source: 'cardvault', channel: CHANNEL, version: PROTOCOL_VERSION });
  });

  const valid = () => envelope(CHANNEL, 'connect', { sdkVersion: VERSION, protocolVersion: PROTOCOL_VERSION, options: {} });
  it.each([
    ['a wrong origin', { origin: 'https://evil.example' }, valid],
    ['a look-alike origin', { origin: 'https://shop.example.evil.example' }, valid],
    ['the frame origin itself', { origin: FRAMES }, valid],
    ['a wrong source window', { source: { postMessage() {} } }, valid],
    ['no source window', { source: null }, valid],
    ['a wrong channel', {}, () => ({ ...valid(), channel: 'x'.repeat(22) })],
    ['a message that is not ours', {}, () => ({ type: 'connect', payload: {} })],
    ['a malformed payload', {}, () => ({ ...valid(), payload: null })],
    ['a frame-to-host type', {}, () => envelope(CHANNEL, 'hello', { sdkVersion: VERSION, protocolVersion: PROTOCOL_VERSION })],
  ])('ignores a connect from %s', (_name, init, data) => {
    const { app, deliver } = boot();
    const port = fakePort();
    deliver(data(), { ...init, ports: [port] });
    expect(app!.connected()).toBe(false);
    expect(port.postMessage).not.toHaveBeenCalled();
  });

  it('ignores a connect without a port', () => {
    const { app, deliver } = boot();
    deliver(valid(), { ports: [] });
    expect(app!.connected()).toBe(false);
  });

  it.each([
    ['envelope version', () => ({ ...valid(), version: PROTOCOL_VERSION + 1 })],
    ['handshake protocolVersion', () => envelope(CHANNEL, 'connect', { sdkVersion: '9.9.9', protocolVersion: PROTOCOL_VERSION + 1, options: {} })],
  ])('answers a %s mismatch with a coded failure and does not connect', (_name, data) => {
    const { app, deliver } = boot();
    const port = fakePort();
    deliver(data(), { ports: [port] });
    expect(app!.connected()).toBe(false);
    expect(port.sent()).toHaveLength(1);
    expect(port.sent()[0]).toMatchObject({ type: 'failure', payload: { error: { code: 'protocol_version_mismatch' } } });
  });

  it('refuses a second connect, tells the first port, and locks itself', () => {
    const { win, app, connect } = boot();
    const first = connect();
    const input = win.document.querySelector('.cv-input--number') as unknown as HTMLInputElement;
    typeText(input, '4242');
    const second = connect();
    const refusal = { type: 'failure', payload: { error: { code: 'frame_takeover' } } };
    expect(second.sent()).toHaveLength(1);
    expect(second.sent()[0]).toMatchObject(refusal);
    expect(first.sent().at(-1)).toMatchObject(refusal);
    expect(app!.connected()).toBe(false);
    for (const i of win.document.querySelectorAll('input')) {
      expect(i.disabled).toBe(true);
      expect(i.value).toBe('');
    }
    expect(win.document.getElementById('cv-error')!.textContent).toBe('This field could not load securely.');
    // Locked for good: the first port no longer drives it.
    first.onmessage!({ data: envelope(CHANNEL, 'update', { options: { disabled: false } }) });
    expect(input.disabled).toBe(true);
  });

  it.each([
    ['another key', { apiBase: API, credential: { kind: 'key', value: 'pk_test_zzzzzzzzzzzzzzzzzzzzzzzz' } }, {}],
    ['no credential', { apiBase: API }, {}],
    ['another API base', { apiBase: 'http://127.0.0.1:9', credential: { kind: 'key', value: KEY } }, {}],
    ['a fragment API base outside the build’s vaults', { apiBase: 'https://evil.example', credential: { kind: 'key', value: KEY } }, { api: 'https://evil.example' }],
  ] as const)('refuses a connect naming %s; any connect after it locks the frame', (_name, options, extra) => {
    const { win, app, connect } = boot('card', extra);
    const port = connect(options as FrameOptions);
    expect(port.sent()).toHaveLength(1);
    expect(port.sent()[0]).toMatchObject({ type: 'failure', payload: { error: { code: 'frame_takeover' } } });
    expect(app!.connected()).toBe(false);
    expect(prefetchEncryptionKeys).not.toHaveBeenCalled();
    // The fragment may be the rewritten one: a later connect, even a matching one, is not trusted.
    const next = connect();
    expect(next.sent()[0]).toMatchObject({ type: 'failure', payload: { error: { code: 'frame_takeover' } } });
    expect(app!.connected()).toBe(false);
    expect([...win.document.querySelectorAll('input')].every((i) => i.disabled)).toBe(true);
  });

  it('binds a client token by its account: the fragment carries it without its signature', () => {
    const payload = btoa(JSON.stringify({ sub: 'acct_1' })).replace(/=+$/, '');
    const token = `ct_test_hdr.${payload}.signature`;
    const { app, connect } = boot('card', { cred: `ct_test_hdr.${payload}` });
    connect({ apiBase: API, credential: { kind: 'client_token', value: token } });
    expect(app!.connected()).toBe(true);
  });

  it('prefetches the key set from the API base fixed at creation', () => {
    const { connect } = boot();
    connect();
    expect(prefetchEncryptionKeys).toHaveBeenCalledWith(API);
  });
});

describe('after connect', () => {
  it('only accepts port messages with the channel and version', () => {
    const { win, connect } = boot();
    const port = connect();
    const input = win.document.querySelector('.cv-input--number') as unknown as HTMLInputElement;
    port.onmessage!({ data: { ...envelope(CHANNEL, 'update', { options: { disabled: true } }), channel: 'x'.repeat(22) } });
    expect(input.disabled).toBe(false);
    port.onmessage!({ data: { ...envelope(CHANNEL, 'update', { options: { disabled: true } }), version: 99 } });
    expect(input.disabled).toBe(false);
    port.onmessage!({ data: envelope(CHANNEL, 'update', { options: { disabled: true, placeholder: 'Card' } }) });
    expect(input.disabled).toBe(true);
    expect(input.placeholder).toBe('Card');
  });

  it('sends change events without the value, and Escape', () => {
    const { win, connect } = boot('cardNumber');
    const port = connect();
    const input = win.document.querySelector('.cv-input--number') as unknown as HTMLInputElement;
    typeText(input, '4242424242424242');
    input.dispatchEvent(new win.KeyboardEvent('keydown', { key: 'Escape' }) as unknown as Event);
    const types = port.sent().map((m) => m.type);
    expect(types).toEqual(expect.arrayContaining(['focus', 'change', 'advance', 'escape']));
    const wire = JSON.stringify(port.sent());
    expect(wire).not.toContain('4242');
    expect(port.sent().filter((m) => m.type === 'change').at(-1)!.payload).toEqual({ empty: false, complete: true, brand: 'visa' });
  });

  it('sends nothing but its height until the host asked', () => {
    const { win, connect } = boot('cardNumber');
    const input = win.document.querySelector('.cv-input--number') as unknown as HTMLInputElement;
    typeText(input, '42');
    const port = connect();
    expect(port.sent().map((m) => m.type)).toEqual(['resize']);
  });

  it('applies styles through an adopted stylesheet, never a style attribute', () => {
    const { win } = boot('card', { options: JSON.stringify({ style: { base: { color: 'navy', backgroundImage: 'url(https://evil.example/x)' } } }) });
    const sheets = win.document.adoptedStyleSheets;
    const css = sheets.map((s) => [...s.cssRules].map((r) => r.cssText).join('\n')).join('\n');
    expect(css).toContain('navy');
    expect(css).not.toContain('evil');
    expect(win.document.querySelectorAll('[style], style')).toHaveLength(0);
  });

  it('publishes a non-enumerable registry entry', () => {
    const { win, connect } = boot('cardNumber');
    connect();
    expect(Object.keys(win)).not.toContain(REGISTRY_KEY);
    const entry = (win as unknown as Record<string, { group: string; type: string }>)[REGISTRY_KEY]!;
    expect(entry).toMatchObject({ group: GROUP, type: 'cardNumber' });
    expect(() => Object.defineProperty(win, REGISTRY_KEY, { value: {} })).toThrow();
  });

  it('a finished split field focuses the next one of its group itself; the host moves focus only when none can take it', () => {
    // Two frames of one group under one page (same frame origin): the number, then the expiry.
    const pair = (connectExpiry: boolean) => {
      const parent = { postMessage: vi.fn(), frames: [] as unknown[] };
      const number = boot('cardNumber', {}, parent);
      const expiry = boot('cardExpiry', {}, parent);
      parent.frames.push(number.w, expiry.w);
      const port = number.connect();
      if (connectExpiry) expiry.connect();
      const [typed, next] = [number, expiry].map((b) => b.w.document.querySelector('input') as unknown as HTMLInputElement);
      typeText(typed!, '4242424242424242');
      return { advanced: port.sent().some((m) => m.type === 'advance'), nextFocused: expiry.w.document.activeElement === next };
    };
    // Connected: focus moves to the expiry's input in the same task as the last digit, no message to the host.
    expect(pair(true)).toEqual({ advanced: false, nextFocused: true });
    // Not connected (still loading, or refused): the number asks the host, which skips what failed to load.
    expect(pair(false)).toEqual({ advanced: true, nextFocused: false });
  });
});
