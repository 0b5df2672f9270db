// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://merchant.test/checkout"}
/**
 * Hostile and malformed messages against the envelope parser and the host's gate: each is dropped
 * (or, for a version mismatch from our own frame, turned into a coded error), never forwarded to
 * the merchant's handlers, and never stops the merchant's own `message` listeners.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createInstance } from '../../../src/host/cardvault';
import type { CardvaultElement, ElementEventName } from '../../../src/host/types';
import { envelope, fromExpectedWindow, parseFromFrame, parseFromHost, type ParseFailure } from '../../../src/protocol';
import { PROTOCOL_VERSION } from '../../../src/version';
import { fakeFrame, FRAME_ORIGIN, tick, type FakeFrame } from '../host/fake-frame';

const CH = 'channel-123';
const ok = (over: Record<string, unknown> = {}) => ({ ...envelope(CH, 'focus', {}), ...over });

describe('envelope parser', () => {
  it.each<[string, unknown, ParseFailure]>([
    ['a string', 'cardvault', 'not-cardvault'],
    ['a number', 42, 'not-cardvault'],
    ['null', null, 'not-cardvault'],
    ['undefined', undefined, 'not-cardvault'],
    ['an array', [ok()], 'not-cardvault'],
    ['another source', ok({ source: 'framebus' }), 'not-cardvault'],
    ['no source', { ...ok(), source: undefined }, 'not-cardvault'],
    ['the wrong channel', ok({ channel: 'channel-124' }), 'wrong-channel'],
    ['no channel', ok({ channel: undefined }), 'wrong-channel'],
    ['a channel of another type', ok({ channel: ['channel-123'] }), 'wrong-channel'],
    ['an unknown type', ok({ type: 'eval' }), 'wrong-direction'],
    ['a type of the other direction', ok({ type: 'tokenize' }), 'wrong-direction'],
    ['a type of an older protocol', ok({ type: 'ready' }), 'wrong-direction'],
    ['a prototype key as type', ok({ type: 'constructor' }), 'wrong-direction'],
    ['no type', ok({ type: undefined }), 'wrong-direction'],
    ['no payload', ok({ payload: undefined }), 'malformed'],
    ['a null payload', ok({ payload: null }), 'malformed'],
    ['an array payload', ok({ payload: [] }), 'malformed'],
    ['a string payload', ok({ payload: '{}' }), 'malformed'],
    ['a string version', ok({ version: '1' }), 'malformed'],
    ['no version', ok({ version: undefined }), 'malformed'],
    ['another version', ok({ version: PROTOCOL_VERSION + 1 }), 'version-mismatch'],
  ])('drops %s', (_, data, reason) => {
    const r = parseFromFrame(data, CH);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });

  it('accepts a well-formed frame message and checks direction both ways', () => {
    expect(parseFromFrame(ok(), CH)).toEqual({ ok: true, message: ok() });
    expect(parseFromHost(envelope(CH, 'change', { empty: true, complete: false, brand: null }), CH)).toMatchObject({ ok: false, reason: 'wrong-direction' });
    expect(parseFromHost(envelope(CH, 'clear', {}), CH).ok).toBe(true);
    expect(parseFromFrame(envelope(CH, 'connect', { sdkVersion: '0', protocolVersion: 1, options: {} }), CH)).toMatchObject({
      ok: false,
      reason: 'wrong-direction',
    });
  });

  it('the window gate needs the exact origin and the exact source window', () => {
    const frameWin = {} as Window;
    const ev = (origin: string, source: unknown) => new MessageEvent('message', { origin, source: source as Window });
    expect(fromExpectedWindow(ev(FRAME_ORIGIN, frameWin), FRAME_ORIGIN, frameWin)).toBe(true);
    expect(fromExpectedWindow(ev(`${FRAME_ORIGIN}.evil.test`, frameWin), FRAME_ORIGIN, frameWin)).toBe(false);
    expect(fromExpectedWindow(ev('https://frames.cardvault.test:444', frameWin), FRAME_ORIGIN, frameWin)).toBe(false);
    expect(fromExpectedWindow(ev('null', frameWin), FRAME_ORIGIN, frameWin)).toBe(false);
    expect(fromExpectedWindow(ev(FRAME_ORIGIN, window), FRAME_ORIGIN, frameWin)).toBe(false);
    expect(fromExpectedWindow(ev(FRAME_ORIGIN, null), FRAME_ORIGIN, null)).toBe(false);
  });
});

describe("the host's gate", () => {
  const EVENTS: ElementEventName[] = ['ready', 'change', 'focus', 'blur', 'escape', 'loaderror'];
  let el: CardvaultElement;
  let frame: FakeFrame;
  type Spy = ReturnType<typeof vi.fn<(event: any) => void>>;
  let handlers: Record<string, Spy>;
  let merchant: Spy;

  beforeEach(() => {
    const box = document.createElement('div');
    document.body.appendChild(box);
    el = createInstance('pk_test_abcdefghijklmnopqrstuvwx', { frameOrigin: FRAME_ORIGIN }).elements().create('card');
    handlers = {};
    for (const name of EVENTS) el.on(name, (handlers[name] = vi.fn()));
    el.mount(box);
    frame = fakeFrame(box);
    merchant = vi.fn();
    window.addEventListener('message', merchant);
  });
  afterEach(() => {
    window.removeEventListener('message', merchant);
    el.destroy();
    document.body.replaceChildren();
  });

  const hello = (over: Record<string, unknown> = {}) => ({
    ...envelope(frame.channel, 'hello', { sdkVersion: '0.1.0', protocolVersion: PROTOCOL_VERSION }),
    ...over,
  });
  // Another frame's window (happy-dom loads no iframe documents, so a stand-in object).
  const otherFrame = () => ({ postMessage() {} }) as unknown as Window;

  it.each<[string, (f: FakeFrame) => void]>([
    ['a hello from another origin', (f) => f.postWindow(hello(), { origin: 'https://evil.test' })],
    ['a hello from the merchant origin', (f) => f.postWindow(hello(), { origin: 'https://merchant.test' })],
    ['a hello from an origin that only starts like ours', (f) => f.postWindow(hello(), { origin: `${FRAME_ORIGIN}.evil.test` })],
    ['a hello from the page itself', (f) => f.postWindow(hello(), { source: window })],
    ['a hello from another frame', (f) => f.postWindow(hello(), { source: otherFrame() })],
    ['a hello with no source', (f) => f.postWindow(hello(), { source: null })],
    ['a hello on the wrong channel', (f) => f.postWindow(hello({ channel: 'guessed' }))],
    ['a hello with no channel', (f) => f.postWindow(hello({ channel: undefined }))],
    ['a string', (f) => f.postWindow(JSON.stringify(hello()))],
    ['an array', (f) => f.postWindow([hello()])],
    ['null', (f) => f.postWindow(null)],
    ['a hello with a malformed payload', (f) => f.postWindow(hello({ payload: 'hi' }))],
    ['a hello without a payload', (f) => f.postWindow(hello({ payload: undefined }))],
    ['an unknown type', (f) => f.postWindow(hello({ type: 'navigate' }))],
    ['a host-direction message', (f) => f.postWindow(hello({ type: 'connect' }))],
    ['a focus over the window instead of the port', (f) => f.postWindow(envelope(f.channel, 'focus', {}))],
    ['a ready of protocol 1', (f) => f.postWindow({ ...envelope(f.channel, 'focus', {}), type: 'ready' })],
    ['a change over the window', (f) => f.postWindow(envelope(f.channel, 'change', { empty: false, complete: true, brand: 'visa' }))],
    ['another library’s message', (f) => f.postWindow({ type: 'ready', source: 'react-devtools' })],
  ])('drops %s', async (_, send) => {
    send(frame);
    await tick(5);
    expect(frame.windowPosts).toHaveLength(0);
    for (const name of EVENTS) expect(handlers[name]).not.toHaveBeenCalled();
    // The merchant's own listener still sees every window message: nothing is stopped.
    expect(merchant).toHaveBeenCalledTimes(1);
    // The real hello still works afterwards.
    await frame.connect();
    expect(handlers.ready).toHaveBeenCalledTimes(1);
  });

  it('turns a version mismatch from our own frame into loaderror protocol_version_mismatch only', () => {
    frame.postWindow(hello({ version: PROTOCOL_VERSION + 1 }));
    expect(frame.windowPosts).toHaveLength(0);
    expect(handlers.loaderror).toHaveBeenCalledTimes(1);
    expect(handlers.loaderror!.mock.calls[0]![0].error.code).toBe('protocol_version_mismatch');
    for (const name of EVENTS.filter((n) => n !== 'loaderror')) expect(handlers[name]).not.toHaveBeenCalled();
  });

  it('ignores a version mismatch from a foreign origin', () => {
    frame.postWindow(hello({ version: PROTOCOL_VERSION + 1 }), { origin: 'https://evil.test' });
    expect(handlers.loaderror).not.toHaveBeenCalled();
  });

  it.each<[string, (f: FakeFrame) => unknown]>([
    ['the wrong channel', (f) => ({ ...envelope(f.channel, 'change', { empty: false, complete: true, brand: null }), channel: 'x' })],
    ['an unknown type', (f) => ({ ...envelope(f.channel, 'focus', {}), type: 'eval' })],
    ['a host-direction type', (f) => envelope(f.channel, 'clear', {})],
    ['a malformed envelope', () => ({ source: 'cardvault' })],
    ['a string', () => 'focus'],
    ['an old-version envelope', (f) => ({ ...envelope(f.channel, 'focus', {}), version: 0 })],
  ])('on the port, drops %s', async (_, make) => {
    await frame.connect();
    handlers.ready!.mockClear();
    frame.sendRaw(make(frame));
    await tick(5);
    for (const name of EVENTS) expect(handlers[name]).not.toHaveBeenCalled();
    // The port keeps working.
    frame.send('focus', {});
    await tick(5);
    expect(handlers.focus).toHaveBeenCalledTimes(1);
  });

  it('forwards nothing from the port to window listeners', async () => {
    await frame.connect();
    merchant.mockClear();
    frame.send('change', { empty: false, complete: false, brand: 'visa' });
    await tick(5);
    expect(handlers.change).toHaveBeenCalledTimes(1);
    expect(merchant).not.toHaveBeenCalled();
  });
});
