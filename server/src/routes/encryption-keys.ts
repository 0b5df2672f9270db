import type { RequestContext } from '../http/context';
import { sendJson } from '../http/respond';

/**
 * GET /v1/encryption_keys — public JWKS of the keys browsers encrypt cards to, newest first.
 * Cacheable for 5 minutes: a rotation's grace period must be longer than that.
 */
export async function listEncryptionKeys(ctx: RequestContext): Promise<void> {
  const keys = await ctx.vault.publicEncryptionKeys();
  sendJson(ctx.res, 200, { keys }, { 'Cache-Control': 'public, max-age=300' });
}
