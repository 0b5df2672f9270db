import { CardvaultError } from '../../../src/errors';
import { assertMayManage, type KeyActor } from '../key-scopes';
import { readParams, requireSecretKey, takeKeyBudget, type RequestContext } from '../http/context';
import { int, list, ORIGIN, required, type Spec } from '../http/params';
import { sendJson } from '../http/respond';
import { renderApiKey } from './render';

const CREATE_SPEC: Spec = {
  type: { max: 12, pattern: /^(publishable|secret)$/ },
  allowed_origins: { list: true, max: 300, pattern: ORIGIN, maxItems: 50 },
};
const ROLL_SPEC: Spec = { grace_seconds: { max: 8 } };
const REVOKE_SPEC: Spec = { cascade: { max: 5, pattern: /^(true|false)$/, message: 'cascade must be true or false.' } };

/** GET /v1/api_keys — every key of the caller's account and mode (secrets are never shown again). */
export async function listApiKeys(ctx: RequestContext): Promise<void> {
  const key = await requireSecretKey(ctx);
  await takeKeyBudget(ctx, key.id);
  const now = ctx.vault.now();
  const rows = (await ctx.vault.store.listApiKeys(key.accountId)).filter((k) => k.livemode === key.livemode);
  sendJson(ctx.res, 200, { object: 'list', data: rows.map((k) => renderApiKey(k, now)) });
}

/**
 * POST /v1/api_keys — creates a publishable key of the caller's mode; the full secret is in this
 * answer only. Secret keys are the operator's to create: 403 key_management_forbidden.
 */
export async function createApiKey(ctx: RequestContext): Promise<void> {
  const key = await requireSecretKey(ctx);
  await takeKeyBudget(ctx, key.id);
  const params = await readParams(ctx, CREATE_SPEC);
  const type = required(params, 'type') as 'publishable' | 'secret';
  const origins = list(params, 'allowed_origins') ?? null;
  const actor: KeyActor = { kind: 'key', key };
  assertMayManage(actor, type, 'create');
  if (type === 'secret' && origins !== null) {
    throw new CardvaultError('parameter_invalid', { param: 'allowed_origins', message: 'Secret keys are never used from browsers; they take no allowed_origins.' });
  }
  const created = await ctx.vault.createApiKey(key.accountId, type, key.livemode, origins, undefined, actor);
  sendJson(ctx.res, 200, renderApiKey(created.row, ctx.vault.now(), created.secret));
}

/**
 * POST /v1/api_keys/{id}/revoke — a publishable key, effective at once (the in-process key cache is
 * invalidated). `cascade=true` also revokes the keys it created (`cascaded` lists them).
 */
export async function revokeApiKey(ctx: RequestContext): Promise<void> {
  const key = await requireSecretKey(ctx);
  await takeKeyBudget(ctx, key.id);
  const params = await readParams(ctx, REVOKE_SPEC);
  const { key: row, cascaded } = await ctx.vault.revokeApiKey(key.accountId, ctx.pathParams[0]!, {
    actor: { kind: 'key', key },
    cascade: params.cascade === 'true',
  });
  sendJson(ctx.res, 200, { ...renderApiKey(row, ctx.vault.now()), cascaded });
}

/** POST /v1/api_keys/{id}/roll — a publishable key: a new one now; the old one works for grace_seconds more. */
export async function rollApiKey(ctx: RequestContext): Promise<void> {
  const key = await requireSecretKey(ctx);
  await takeKeyBudget(ctx, key.id);
  const params = await readParams(ctx, ROLL_SPEC);
  const grace = int(params, 'grace_seconds', 0, 30 * 86_400) ?? 0;
  const { old, created } = await ctx.vault.rollApiKey(key.accountId, ctx.pathParams[0]!, grace, { kind: 'key', key });
  const now = ctx.vault.now();
  sendJson(ctx.res, 200, { ...renderApiKey(created.row, now, created.secret), previous: renderApiKey(old, now) });
}
