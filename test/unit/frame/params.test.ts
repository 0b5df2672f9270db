// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { parseFrameParams, parseOrigin } from '../../../src/frame/params';

const ok = { channel: 'A'.repeat(22), group: 'b_-9'.repeat(6), type: 'card', hostOrigin: 'https://shop.example', locale: 'auto', cred: 'pk_test_abcdefghijklmnopqrstuvwx', api: 'https://api.cardvault.test' };
const hash = (p: Record<string, string>) => `#${new URLSearchParams(p)}`;

describe('parseFrameParams', () => {
  it('accepts the host fragment', () => {
    expect(parseFrameParams(hash(ok))).toEqual({ ...ok, options: {} });
    expect(parseFrameParams(hash({ ...ok, type: 'cardCvc', hostOrigin: 'http://127.0.0.1:4244', locale: 'de' }))).toMatchObject({ type: 'cardCvc', locale: 'de' });
  });

  it.each([
    ['missing channel', { ...ok, channel: undefined }],
    ['missing credential (binding fixed at creation)', { ...ok, cred: undefined }],
    ['missing API base', { ...ok, api: undefined }],
    ['short channel', { ...ok, channel: 'abc' }],
    ['channel with bad characters', { ...ok, channel: 'A'.repeat(20) + '<>' }],
    ['bad group', { ...ok, group: 'x y'.repeat(8) }],
    ['unknown type', { ...ok, type: 'cardName' }],
    ['a locale that is not a locale code', { ...ok, locale: 'english' }],
    ['origin with a path', { ...ok, hostOrigin: 'https://shop.example/checkout' }],
    ['origin with a trailing slash', { ...ok, hostOrigin: 'https://shop.example/' }],
    ['opaque origin', { ...ok, hostOrigin: 'null' }],
    ['javascript: origin', { ...ok, hostOrigin: 'javascript:alert(1)' }],
    ['ftp origin', { ...ok, hostOrigin: 'ftp://shop.example' }],
    ['origin with credentials', { ...ok, hostOrigin: 'https://u:p@shop.example' }],
    ['wildcard origin', { ...ok, hostOrigin: '*' }],
  ])('refuses %s', (_name, p) => {
    const clean = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Record<string, string>;
    expect(parseFrameParams(hash(clean))).toBeNull();
  });

  it('refuses a repeated parameter', () => {
    expect(parseFrameParams(`${hash(ok)}&hostOrigin=${encodeURIComponent('https://evil.example')}`)).toBeNull();
  });

  it('refuses an empty or oversized fragment', () => {
    expect(parseFrameParams('')).toBeNull();
    expect(parseFrameParams(`${hash(ok)}&x=${'a'.repeat(33_000)}`)).toBeNull();
  });

  it('reads the element options (JSON object) and refuses anything else there', () => {
    const options = { style: { base: { color: 'navy' } }, hidePostalCode: true, placeholder: 'Card' };
    expect(parseFrameParams(hash({ ...ok, options: JSON.stringify(options) }))?.options).toEqual(options);
    for (const bad of ['[]', 'null', '"x"', '{', '{"a":1}}']) expect(parseFrameParams(hash({ ...ok, options: bad })), bad).toBeNull();
    expect(parseFrameParams(`${hash({ ...ok, options: '{}' })}&options=${encodeURIComponent('{"disabled":true}')}`)).toBeNull();
  });

  it('normalised origins only', () => {
    expect(parseOrigin('https://SHOP.example')).toBeNull();
    expect(parseOrigin('https://shop.example:443')).toBeNull();
    expect(parseOrigin('https://shop.example:8443')).toBe('https://shop.example:8443');
  });
});
