/**
 * Server-side rendering: importing the built ESM package in Node must not touch `window` or
 * `document`. The globals are booby-trapped so any access at import time fails the test.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const built = fileURLToPath(new URL('../../../dist/cardvault.mjs', import.meta.url));
const builtReact = fileURLToPath(new URL('../../../dist/cardvault-react.mjs', import.meta.url));

/** Makes any read of these globals fail the test (and records it). */
function trap(touched: string[], names: string[]) {
  for (const name of names) {
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get: function trap() {
        touched.push(name);
        throw new Error(`${name} touched on the server`);
      },
    });
  }
}

describe('the ESM package in Node (SSR)', () => {
  let touched: string[] = [];
  afterEach(() => {
    touched = [];
    for (const name of ['window', 'document', 'navigator', 'location']) {
      const d = Object.getOwnPropertyDescriptor(globalThis, name);
      if (d?.configurable && d.get?.name === 'trap') delete (globalThis as Record<string, unknown>)[name];
    }
  });

  it('imports without touching window, document or location', async () => {
    expect(existsSync(built), 'run `npm run build` first').toBe(true);
    trap(touched, ['window', 'document', 'location']);
    const mod = (await import(/* @vite-ignore */ `${built}?ssr=${Date.now()}`)) as Record<string, unknown>;
    expect(touched).toEqual([]);
    expect(typeof mod.Cardvault).toBe('function');
    expect(typeof mod.validateCardNumber).toBe('function');
  });

  it('cardvault/react renders placeholders with react-dom/server, touching no window, document or location', async () => {
    expect(existsSync(builtReact), 'run `npm run build` first').toBe(true);
    // React itself is loaded first: what is checked is the bindings and the SDK they import.
    const { createElement: h } = await import('react');
    const { renderToString } = await import('react-dom/server');
    trap(touched, ['window', 'document', 'location', 'navigator']);
    const bindings = (await import(/* @vite-ignore */ `${builtReact}?ssr=${Date.now()}`)) as typeof import('../../../src/entries/react');
    const html = renderToString(
      h(bindings.CardvaultProvider, { cardvault: null }, h(bindings.CardElement, { id: 'card', className: 'card-box' }), h(bindings.CardCvcElement)),
    );
    expect(touched).toEqual([]);
    expect(html).toBe('<div id="card" class="card-box"></div><div></div>');
  });
});
