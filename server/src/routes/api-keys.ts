import { CardvaultError } from '../../../src/errors';
import { readParams, requireSecretKey, takeKeyBudget, type RequestContext } from '../http/context';
import { int, list, ORIGIN, required, type Spec } from '../http/params';
import { sendJson } from '../http/respond';
import { renderApiKey } from './render';

const CREATE_SPEC: Spec = {
  type: { max: 12, pattern: /^(publishable|secret)$/ },
  allowed_origins: { list: true, max: 300, pattern: ORIGIN, maxItems: 50 },
};
const ROLL_SPEC: Spec = { grace_seconds: { max: 8 } };
const EMPTY_SPEC: Spec = {};

/** GET /v1/api_keys — every key of the caller's account and mode (secrets are never shown again). */
export async function listApiKeys(ctx: RequestContext): Promise<void> {
  const key = await requireSecretKey(ctx);
  await takeKeyBudget(ctx, key.id);
  const now = ctx.vault.now();
  const rows = (await ctx.vault.store.listApiKeys(key.accountId)).filter((k) => k.livemode === key.livemode);
  sendJson(ctx.res, 200, { object: 'list', data: rows.map((k) => renderApiKey(k, now)) });
}

/** POST /v1/api_keys — creates a key of the caller's mode; the full secret is in this answer only. */
export async function createApiKey(ctx: RequestContext): Promise<void> {
  const key = await requireSecretKey(ctx);
  await takeKeyBudget(ctx, key.id);
  const params = await readParams(ctx, CREATE_SPEC);
  const type = required(params, 'type') as 'publishable' | 'secret';
  const origins = list(params, 'allowed_origins') ?? null;
  if (type === 'secret' && origins !== null) {
    throw new CardvaultError('parameter_invalid', { param: 'allowed_origins', message: 'Secret keys are never used from browsers; they take no allowed_origins.' });
  }
  const created = await ctx.vault.createApiKey(key.accountId, type, key.livemode, origins);
  sendJson(ctx.res, 200, renderApiKey(created.row, ctx.vault.now(), created.secret));
}

/** POST /v1/api_keys/{id}/revoke — effective at once (the in-process key cache is invalidated). */
export async function revokeApiKey(ctx: RequestContext): Promise<void> {
  const key = await requireSecretKey(ctx);
  await takeKeyBudget(ctx, key.id);
  await readParams(ctx, EMPTY_SPEC);
  const row = await ctx.vault.revokeApiKey(key.accountId, ctx.pathParams[0]!);
  sendJson(ctx.res, 200, renderApiKey(row, ctx.vault.now()));
}

/** POST /v1/api_keys/{id}/roll — a new key now; the old one works for grace_seconds more. */
export async function rollApiKey(ctx: RequestContext): Promise<void> {
  const key = await requireSecretKey(ctx);
  await takeKeyBudget(ctx, key.id);
  const params = await readParams(ctx, ROLL_SPEC);
  const grace = int(params, 'grace_seconds', 0, 30 * 86_400) ?? 0;
  const { old, created } = await ctx.vault.rollApiKey(key.accountId, ctx.pathParams[0]!, grace);
  const now = ctx.vault.now();
  sendJson(ctx.res, 200, { ...renderApiKey(created.row, now, created.secret), previous: renderApiKey(old, now) });
}
