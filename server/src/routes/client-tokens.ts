import { CardvaultError } from '../../../src/errors';
import { readParams, requireSecretKey, takeKeyBudget, type RequestContext } from '../http/context';
import { int, list, ORIGIN, type Spec } from '../http/params';
import { sendJson } from '../http/respond';
import { sec } from './render';

const SPEC: Spec = {
  max_uses: { max: 6 },
  ttl_seconds: { max: 6 },
  allowed_origins: { list: true, max: 300, pattern: ORIGIN, maxItems: 20 },
};

/**
 * POST /v1/client_tokens — secret key. Mints a short-lived capability the merchant's server hands
 * to the page instead of a publishable key: bound to the account and mode, optionally to origins,
 * with a use count kept in the database and a TTL.
 */
export async function createClientToken(ctx: RequestContext): Promise<void> {
  const key = await requireSecretKey(ctx);
  await takeKeyBudget(ctx, key.id);
  const params = await readParams(ctx, SPEC);
  const maxUses = int(params, 'max_uses', 1, 1000) ?? 1;
  const ttlSeconds = int(params, 'ttl_seconds', 10, 86_400) ?? 900;
  const origins = list(params, 'allowed_origins');
  if (origins !== undefined && origins.length === 0) {
    throw new CardvaultError('parameter_invalid', { param: 'allowed_origins', message: 'allowed_origins must not be empty when sent.' });
  }
  const created = await ctx.vault.createClientToken(key.accountId, key.livemode, {
    maxUses,
    ttlSeconds,
    allowedOrigins: origins ?? null,
  });
  sendJson(ctx.res, 200, {
    id: created.id,
    object: 'client_token',
    livemode: key.livemode,
    secret: created.secret,
    expires_at: sec(created.expiresAt),
    max_uses: maxUses,
    allowed_origins: origins ?? null,
  });
}
