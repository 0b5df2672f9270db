// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://merchant.test/checkout"}
/**
 * The React bindings in happy-dom, with @testing-library/react: the provider, the element
 * components and the hooks over the real host code, with the fake frame of test/unit/host standing
 * in for the frame documents (happy-dom loads none).
 */
import { act, cleanup, render } from '@testing-library/react';
import { Component, createElement as h, StrictMode, useState, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createInstance, type CardvaultInstance } from '../../../src/host/cardvault';
import type { CardvaultElement } from '../../../src/host/types';
import { isCardvaultError, type CardvaultError } from '../../../src/errors';
import type { Token } from '../../../src/types';
import {
  CardCvcElement,
  CardElement,
  CardExpiryElement,
  CardNumberElement,
  CardvaultProvider,
  PostalCodeElement,
  useCardvault,
  useElements,
} from '../../../src/entries/react';
import { countWindowListeners, fakeFrame, FRAME_ORIGIN, tick } from '../host/fake-frame';

const KEY = 'pk_test_abcdefghijklmnopqrstuvwx';
const TOKEN: Token = {
  id: 'tok_react',
  object: 'token',
  livemode: false,
  created: 1,
  expires_at: 2,
  used: false,
  card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2040, fingerprint: 'fp' },
};
const cv = (frameLoad = 15_000) => createInstance(KEY, { frameOrigin: FRAME_ORIGIN, apiBase: 'https://api.cardvault.test', timeouts: { frameLoad } });
const iframes = () => document.querySelectorAll('iframe');

let errors: ReturnType<typeof vi.spyOn>;
let warnings: ReturnType<typeof vi.spyOn>;
let listeners: ReturnType<typeof countWindowListeners>;
beforeEach(() => {
  errors = vi.spyOn(console, 'error');
  warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
  listeners = countWindowListeners();
});
afterEach(() => {
  cleanup();
  listeners.restore();
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

/** Catches a render error, so a test can assert its code (React then logs nothing we did not ask for). */
class Boundary extends Component<{ children?: ReactNode; onError: (e: unknown) => void }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: unknown) {
    this.props.onError(error);
  }
  override render() {
    return this.state.failed ? null : this.props.children;
  }
}

describe('StrictMode', () => {
  const SPLIT = [
    [CardNumberElement, 'number'],
    [CardExpiryElement, 'expiry'],
    [CardCvcElement, 'cvc'],
    [PostalCodeElement, 'postal'],
  ] as const;

  it.each([
    ['with the provider', true],
    // Mounted under a provider that already has its group (a route change): this is where
    // StrictMode runs each element's mount, destroy, mount.
    ['later, under a provider that has its group', false],
  ])('split fields mounted %s: one frame per element and one listener each; unmount leaves none', async (_, atOnce) => {
    const ready = vi.fn();
    function Fields() {
      const [show, setShow] = useState(atOnce);
      return h(
        'div',
        null,
        h('button', { onClick: () => setShow(!show) }, 'toggle'),
        ...(show ? SPLIT.map(([C, id]) => h(C as typeof CardNumberElement, { key: id, id, onReady: id === 'number' ? ready : undefined })) : []),
      );
    }
    const view = render(h(StrictMode, null, h(CardvaultProvider, { cardvault: cv() }, h(Fields))));
    if (!atOnce) {
      expect(iframes()).toHaveLength(0);
      await act(async () => document.querySelector('button')!.click());
    }
    expect(iframes()).toHaveLength(4);
    for (const [, id] of SPLIT) expect(document.getElementById(id)!.querySelectorAll('iframe')).toHaveLength(1);
    expect(listeners.count).toBe(4);
    // The surviving frame handshakes; ready reaches the handler once, with the element.
    await act(() => fakeFrame(document.getElementById('number')!).connect());
    expect(ready).toHaveBeenCalledTimes(1);
    expect((ready.mock.calls[0]![0] as CardvaultElement).elementType).toBe('cardNumber');
    // Unmounted and mounted again (Back, then forward): fresh frames, the types free again.
    await act(async () => document.querySelector('button')!.click());
    expect(iframes()).toHaveLength(0);
    expect(listeners.count).toBe(0);
    await act(async () => document.querySelector('button')!.click());
    expect(iframes()).toHaveLength(4);
    view.unmount();
    expect(iframes()).toHaveLength(0);
    expect(listeners.count).toBe(0);
    expect(errors).not.toHaveBeenCalled();
  });
});

describe('element components', () => {
  it('apply option changes with update(), never remounting; new handlers take over without a remount', async () => {
    const instance = cv();
    const first = vi.fn();
    const second = vi.fn();
    const ui = (placeholder: string, onChange: () => void, disabled = false) =>
      h(CardvaultProvider, { cardvault: instance }, h(CardElement, { id: 'card', className: 'box', options: { placeholder, disabled }, onChange }));
    const view = render(ui('Card', first));
    const iframe = iframes()[0]!;
    const frame = fakeFrame(iframe);
    await act(() => frame.connect());
    expect(JSON.parse(frame.params.get('options')!)).toEqual({ placeholder: 'Card', disabled: false });

    view.rerender(ui('Card number', first));
    expect((await frame.next('update')).payload).toEqual({ options: { placeholder: 'Card number' } });
    // Equal options in a new object, and a new handler: nothing is sent, nothing remounts.
    view.rerender(ui('Card number', second));
    view.rerender(ui('Card number', second, true));
    expect((await frame.next('update')).payload).toEqual({ options: { disabled: true } });
    expect(frame.received.filter((m) => m.type === 'update')).toEqual([]);
    expect(iframes()).toHaveLength(1);
    expect(iframes()[0]).toBe(iframe);
    expect(document.getElementById('card')!.classList.contains('box')).toBe(true);

    await act(async () => {
      frame.send('change', { empty: false, complete: true, brand: 'visa' });
      await tick(5);
    });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith({ elementType: 'card', empty: false, complete: true, brand: 'visa' });
    expect(listeners.count).toBe(1);
  });

  it("keeps the SDK's state classes when the app changes className (React rewrites the attribute)", async () => {
    const instance = cv();
    const ui = (className: string) => h(CardvaultProvider, { cardvault: instance }, h(CardElement, { id: 'card', className }));
    const view = render(ui('box'));
    const box = document.getElementById('card')!;
    const frame = fakeFrame(box);
    await act(() => frame.connect());
    await act(async () => {
      frame.send('focus', {});
      frame.send('change', { empty: false, complete: false, brand: 'visa', error: { code: 'invalid_number', message: 'x' } });
      await tick(5);
    });
    view.rerender(ui('box is-focused'));
    expect([...box.classList].sort()).toEqual(['CardvaultElement', 'CardvaultElement--focus', 'CardvaultElement--invalid', 'box', 'is-focused']);
    await act(async () => {
      frame.send('blur', {});
      await tick(5);
    });
    view.rerender(ui('box'));
    expect([...box.classList].sort()).toEqual(['CardvaultElement', 'CardvaultElement--invalid', 'box']);
  });

  it('forwards focus, blur, escape and loaderror to their props', async () => {
    const seen: string[] = [];
    const instance = cv(40);
    render(
      h(
        CardvaultProvider,
        { cardvault: instance },
        h(CardElement, { onFocus: () => seen.push('focus'), onBlur: () => seen.push('blur'), onEscape: () => seen.push('escape') }),
      ),
    );
    const frame = fakeFrame(iframes()[0]!);
    await act(() => frame.connect());
    await act(async () => {
      frame.send('focus', {});
      frame.send('escape', {});
      frame.send('blur', {});
      await tick(5);
    });
    expect(seen).toEqual(['focus', 'escape', 'blur']);

    cleanup();
    const loaderror = vi.fn();
    render(h(CardvaultProvider, { cardvault: instance }, h(CardNumberElement, { onLoadError: loaderror })));
    await act(() => tick(80));
    expect(loaderror).toHaveBeenCalledTimes(1);
    expect((loaderror.mock.calls[0]![0] as { error: CardvaultError }).error.code).toBe('frame_load_failed');
  });

  it('an element unmounted while its frame loads leaves nothing behind and raises nothing', async () => {
    const loaderror = vi.fn();
    const ready = vi.fn();
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const clears = vi.spyOn(globalThis, 'clearTimeout');
    // A short load limit: if the unmount left the mount's timer running, it would fire in the wait below.
    const instance = cv(30);
    function Toggle() {
      const [show, setShow] = useState(true);
      return h('div', null, show ? h(CardElement, { onLoadError: loaderror, onReady: ready }) : null, h('button', { onClick: () => setShow(false) }, 'hide'));
    }
    render(h(CardvaultProvider, { cardvault: instance }, h(Toggle)));
    const frame = fakeFrame(iframes()[0]!);
    expect(listeners.count).toBe(1);
    await act(async () => document.querySelector('button')!.click());
    expect(iframes()).toHaveLength(0);
    expect(listeners.count).toBe(0);
    // The frame's late hello finds nobody listening.
    frame.hello();
    await act(() => tick(90));
    expect(frame.windowPosts).toEqual([]);
    expect(loaderror).not.toHaveBeenCalled();
    expect(ready).not.toHaveBeenCalled();
    const loadTimers = timers.mock.results.filter((_, i) => timers.mock.calls[i]![1] === 30).map((r) => r.value);
    expect(loadTimers).toHaveLength(1);
    expect(clears.mock.calls.map((c) => c[0])).toContain(loadTimers[0]);
    expect(errors).not.toHaveBeenCalled();
  });

  it('throws provider_missing outside a provider, naming the component or hook', () => {
    const caught: unknown[] = [];
    function UsesHook() {
      useElements();
      return null;
    }
    for (const child of [h(CardElement), h(PostalCodeElement), h(UsesHook)]) {
      render(h(Boundary, { onError: (e) => caught.push(e) }, child), { onCaughtError: () => {} });
      cleanup();
    }
    expect(caught.every(isCardvaultError)).toBe(true);
    expect(caught.map((e) => [(e as CardvaultError).code, (e as CardvaultError).param])).toEqual([
      ['provider_missing', '<CardElement>'],
      ['provider_missing', '<PostalCodeElement>'],
      ['provider_missing', 'useElements'],
    ]);
    expect((caught[0] as Error).message).toMatch(/inside a CardvaultProvider/);
  });

  it('a second element of a type in one provider is element_exists, as with elements.create()', () => {
    const caught: unknown[] = [];
    render(h(Boundary, { onError: (e) => caught.push(e) }, h(CardvaultProvider, { cardvault: cv() }, h(CardNumberElement), h(CardNumberElement))), {
      onCaughtError: () => {},
    });
    expect((caught[0] as CardvaultError).code).toBe('element_exists');
  });
});

describe('CardvaultProvider', () => {
  it('accepts a promise: placeholders first, the frames once it resolves; the hooks follow', async () => {
    let resolve!: (v: CardvaultInstance) => void;
    const promise = new Promise<CardvaultInstance>((r) => (resolve = r));
    const seen: Array<[boolean, boolean]> = [];
    function Probe() {
      seen.push([useCardvault() !== null, useElements() !== null]);
      return null;
    }
    render(h(CardvaultProvider, { cardvault: promise }, h(CardElement, { id: 'card' }), h(Probe)));
    expect(document.getElementById('card')).not.toBeNull();
    expect(iframes()).toHaveLength(0);
    expect(seen.at(-1)).toEqual([false, false]);
    const instance = cv();
    await act(async () => resolve(instance));
    expect(iframes()).toHaveLength(1);
    expect(document.getElementById('card')!.querySelector('iframe')).not.toBeNull();
    expect(seen.at(-1)).toEqual([true, true]);
  });

  it('a promise that rejects, or resolves to something else, reaches an error boundary', async () => {
    const caught: unknown[] = [];
    const failed = Promise.reject(new Error('chunk failed to load'));
    render(h(Boundary, { onError: (e) => caught.push(e) }, h(CardvaultProvider, { cardvault: failed }, h(CardElement))), { onCaughtError: () => {} });
    await act(() => tick(5));
    cleanup();
    render(h(Boundary, { onError: (e) => caught.push(e) }, h(CardvaultProvider, { cardvault: Promise.resolve('pk_test_x' as never) }, h(CardElement))), {
      onCaughtError: () => {},
    });
    await act(() => tick(5));
    expect((caught[0] as Error).message).toBe('chunk failed to load');
    expect([(caught[1] as CardvaultError).code, (caught[1] as CardvaultError).param]).toEqual(['invalid_argument', 'cardvault']);
  });

  it('rejects a cardvault prop that is no instance with invalid_argument', () => {
    const caught: unknown[] = [];
    render(h(Boundary, { onError: (e) => caught.push(e) }, h(CardvaultProvider, { cardvault: KEY as never }, null)), { onCaughtError: () => {} });
    expect([(caught[0] as CardvaultError).code, (caught[0] as CardvaultError).param]).toEqual(['invalid_argument', 'cardvault']);
  });

  it('goes from null to an instance once; a later instance is ignored with a warning, the fields stay', async () => {
    const a = cv();
    const b = cv();
    const ui = (cardvault: CardvaultInstance | null) => h(CardvaultProvider, { cardvault, options: { locale: 'fr' } }, h(CardElement));
    const view = render(ui(null));
    expect(iframes()).toHaveLength(0);
    view.rerender(ui(a));
    const iframe = iframes()[0]!;
    expect(fakeFrame(iframe).params.get('locale')).toBe('fr');
    expect(warnings).not.toHaveBeenCalled();
    view.rerender(ui(a));
    expect(warnings).not.toHaveBeenCalled();
    view.rerender(ui(b));
    expect(warnings).toHaveBeenCalledTimes(1);
    expect(String(warnings.mock.calls[0]![0])).toMatch(/cannot change its `cardvault` prop/);
    expect(iframes()).toHaveLength(1);
    expect(iframes()[0]).toBe(iframe);
    // The group's options are read once, too.
    view.rerender(h(CardvaultProvider, { cardvault: a, options: { locale: 'de' } }, h(CardElement)));
    expect(String(warnings.mock.calls.at(-1)![0])).toMatch(/reads `options` once/);
    expect(iframes()[0]).toBe(iframe);
  });

  it('useCardvault and useElements tokenize: cardvault.createToken(elements.getElement("card"))', async () => {
    const results: Array<Token | string> = [];
    function Pay() {
      const cardvault = useCardvault();
      const elements = useElements();
      const pay = () => {
        if (!cardvault || !elements) return;
        cardvault.createToken(elements.getElement('card'), { name: 'Jenny Rosen' }).then(
          (t) => results.push(t),
          (e: CardvaultError) => results.push(e.code),
        );
      };
      return h('button', { onClick: pay }, 'Pay');
    }
    render(h(CardvaultProvider, { cardvault: cv() }, h(CardElement), h(Pay)));
    const frame = fakeFrame(iframes()[0]!);
    await act(() => frame.connect());
    await act(async () => document.querySelector('button')!.click());
    const { payload } = await frame.next('tokenize');
    expect(payload.billing).toEqual({ name: 'Jenny Rosen' });
    await act(async () => {
      frame.send('tokenize-result', { requestId: payload.requestId, ok: true, token: TOKEN });
      await tick(5);
    });
    expect(results).toEqual([TOKEN]);
  });
});

describe('server rendering and hydration', () => {
  it('renders placeholders on the server, then hydrates with an instance without a warning', async () => {
    const { renderToString } = await import('react-dom/server');
    const { hydrateRoot } = await import('react-dom/client');
    const app = (cardvault: CardvaultInstance | null) =>
      h(
        CardvaultProvider,
        { cardvault },
        h('form', null, h(CardNumberElement, { id: 'number', className: 'field' }), h(CardExpiryElement, { id: 'expiry', className: 'field' })),
      );
    const html = renderToString(app(null));
    expect(html).toBe('<form><div id="number" class="field"></div><div id="expiry" class="field"></div></form>');

    const container = document.createElement('div');
    container.innerHTML = html;
    document.body.append(container);
    const serverNumber = container.querySelector('#number');
    const recoverable = vi.fn();
    const root = await act(async () => hydrateRoot(container, app(cv()), { onRecoverableError: recoverable }));
    // The server's nodes are kept (hydrated, not replaced) and the frames mount inside them.
    expect(container.querySelector('#number')).toBe(serverNumber);
    expect(serverNumber!.querySelectorAll('iframe')).toHaveLength(1);
    expect(container.querySelectorAll('iframe')).toHaveLength(2);
    expect(recoverable).not.toHaveBeenCalled();
    expect(errors).not.toHaveBeenCalled();
    act(() => root.unmount());
    expect(container.querySelectorAll('iframe')).toHaveLength(0);
  });
});
