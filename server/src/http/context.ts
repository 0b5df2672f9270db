import type { IncomingMessage, ServerResponse } from 'node:http';
import { CardvaultError } from '../../../src/errors';
import type { ApiKeyRow } from '../store/types';
import type { Vault } from '../vault';
import { RetryAfterError } from './errors';
import { parseForm, parseJson, readBody, type RawParams } from './body';
import { checkParams, type Params, type Spec } from './params';

/** Everything a route handler gets. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  vault: Vault;
  requestId: string;
  ip: string;
  /** The request's Origin header, if any. */
  origin: string | undefined;
  /** Path parameters (e.g. the token id). */
  pathParams: string[];
  /** Fields for the request log line (whitelisted by name in app.ts). */
  logFields: { key_id?: string; account_id?: string };
  /** Public endpoints: whether to reflect the Origin on the response. */
  setCorsAllowed(allowed: boolean): void;
}

/**
 * Reads and checks the body against `spec`. Form-encoded or JSON; anything else is 415.
 * A body-less POST (no Content-Type, empty body) has no parameters.
 */
export async function readParams(ctx: RequestContext, spec: Spec): Promise<Params> {
  const type = (ctx.req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const body = await readBody(ctx.req);
  let raw: RawParams;
  if (type === 'application/x-www-form-urlencoded') raw = parseForm(body);
  else if (type === 'application/json') raw = parseJson(body);
  else if (type === '' && body === '') raw = new Map();
  else throw new CardvaultError('unsupported_media_type');
  return checkParams(raw, spec);
}

/**
 * Authenticates a secret-key request: `Authorization: Bearer sk_…`. Publishable keys are refused
 * here (they are public), so are malformed headers.
 */
export async function requireSecretKey(ctx: RequestContext): Promise<ApiKeyRow> {
  const header = ctx.req.headers.authorization;
  const m = header === undefined ? null : /^Bearer ([A-Za-z0-9_]{1,160})$/.exec(header);
  if (!m) throw new CardvaultError('secret_key_required');
  const secret = m[1]!;
  if (!/^sk_(test|live)_[A-Za-z0-9]{16,128}$/.test(secret)) {
    throw new CardvaultError(secret.startsWith('pk_') ? 'secret_key_required' : 'api_key_invalid');
  }
  const key = await ctx.vault.authenticate(secret);
  if (key.kind !== 'secret') throw new CardvaultError('secret_key_required');
  ctx.logFields.key_id = key.id;
  ctx.logFields.account_id = key.accountId;
  return key;
}

/** Refuses a request on the secret-key's rate bucket (429 rate_limited with Retry-After). */
export async function takeKeyBudget(ctx: RequestContext, bucket: string): Promise<void> {
  await ctx.vault.abuse.checkKey(bucket);
}

export function rateLimited(seconds: number): RetryAfterError {
  return new RetryAfterError('rate_limited', seconds);
}
