import type { ServerResponse } from 'node:http';
import { CATALOGUE, CardvaultError, isCardvaultError } from '../../../src/errors';

/** Public (browser) responses expose these to the SDK's JavaScript. */
const EXPOSED = 'Request-Id, Retry-After';

export interface CorsDecision {
  /** The origin to reflect, or null to send no Access-Control-Allow-Origin. */
  allow: string | null;
}

/**
 * CORS for public endpoints only: reflect the request's Origin when it is allowed (never `*`,
 * and never with credentials), always `Vary: Origin` so caches keep per-origin answers apart.
 */
export function applyCors(res: ServerResponse, origin: string | undefined, allowed: boolean): void {
  res.setHeader('Vary', 'Origin');
  if (origin !== undefined && allowed) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED);
  } else {
    res.removeHeader('Access-Control-Allow-Origin');
    res.removeHeader('Access-Control-Expose-Headers');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.end(json);
}

export interface ErrorBody {
  error: { type: string; code: string; param?: string; message: string; request_id: string; [extra: string]: unknown };
}

/**
 * The one error shape: `{ error: { type, code, param?, message, request_id } }`, the status from
 * the catalogue. Anything that is not a CardvaultError becomes a bare `api_error`: no message,
 * no stack trace leaves the server.
 */
export function errorBody(error: unknown, requestId: string, extra: Record<string, unknown> = {}): { status: number; body: ErrorBody } {
  const e = isCardvaultError(error) ? error : new CardvaultError('api_error');
  const entry = CATALOGUE[e.code];
  const body: ErrorBody = { error: { type: entry.type, code: e.code, message: e.message, request_id: requestId, ...extra } };
  if (e.param !== undefined) body.error.param = e.param;
  return { status: entry.status || 500, body };
}
