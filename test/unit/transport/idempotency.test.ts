import { afterEach, describe, expect, it, vi } from 'vitest';
import { newIdempotencyKey } from '../../../src/transport/idempotency';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newIdempotencyKey', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('returns distinct UUID v4 keys from crypto.randomUUID', () => {
    const spy = vi.spyOn(globalThis.crypto, 'randomUUID');
    const keys = new Set(Array.from({ length: 100 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(UUID_V4);
    expect(spy).toHaveBeenCalledTimes(100);
    spy.mockRestore();
  });

  it('falls back to crypto.getRandomValues where randomUUID is missing (insecure test-mode page)', () => {
    const real = globalThis.crypto;
    const getRandomValues = vi.fn((array: Uint8Array<ArrayBuffer>) => real.getRandomValues(array));
    vi.stubGlobal('crypto', { getRandomValues });
    const a = newIdempotencyKey();
    const b = newIdempotencyKey();
    expect(a).toMatch(UUID_V4);
    expect(b).toMatch(UUID_V4);
    expect(a).not.toBe(b);
    expect(getRandomValues).toHaveBeenCalledTimes(2);
  });

  it('throws a coded error without WebCrypto rather than using Math.random', () => {
    vi.stubGlobal('crypto', undefined);
    expect(() => newIdempotencyKey()).toThrow(expect.objectContaining({ code: 'api_error' }));
  });
});
