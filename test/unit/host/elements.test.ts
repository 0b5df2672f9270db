// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://merchant.test/checkout"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CardvaultError, isCardvaultError } from '../../../src/errors';
import { createInstance } from '../../../src/host/cardvault';
import type { CardvaultElement } from '../../../src/host/types';
import { PROTOCOL_VERSION, VERSION } from '../../../src/version';
import { countWindowListeners, fakeFrame, FRAME_ORIGIN, tick, type FakeFrame } from './fake-frame';

const KEY = 'pk_test_abcdefghijklmnopqrstuvwx';
const TOKEN = {
  id: 'tok_123',
  object: 'token',
  livemode: false,
  created: 1,
  expires_at: 2,
  used: false,
  card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2040, fingerprint: 'fp' },
} as const;

const cv = (timeouts: { frameLoad?: number; total?: number } = {}) =>
  createInstance(KEY, { frameOrigin: FRAME_ORIGIN, apiBase: 'https://api.cardvault.test', timeouts });

/** Expects `fn` to throw (or a promise to reject) with a CardvaultError of `code`. */
function expectCode(fn: () => unknown, code: string, param?: string) {
  try {
    fn();
  } catch (e) {
    expect(isCardvaultError(e)).toBe(true);
    expect((e as CardvaultError).code).toBe(code);
    if (param) expect((e as CardvaultError).param).toBe(param);
    return;
  }
  throw new Error(`expected ${code}`);
}
async function rejectsWith(p: Promise<unknown>, code: string) {
  const e = await p.then(
    () => {
      throw new Error(`expected ${code}`);
    },
    (x: unknown) => x,
  );
  expect(isCardvaultError(e)).toBe(true);
  expect((e as CardvaultError).code).toBe(code);
  return e as CardvaultError;
}

let container: HTMLDivElement;
beforeEach(() => {
  container = document.createElement('div');
  container.id = 'card';
  document.body.appendChild(container);
});
afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('API misuse throws coded errors synchronously', () => {
  it.each<[string, unknown]>([
    ['not an object', 'fr'],
    ['unknown key', { colour: 'red' }],
    ['bad locale', { locale: 'xx' }],
    ['fonts not an array', { fonts: { cssSrc: 'x' } }],
    ['style with unknown state', { style: { hover: {} } }],
  ])('elements(%s) -> invalid_argument', (_, options) => {
    expectCode(() => cv().elements(options as never), 'invalid_argument');
  });

  it('rejects unknown element types and duplicate or mixed types', () => {
    const elements = cv().elements();
    expectCode(() => elements.create('cardholder' as never), 'invalid_argument', 'type');
    elements.create('cardNumber');
    expectCode(() => elements.create('cardNumber'), 'element_exists');
    expectCode(() => elements.create('card'), 'element_exists');
    const other = cv().elements();
    other.create('card');
    expectCode(() => other.create('cardCvc'), 'element_exists');
  });

  it.each<[string, unknown, string]>([
    ['options not an object', 'big', 'options'],
    ['unknown option', { value: '4242' }, 'options.value'],
    ['placeholder not a string', { placeholder: 4 }, 'options.placeholder'],
    ['label too long', { label: 'x'.repeat(201) }, 'options.label'],
    ['disabled not a boolean', { disabled: 'yes' }, 'options.disabled'],
    ['hidePostalCode not a boolean', { hidePostalCode: 1 }, 'options.hidePostalCode'],
    ['hideIcon not a boolean', { hideIcon: null }, 'options.hideIcon'],
    ['style not an object', { style: 'color:red' }, 'options.style'],
    ['style state not an object', { style: { base: 'red' } }, 'options.style'],
  ])('create(type, %s) -> invalid_argument', (_, options, param) => {
    expectCode(() => cv().elements().create('card', options as never), 'invalid_argument', param);
    const el = cv().elements().create('card');
    expectCode(() => el.update(options as never), 'invalid_argument', param);
  });

  it('mount needs an existing, connected target', () => {
    const el = cv().elements().create('card');
    expectCode(() => el.mount('#nope'), 'mount_target_missing');
    expectCode(() => el.mount('<<not a selector'), 'mount_target_missing');
    expectCode(() => el.mount(document.createElement('div')), 'mount_target_missing');
    expectCode(() => el.mount(42 as never), 'mount_target_missing');
    expect(document.querySelectorAll('iframe')).toHaveLength(0);
  });

  it('on() checks the event name and handler', () => {
    const el = cv().elements().create('card');
    expectCode(() => el.on('input' as never, () => {}), 'invalid_argument', 'event');
    expectCode(() => el.on('change', 'alert(1)' as never), 'invalid_argument', 'handler');
  });

  it('a destroyed element refuses every method but destroy() and off()', () => {
    const elements = cv().elements();
    const el = elements.create('cardNumber');
    el.mount('#card');
    el.destroy();
    el.destroy();
    el.off('change');
    for (const call of [
      () => el.mount('#card'),
      () => el.unmount(),
      () => el.update({}),
      () => el.focus(),
      () => el.blur(),
      () => el.clear(),
      () => el.on('ready', () => {}),
    ]) {
      expectCode(call, 'element_destroyed');
    }
    expect(elements.getElement('cardNumber')).toBeNull();
    // The type is free again in the group.
    expect(elements.create('cardNumber')).not.toBe(el);
  });

  it('createToken always returns a promise, rejected with a coded error on misuse', async () => {
    const cardvault = cv();
    const el = cardvault.elements().create('card');
    const bad = cardvault.createToken({} as never);
    expect(bad).toBeInstanceOf(Promise);
    await rejectsWith(bad, 'invalid_argument');
    await rejectsWith(cardvault.createToken(null as never), 'invalid_argument');
    await rejectsWith(cardvault.createToken(el), 'element_not_mounted');
    el.mount('#card');
    for (const extra of [
      'Jenny',
      { name: 4 },
      { email: 'a@b.c' },
      { address_line1: 'x'.repeat(201) },
      { address_line2: 'nope' },
    ]) {
      await rejectsWith(cardvault.createToken(el, extra as never), 'invalid_argument');
    }
    el.destroy();
    await rejectsWith(cardvault.createToken(el), 'element_destroyed');
  });
});

describe('iframe', () => {
  it('points at the versioned frame with the parameters in the fragment', () => {
    const elements = cv().elements({ locale: 'de' });
    elements.create('cardNumber').mount('#card');
    const iframe = container.querySelector('iframe')!;
    const url = new URL(iframe.src);
    expect(url.origin).toBe(FRAME_ORIGIN);
    expect(url.pathname).toBe(`/v${VERSION}/frame/card.de.html`);
    expect(url.search).toBe('');
    const params = new URLSearchParams(url.hash.slice(1));
    expect(params.get('type')).toBe('cardNumber');
    expect(params.get('hostOrigin')).toBe('https://merchant.test');
    expect(params.get('locale')).toBe('de');
    expect(params.get('channel')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(params.get('group')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Named before the frame loads; the frame names itself in its locale on hello (below).
    expect(iframe.title).toBe('Secure payment field');
    expect(iframe.getAttribute('frameborder')).toBe('0');
    expect(iframe.getAttribute('scrolling')).toBe('no');
    expect(iframe.hasAttribute('sandbox')).toBe(false);
    expect(iframe.style.width).toBe('100%');
  });

  it('takes the iframe title from the frame’s hello: the host carries no translations', async () => {
    cv().elements({ locale: 'ja' }).create('cardNumber').mount('#card');
    const frame = fakeFrame(container);
    frame.hello(PROTOCOL_VERSION, '安全な決済入力欄：カード番号');
    await tick();
    expect(frame.iframe.title).toBe('安全な決済入力欄：カード番号');
  });

  it.each([
    ['not a string', 42, 'Secure payment field'],
    ['empty', '', 'Secure payment field'],
    ['too long (capped)', 'x'.repeat(1000), 'x'.repeat(300)],
  ] as const)('keeps a sane iframe title when hello’s title is %s', async (_what, title, want) => {
    cv().elements().create('card').mount('#card');
    const frame = fakeFrame(container);
    frame.hello(PROTOCOL_VERSION, title);
    await tick();
    expect(frame.iframe.title).toBe(want);
  });

  it.each([
    ['auto', ['pt-BR', 'en'], 'pt'],
    ['auto', ['xx', 'zh-TW'], 'zh-Hant'],
    ['auto', ['zh-SG'], 'zh-Hans'],
    ['auto', ['gsw'], 'en'],
    ['zh-HK', ['en'], 'zh-Hant'],
    ['ar', ['en'], 'ar'],
  ] as const)('locale %s with navigator.languages %j loads the %s frame document', (locale, languages, code) => {
    const spy = vi.spyOn(navigator, 'languages', 'get').mockReturnValue(languages as unknown as readonly string[]);
    try {
      cv().elements({ locale }).create('card').mount('#card');
      const iframe = container.querySelector('iframe')!;
      expect(new URL(iframe.src).pathname).toBe(`/v${VERSION}/frame/card.${code}.html`);
      expect(new URLSearchParams(new URL(iframe.src).hash.slice(1)).get('locale')).toBe(code);
    } finally {
      spy.mockRestore();
    }
  });

  it('uses a fresh group per elements() and a fresh channel per mount', () => {
    const cardvault = cv();
    const a = cardvault.elements().create('card');
    const b = cardvault.elements().create('card');
    a.mount('#card');
    const first = fakeFrame(container);
    b.mount('#card');
    const second = fakeFrame(container);
    expect(first.params.get('group')).not.toBe(second.params.get('group'));
    a.mount('#card');
    const third = fakeFrame(container);
    expect(third.channel).not.toBe(first.channel);
    expect(container.querySelectorAll('iframe')).toHaveLength(2);
  });
});

describe('lifecycle', () => {
  it('mount, unmount, remount and destroy leave no iframe and no window listener behind', () => {
    const listeners = countWindowListeners();
    const elements = cv().elements();
    const els = (['cardNumber', 'cardExpiry', 'cardCvc', 'postalCode'] as const).map((t) => elements.create(t));
    for (let i = 0; i < 20; i++) {
      for (const el of els) el.mount('#card');
      expect(container.querySelectorAll('iframe')).toHaveLength(4);
      expect(listeners.count).toBe(4);
      for (const el of els) el.unmount();
      expect(container.querySelectorAll('iframe')).toHaveLength(0);
      expect(listeners.count).toBe(0);
    }
    for (const el of els) {
      el.mount('#card');
      el.destroy();
    }
    expect(document.querySelectorAll('iframe')).toHaveLength(0);
    expect(listeners.count).toBe(0);
    listeners.restore();
  });

  it('survives a React StrictMode double mount (mount, unmount, mount) and handshakes on the last', async () => {
    const listeners = countWindowListeners();
    const el = cv().elements().create('card');
    const ready = vi.fn();
    el.on('ready', ready);
    el.mount('#card');
    const stale = fakeFrame(container);
    el.unmount();
    el.mount(container);
    const frame = fakeFrame(container);
    expect(container.querySelectorAll('iframe')).toHaveLength(1);
    expect(listeners.count).toBe(1);
    // The first frame's late hello (its window is gone) is ignored.
    stale.postWindow({ source: 'cardvault', version: PROTOCOL_VERSION, channel: stale.channel, type: 'hello', payload: {} });
    expect(stale.windowPosts).toHaveLength(0);
    await frame.connect();
    expect(ready).toHaveBeenCalledTimes(1);
    el.destroy();
    expect(listeners.count).toBe(0);
    listeners.restore();
  });

  it('destroy rejects an in-flight createToken with element_destroyed; unmount with element_not_mounted', async () => {
    const cardvault = cv();
    const a = cardvault.elements().create('card');
    a.mount('#card');
    const fa = fakeFrame(container);
    await fa.connect();
    const p = cardvault.createToken(a);
    await fa.next('tokenize');
    a.destroy();
    await rejectsWith(p, 'element_destroyed');

    const b = cardvault.elements().create('card');
    b.mount('#card');
    const q = cardvault.createToken(b); // waits for ready
    b.unmount();
    await rejectsWith(q, 'element_not_mounted');
  });
});

describe('handshake and messages', () => {
  let frame: FakeFrame;
  let el: CardvaultElement<'card'>;
  const cardvault = cv();

  beforeEach(async () => {
    el = cardvault.elements({ fonts: [{ cssSrc: 'https://fonts.test/a.css' }] }).create('card', { placeholder: 'Card' });
    el.mount('#card');
    frame = fakeFrame(container);
  });
  afterEach(() => el.destroy());

  it('answers hello with connect to the exact frame origin, transferring a port', async () => {
    frame.hello();
    expect(frame.windowPosts).toHaveLength(1);
    const [data, target, transfer] = frame.windowPosts[0]!;
    expect(target).toBe(FRAME_ORIGIN);
    expect(transfer).toHaveLength(1);
    expect(data).toEqual({
      source: 'cardvault',
      version: PROTOCOL_VERSION,
      channel: frame.channel,
      type: 'connect',
      payload: {
        sdkVersion: VERSION,
        protocolVersion: PROTOCOL_VERSION,
        // Only what needs the authenticated window: the look went in the fragment.
        options: { apiBase: 'https://api.cardvault.test', credential: { kind: 'key', value: KEY } },
      },
    });
    expect(JSON.parse(frame.params.get('options')!)).toEqual({ fonts: [{ cssSrc: 'https://fonts.test/a.css' }], placeholder: 'Card' });
    expect(frame.params.get('options')).not.toContain(KEY);
  });

  it('fires ready on the frame’s acknowledgement of its connect, not on hello', async () => {
    const ready = vi.fn();
    el.on('ready', ready);
    frame.hello();
    await tick(5);
    expect(ready).not.toHaveBeenCalled();
    frame.ack();
    await tick(5);
    expect(ready).toHaveBeenCalledTimes(1);
  });

  it('writes the credential and API base it will connect with in the fragment', () => {
    expect(frame.params.get('cred')).toBe(KEY);
    expect(frame.params.get('api')).toBe('https://api.cardvault.test');
  });

  it('a refused connect fires loaderror frame_takeover, never ready, and createToken rejects', async () => {
    const ready = vi.fn();
    const loaderror = vi.fn();
    el.on('ready', ready);
    el.on('loaderror', loaderror);
    const p = cardvault.createToken(el);
    frame.hello();
    frame.send('failure', { error: new CardvaultError('frame_takeover').toJSON() });
    await rejectsWith(p, 'frame_takeover');
    expect(ready).not.toHaveBeenCalled();
    expect(loaderror.mock.calls[0]![0].error.code).toBe('frame_takeover');
  });

  it('uses the MessageChannel of SDK load time: a later wrapper never sees the port', async () => {
    const original = globalThis.MessageChannel;
    const wrapper = vi.fn(function (this: unknown) {
      return new original();
    });
    globalThis.MessageChannel = wrapper as unknown as typeof MessageChannel;
    try {
      await frame.connect();
      expect(frame.port).toBeDefined();
      expect(wrapper).not.toHaveBeenCalled();
    } finally {
      globalThis.MessageChannel = original;
    }
  });

  it('forwards frame events without values, resizes, and sends commands on the port', async () => {
    const seen: Array<[string, unknown]> = [];
    for (const name of ['ready', 'change', 'focus', 'blur', 'escape'] as const) {
      el.on(name, (e: unknown) => seen.push([name, e]));
    }
    await frame.connect();
    frame.send('change', {
      empty: false,
      complete: true,
      brand: 'visa',
      error: { code: 'invalid_number', message: 'bad' },
      // A misbehaving frame's extra field is never forwarded.
      ...({ value: '4242424242424242' } as object),
    } as never);
    frame.send('focus', {});
    frame.send('blur', {});
    frame.send('escape', {});
    frame.send('resize', { height: 47.2 });
    await tick(5);
    expect(seen).toEqual([
      ['ready', { elementType: 'card' }],
      ['change', { elementType: 'card', empty: false, complete: true, brand: 'visa', error: { code: 'invalid_number', message: 'bad' } }],
      ['focus', { elementType: 'card' }],
      ['blur', { elementType: 'card' }],
      ['escape', { elementType: 'card' }],
    ]);
    expect(JSON.stringify(seen)).not.toContain('4242');
    expect(frame.iframe.style.height).toBe('48px');

    frame.send('resize', { height: 1e9 });
    await tick(5);
    expect(frame.iframe.style.height).toBe('48px');

    const focus = vi.spyOn(frame.iframe, 'focus');
    el.focus();
    expect(focus).toHaveBeenCalled();
    el.blur();
    el.clear();
    el.update({ disabled: true });
    expect((await frame.next('focus')).payload).toEqual({});
    await frame.next('blur');
    await frame.next('clear');
    expect((await frame.next('update')).payload).toEqual({ options: { disabled: true } });

    el.off('change');
    frame.send('change', { empty: true, complete: false, brand: null });
    await tick(5);
    expect(seen.filter(([n]) => n === 'change')).toHaveLength(1);
  });

  it('marks the mount target with state classes the page can style, and cleans them up', async () => {
    const box = frame.iframe.parentElement!;
    const classes = () => [...box.classList].filter((c) => c.startsWith('CardvaultElement')).sort();
    expect(classes()).toEqual(['CardvaultElement', 'CardvaultElement--empty']);
    await frame.connect();
    frame.send('focus', {});
    frame.send('change', { empty: false, complete: false, brand: 'visa', error: { code: 'invalid_number', message: 'x' } });
    await tick(5);
    expect(classes()).toEqual(['CardvaultElement', 'CardvaultElement--focus', 'CardvaultElement--invalid']);
    frame.send('change', { empty: false, complete: true, brand: 'visa' });
    frame.send('blur', {});
    await tick(5);
    expect(classes()).toEqual(['CardvaultElement', 'CardvaultElement--complete']);
    el.unmount();
    expect(classes()).toEqual([]);
  });

  it('createToken sends tokenize and resolves with the token', async () => {
    await frame.connect();
    const p = cardvault.createToken(el, { name: 'Jenny Rosen', address_zip: '94107' });
    const { payload } = await frame.next('tokenize');
    expect(payload).toEqual({
      requestId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      credential: { kind: 'key', value: KEY },
      apiBase: 'https://api.cardvault.test',
      timeouts: { request: 10_000, total: 30_000 },
      billing: { name: 'Jenny Rosen', address_zip: '94107' },
    });
    // A result for another request is ignored.
    frame.send('tokenize-result', { requestId: 'other', ok: true, token: { ...TOKEN, id: 'tok_wrong' } });
    frame.send('tokenize-result', { requestId: payload.requestId, ok: true, token: TOKEN });
    await expect(p).resolves.toEqual(TOKEN);
  });

  it('createToken rejects with the frame error, fields included', async () => {
    await frame.connect();
    const p = cardvault.createToken(el);
    const { payload } = await frame.next('tokenize');
    const error = new CardvaultError('invalid_number', { param: 'number', fields: ['number', 'cvc'] }).toJSON();
    frame.send('tokenize-result', { requestId: payload.requestId, ok: false, error });
    const e = await rejectsWith(p, 'invalid_number');
    expect(e).toBeInstanceOf(CardvaultError);
    expect(e.fields).toEqual(['number', 'cvc']);
    expect(e.type).toBe('validation_error');
  });

  it('createToken before ready waits for ready', async () => {
    const p = cardvault.createToken(el);
    await tick(5);
    expect(frame.port).toBeUndefined();
    frame.hello();
    await tick(5);
    expect(frame.received).toHaveLength(0);
    frame.ack();
    const { payload } = await frame.next('tokenize');
    frame.send('tokenize-result', { requestId: payload.requestId, ok: true, token: TOKEN });
    await expect(p).resolves.toEqual(TOKEN);
  });

  it('a frame failure message surfaces as loaderror and rejects pending tokens', async () => {
    const loaderror = vi.fn();
    el.on('loaderror', loaderror);
    await frame.connect();
    const p = cardvault.createToken(el);
    await frame.next('tokenize');
    frame.send('failure', { error: new CardvaultError('api_error').toJSON() });
    await rejectsWith(p, 'api_error');
    expect(loaderror.mock.calls[0]![0].error.code).toBe('api_error');
  });
});

describe('tokenize with a client-token function', () => {
  it('calls the function at createToken time and sends the minted token', async () => {
    const mint = vi.fn(async () => 'ct_live_abcdefghijklmnopqrstuvwxyz.abc');
    vi.stubGlobal('isSecureContext', true);
    const cardvault = createInstance(mint, { frameOrigin: FRAME_ORIGIN });
    expect(cardvault.livemode).toBeUndefined();
    const el = cardvault.elements().create('card');
    el.mount('#card');
    const frame = fakeFrame(container);
    await frame.connect();
    expect(mint).not.toHaveBeenCalled();
    const p = cardvault.createToken(el);
    const { payload } = await frame.next('tokenize');
    expect(mint).toHaveBeenCalledTimes(1);
    expect(payload.credential).toEqual({ kind: 'client_token', value: 'ct_live_abcdefghijklmnopqrstuvwxyz.abc' });
    expect(cardvault.livemode).toBe(true);
    frame.send('tokenize-result', { requestId: payload.requestId, ok: true, token: TOKEN });
    await p;
    vi.unstubAllGlobals();
    el.destroy();
  });

  it('a rejecting function rejects createToken with client_token_invalid', async () => {
    const cardvault = createInstance(() => Promise.reject(new Error('down')), { frameOrigin: FRAME_ORIGIN });
    const el = cardvault.elements().create('card');
    el.mount('#card');
    await fakeFrame(container).connect();
    await rejectsWith(cardvault.createToken(el), 'client_token_invalid');
    el.destroy();
  });
});

describe('split fields', () => {
  it('advance moves focus along cardNumber, cardExpiry, cardCvc, postalCode; createToken goes to the number frame', async () => {
    const cardvault = cv();
    const elements = cardvault.elements();
    const frames: Record<string, FakeFrame> = {};
    for (const type of ['cardNumber', 'cardExpiry', 'postalCode'] as const) {
      const box = document.createElement('div');
      document.body.appendChild(box);
      elements.create(type).mount(box);
      frames[type] = fakeFrame(box);
      await frames[type].connect();
    }
    const expiryFocus = vi.spyOn(frames.cardExpiry!.iframe, 'focus');
    frames.cardNumber!.send('advance', { direction: 'next' });
    await frames.cardExpiry!.next('focus');
    expect(expiryFocus).toHaveBeenCalled();
    // cardCvc is not created: next from expiry skips to postalCode.
    frames.cardExpiry!.send('advance', { direction: 'next' });
    await frames.postalCode!.next('focus');
    frames.postalCode!.send('advance', { direction: 'previous' });
    await frames.cardExpiry!.next('focus');
    frames.cardNumber!.send('advance', { direction: 'previous' });
    await tick(5);
    expect(Object.values(frames).flatMap((f) => f.received)).toEqual([]);

    const p = cardvault.createToken(elements.getElement('postalCode')!);
    const { payload } = await frames.cardNumber!.next('tokenize');
    frames.cardNumber!.send('tokenize-result', { requestId: payload.requestId, ok: true, token: TOKEN });
    await expect(p).resolves.toEqual(TOKEN);
    expect(frames.postalCode!.received).toEqual([]);
  });
});

describe('mounting inside a shadow root', () => {
  /** A shadow host in the document with a box in its (open) shadow root, `depth` roots deep. */
  function shadowBox(depth = 1) {
    let parent: ParentNode = document.body;
    const hosts: HTMLElement[] = [];
    for (let i = 0; i < depth; i++) {
      const host = document.createElement('div');
      parent.append(host);
      hosts.push(host);
      parent = host.attachShadow({ mode: i === 0 ? 'open' : 'closed' });
    }
    const box = document.createElement('div');
    box.id = 'shadow-box';
    parent.append(box);
    return { box, hosts };
  }

  it('puts the iframe in the light DOM of the shadow host, shown in the box through a slot', async () => {
    const { box, hosts } = shadowBox();
    const el = cv().elements().create('cardNumber');
    // A selector keeps searching the document, which cannot see into the shadow root.
    expectCode(() => el.mount('#shadow-box'), 'mount_target_missing');
    el.mount(box);
    const slot = box.querySelector('slot')!;
    const iframe = hosts[0]!.querySelector('iframe')!;
    // In the document tree (so in window.frames, where split fields find each other)...
    expect(iframe.getRootNode()).toBe(document);
    // ...projected into the box by name.
    expect(slot.name).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(iframe.parentElement!.slot).toBe(slot.name);
    expect(iframe.parentElement!.parentElement).toBe(hosts[0]);
    // The state classes go on the merchant's box, inside the shadow root.
    expect([...box.classList]).toEqual(['CardvaultElement', 'CardvaultElement--empty']);
    const frame = fakeFrame(iframe);
    await frame.connect();
    frame.send('focus', {});
    await tick(5);
    expect(box.classList.contains('CardvaultElement--focus')).toBe(true);
    const focus = vi.spyOn(iframe, 'focus');
    el.focus();
    expect(focus).toHaveBeenCalled();

    el.unmount();
    expect(box.childNodes).toHaveLength(0);
    expect(hosts[0]!.childNodes).toHaveLength(0);
    expect(box.classList).toHaveLength(0);
    el.mount(box);
    el.destroy();
    expect([box.childNodes.length, hosts[0]!.childNodes.length]).toEqual([0, 0]);
  });

  it('nested shadow roots (a component in a component) get one slot per level', () => {
    const { box, hosts } = shadowBox(2);
    const listeners = countWindowListeners();
    const el = cv().elements().create('card');
    el.mount(box);
    const iframe = hosts[0]!.querySelector('iframe')!;
    expect(iframe.getRootNode()).toBe(document);
    // Outer host's light DOM holds the iframe; the inner host's light DOM holds the relay slot.
    const inner = hosts[1]!.firstElementChild!;
    expect(inner.getAttribute('slot')).toBe(box.querySelector('slot')!.name);
    expect(inner.querySelector('slot')!.name).toBe(iframe.parentElement!.slot);
    el.destroy();
    expect([box.childNodes.length, hosts[1]!.childNodes.length, hosts[0]!.childNodes.length, listeners.count]).toEqual([0, 0, 0, 0]);
    listeners.restore();
  });
});

describe('load failure', () => {
  it('fires loaderror with frame_load_failed when no hello arrives in time, and createToken rejects', async () => {
    const cardvault = cv({ frameLoad: 40 });
    const el = cardvault.elements().create('card');
    const loaderror = vi.fn();
    el.on('loaderror', loaderror);
    el.mount('#card');
    const waiting = cardvault.createToken(el);
    await rejectsWith(waiting, 'frame_load_failed');
    expect(loaderror).toHaveBeenCalledTimes(1);
    const { error, elementType } = loaderror.mock.calls[0]![0];
    expect(elementType).toBe('card');
    expect(error.code).toBe('frame_load_failed');
    const started = Date.now();
    await rejectsWith(cardvault.createToken(el), 'frame_load_failed');
    expect(Date.now() - started).toBeLessThan(20);
    // A late hello does not revive it.
    const frame = fakeFrame(container);
    frame.hello();
    expect(frame.windowPosts).toHaveLength(0);
    el.destroy();
  });

  it('fires loaderror with frame_takeover when the frame never acknowledges the connect', async () => {
    const cardvault = cv({ frameLoad: 40 });
    const el = cardvault.elements().create('card');
    const loaderror = vi.fn();
    const ready = vi.fn();
    el.on('loaderror', loaderror);
    el.on('ready', ready);
    el.mount('#card');
    const frame = fakeFrame(container);
    // Another script answered hello first: the frame took its port and ignores ours.
    frame.hello();
    await rejectsWith(cardvault.createToken(el), 'frame_takeover');
    expect(ready).not.toHaveBeenCalled();
    expect(loaderror.mock.calls[0]![0].error.code).toBe('frame_takeover');
    el.destroy();
  });

  it('bounds a tokenization by timeouts.total plus a margin', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const cardvault = cv({ total: 100 });
    const el = cardvault.elements().create('card');
    el.mount('#card');
    const frame = fakeFrame(container);
    frame.hello();
    frame.ack();
    // The acknowledgement travels on a real MessagePort (setImmediate is not faked).
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    await vi.advanceTimersByTimeAsync(1);
    const p = cardvault.createToken(el);
    const result = rejectsWith(p, 'timeout');
    await vi.advanceTimersByTimeAsync(100 + 5000 + 1);
    await result;
    el.destroy();
  });

  it.each([
    ['an envelope of another protocol version', (f: FakeFrame) => f.postWindow({ source: 'cardvault', version: 99, channel: f.channel, type: 'hello', payload: { sdkVersion: '9.0.0', protocolVersion: 99 } })],
    ['a hello announcing another protocol version', (f: FakeFrame) => f.hello(PROTOCOL_VERSION + 1)],
  ])('%s -> loaderror protocol_version_mismatch, and createToken rejects', async (_, send) => {
    const cardvault = cv();
    const el = cardvault.elements().create('card');
    const loaderror = vi.fn();
    el.on('loaderror', loaderror);
    el.mount('#card');
    const frame = fakeFrame(container);
    send(frame);
    expect(frame.windowPosts).toHaveLength(0);
    expect(loaderror.mock.calls[0]![0].error.code).toBe('protocol_version_mismatch');
    await rejectsWith(cardvault.createToken(el), 'protocol_version_mismatch');
    el.destroy();
  });
});
