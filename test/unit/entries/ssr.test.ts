/**
 * Server-side rendering: importing the built ESM package in Node must not touch `window` or
 * `document`. The globals are booby-trapped so any access at import time fails the test.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const built = fileURLToPath(new URL('../../../dist/cardvault.mjs', import.meta.url));

describe('the ESM package in Node (SSR)', () => {
  const touched: string[] = [];
  afterEach(() => {
    for (const name of ['window', 'document', 'navigator', 'location']) {
      const d = Object.getOwnPropertyDescriptor(globalThis, name);
      if (d?.configurable && d.get?.name === 'trap') delete (globalThis as Record<string, unknown>)[name];
    }
  });

  it('imports without touching window, document or location', async () => {
    expect(existsSync(built), 'run `npm run build` first').toBe(true);
    for (const name of ['window', 'document', 'location']) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get: function trap() {
          touched.push(name);
          throw new Error(`${name} touched at import time`);
        },
      });
    }
    const mod = (await import(/* @vite-ignore */ `${built}?ssr=${Date.now()}`)) as Record<string, unknown>;
    expect(touched).toEqual([]);
    expect(typeof mod.Cardvault).toBe('function');
    expect(typeof mod.validateCardNumber).toBe('function');
  });
});
