/**
 * The client IP every limit is keyed on (http/client-ip.ts): never an X-Forwarded-For entry the
 * client could have written.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientIp, parseTrustProxy } from '../../server/src/http/client-ip';

function req(peer: string, xff?: string | string[]): IncomingMessage {
  return { socket: { remoteAddress: peer }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } } as unknown as IncomingMessage;
}

describe('client IP', () => {
  it.each([
    // [CARDVAULT_TRUST_PROXY, peer, X-Forwarded-For, client]
    ['', '203.0.113.7', '198.51.100.1', '203.0.113.7'],
    ['0', '203.0.113.7', '198.51.100.1', '203.0.113.7'],
    ['1', '10.0.0.2', '198.51.100.1, 203.0.113.7', '203.0.113.7'],
    ['1', '10.0.0.2', ['198.51.100.1', '203.0.113.7'], '203.0.113.7'],
    ['2', '10.0.0.2', '198.51.100.1, 203.0.113.7, 10.0.0.9', '203.0.113.7'],
    // Fewer entries than proxies: the request did not come through them all.
    ['2', '10.0.0.2', '203.0.113.7', '10.0.0.2'],
    ['1', '10.0.0.2', 'not-an-ip', '10.0.0.2'],
    ['1', '::ffff:10.0.0.2', undefined, '10.0.0.2'],
    ['10.0.0.0/8', '10.0.0.2', '198.51.100.1, 203.0.113.7, 10.0.0.9', '203.0.113.7'],
    ['10.0.0.0/8', '203.0.113.9', '198.51.100.1', '203.0.113.9'],
    ['10.0.0.0/8,2001:db8::/32', '2001:db8::1', '198.51.100.1, 2001:db8::5', '198.51.100.1'],
    ['10.0.0.0/8', '10.0.0.2', '10.0.0.3', '10.0.0.3'],
  ])('TRUST_PROXY=%j, peer %s, X-Forwarded-For %j: the client is %s', (trust, peer, xff, expected) => {
    expect(clientIp(req(peer, xff), parseTrustProxy(trust))).toBe(expected);
  });

  it('refuses a malformed CARDVAULT_TRUST_PROXY', () => {
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/prefix/);
    expect(() => parseTrustProxy('proxy.example')).toThrow(/CIDR/);
  });
});
