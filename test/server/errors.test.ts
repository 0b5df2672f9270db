/** An unexpected failure inside the vault answers a bare api_error: no message, no stack, no card data. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, cardForm, get, postForm, startTestVault, type TestVault } from './helpers';

describe('internal errors', () => {
  let v: TestVault;
  beforeAll(async () => {
    v = await startTestVault(backends()[0]!);
  });
  afterAll(async () => {
    await v?.close();
  });

  it('hides the cause from the client and keeps card data out of the log', async () => {
    const original = v.store.createToken.bind(v.store);
    v.store.createToken = async () => {
      throw new Error('invalid input syntax for type integer: "4242424242424242"');
    };
    try {
      const res = await postForm(`${v.url}/v1/tokens`, cardForm(v.keys.publishableKey));
      expect(res.status).toBe(500);
      expect(res.body.error).toMatchObject({ type: 'api_error', code: 'api_error', message: 'An internal error occurred.' });
      expect(res.text).not.toContain('4242424242424242');
      expect(res.text).not.toMatch(/\.ts:\d+/);
    } finally {
      v.store.createToken = original;
    }
    const logged = v.logs.find((l) => l.msg === 'unhandled_error');
    expect(logged).toBeDefined();
    expect(JSON.stringify(v.logs)).not.toContain('4242424242424242');
    expect((await postForm(`${v.url}/v1/tokens`, cardForm(v.keys.publishableKey))).status).toBe(200);
  });

  it('answers unknown paths with resource_missing, also from a browser', async () => {
    const res = await get(`${v.url}/v1/nope`, { origin: 'http://localhost:4244' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('resource_missing');
  });
});
