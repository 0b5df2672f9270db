/**
 * The client's IP address, which every limit is keyed on. A client can write any
 * `X-Forwarded-For` it likes; only the entries appended by proxies we trust are believed.
 *
 * - No proxy (default): the socket's peer address. X-Forwarded-For is ignored.
 * - `hops: N` (CARDVAULT_TRUST_PROXY=N): N proxies in front, each appending the address it saw.
 *   The client is the Nth address from the right of X-Forwarded-For; anything further left was
 *   written by the client and is never used. A shorter header means the request did not come
 *   through all N proxies: the peer address is used.
 * - `cidrs` (CARDVAULT_TRUST_PROXY=10.0.0.0/8,…): walk from the peer address leftwards through
 *   X-Forwarded-For while the address is a trusted proxy; the first untrusted one is the client.
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

export type TrustProxy = { hops: number } | { cidrs: BlockList };

/** Parses CARDVAULT_TRUST_PROXY: empty or 0 (none), a number of proxies, or comma-separated CIDRs. */
export function parseTrustProxy(value: string | undefined): TrustProxy | null {
  const v = value?.trim() ?? '';
  if (v === '' || v === '0' || v === 'false') return null;
  if (/^[0-9]{1,2}$/.test(v)) return { hops: Number(v) };
  const list = new BlockList();
  for (const part of v.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [addr, bits] = part.split('/');
    const type = isIP(addr ?? '');
    if (type === 0) throw new Error(`CARDVAULT_TRUST_PROXY: not an IP address or CIDR: ${part}`);
    const family = type === 4 ? 'ipv4' : 'ipv6';
    const prefix = bits === undefined ? (type === 4 ? 32 : 128) : Number(bits);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (type === 4 ? 32 : 128)) throw new Error(`CARDVAULT_TRUST_PROXY: bad prefix in ${part}`);
    list.addSubnet(addr!, prefix, family);
  }
  return { cidrs: list };
}

/** `::ffff:1.2.3.4` (an IPv4 client on a dual-stack socket) is 1.2.3.4. */
function normalize(ip: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return m ? m[1]! : ip;
}

function trusted(list: BlockList, ip: string): boolean {
  const type = isIP(ip);
  return type !== 0 && list.check(ip, type === 4 ? 'ipv4' : 'ipv6');
}

/** The client IP of `req` under `trust` (null: no proxy is trusted). */
export function clientIp(req: IncomingMessage, trust: TrustProxy | null): string {
  const peer = normalize(req.socket.remoteAddress ?? 'unknown');
  if (trust === null) return peer;
  const header = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => normalize(s.trim()))
    .filter(Boolean);
  if ('hops' in trust) {
    if (trust.hops === 0) return peer;
    // The rightmost N entries were appended by our N proxies; the Nth from the right is the client.
    const entry = chain[chain.length - trust.hops];
    return entry !== undefined && isIP(entry) !== 0 ? entry : peer;
  }
  let ip = peer;
  for (let i = chain.length - 1; i >= 0 && trusted(trust.cidrs, ip); i--) {
    const entry = chain[i]!;
    // Garbage where an address should be: stop at the last trusted hop's view.
    if (isIP(entry) === 0) break;
    ip = entry;
  }
  return ip;
}
