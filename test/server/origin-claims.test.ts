/**
 * Live origins belong to one account (issue 16, item 4). The operator claims an origin for an
 * account; a live key or client token may list only origins its own account has claimed, and a live
 * tokenization is believed for a page origin only when the caller's account holds its claim. The
 * attack: another account's live key listing the merchant's origin, used from the merchant's page
 * (direct mode) or from a taken-over frame attesting the merchant's host_origin.
 */
import { CompactEncrypt, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/errors';
import { claimOrigin, listOrigins, releaseOrigin } from '../../server/src/admin/origins';
import { sha256Hex } from '../../server/src/crypto/random';
import { futureExpiry } from '../fixtures/test-cards';
import { backends, bearer, FRAME_ORIGIN, get, postForm, startTestVault, type TestVault } from './helpers';

const MERCHANT = 'https://shop.example';

function expectError(res: { status: number; body: any }, code: keyof typeof CATALOGUE): void {
  expect(res.body?.error?.code, JSON.stringify(res.body)).toBe(code);
  expect(res.status).toBe(CATALOGUE[code].status);
}

describe.each(backends())('live origin claims on $name', (backend) => {
  let v: TestVault;
  let attacker: { accountId: string; liveSecret: string };
  const admin = () => ({ vault: v.server.vault, store: v.store });

  beforeAll(async () => {
    v = await startTestVault(backend);
    // Another tenant of the same vault, with an honest live secret key from the operator.
    const account = await v.server.vault.createAccount('Attacker');
    const sk = await v.server.vault.createApiKey(account.id, 'secret', true);
    attacker = { accountId: account.id, liveSecret: sk.secret };
  });
  afterAll(async () => {
    await v?.close();
  });

  async function encryptedCard(): Promise<string> {
    const { body } = await get(`${v.url}/v1/encryption_keys`);
    const jwk = body.keys[0] as JWK & { kid: string };
    const { exp_month, exp_year } = futureExpiry();
    return new CompactEncrypt(new TextEncoder().encode(JSON.stringify({ number: '4242424242424242', exp_month, exp_year, cvc: '123' })))
      .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: jwk.kid })
      .encrypt(await importJWK(jwk, 'ECDH-ES'));
  }

  /** Tokenizes as the merchant's page would: from the frame (attesting host_origin) or directly. */
  async function tokenize(credential: Record<string, string>, mode: 'frame' | 'direct', pageOrigin = MERCHANT) {
    const form: Record<string, string> = { ...credential, encrypted_card: await encryptedCard() };
    if (mode === 'frame') form.host_origin = pageOrigin;
    return postForm(`${v.url}/v1/tokens`, form, { origin: mode === 'frame' ? FRAME_ORIGIN : pageOrigin });
  }

  it("refuses a second account's claim on a claimed origin, and lists who holds each claim", async () => {
    // The test vault's demo account holds https://shop.example (ensureDemoAccount claims its live origins).
    await expect(claimOrigin(admin(), { origin: MERCHANT, account: attacker.accountId })).rejects.toMatchObject({ code: 'origin_already_claimed' });
    // Claiming again for the holder is a no-op, not an error.
    const again = (await claimOrigin(admin(), { origin: MERCHANT, account: v.keys.accountId })) as { account: string };
    expect(again.account).toBe(v.keys.accountId);
    const listed = (await listOrigins(admin(), {})) as { origin: string; account: string }[];
    expect(listed.filter((c) => c.origin === MERCHANT)).toEqual([expect.objectContaining({ origin: MERCHANT, account: v.keys.accountId })]);
    // Only canonical origins can be claimed: what a browser sends in Origin.
    await expect(claimOrigin(admin(), { origin: 'https://Shop.example/', account: attacker.accountId })).rejects.toMatchObject({ code: 'parameter_invalid' });
  });

  it('lets exactly one of two concurrent claims by different accounts win', async () => {
    const origin = 'https://contested.example';
    const results = await Promise.allSettled([
      claimOrigin(admin(), { origin, account: v.keys.accountId }),
      claimOrigin(admin(), { origin, account: attacker.accountId }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(lost?.reason).toMatchObject({ code: 'origin_already_claimed' });
    expect(((await listOrigins(admin(), {})) as { origin: string }[]).filter((c) => c.origin === origin)).toHaveLength(1);
  });

  it("refuses another account's live key or client token listing the merchant's origin", async () => {
    const pk = await postForm(`${v.url}/v1/api_keys`, `type=publishable&allowed_origins[]=${MERCHANT}`, bearer(attacker.liveSecret));
    expectError(pk, 'origin_not_claimed');
    expect(pk.body.secret).toBeUndefined();
    const ct = await postForm(`${v.url}/v1/client_tokens`, `allowed_origins[]=${MERCHANT}`, bearer(attacker.liveSecret));
    expectError(ct, 'origin_not_claimed');
    // The operator path is held to the same rule.
    await expect(v.server.vault.createApiKey(attacker.accountId, 'publishable', true, [MERCHANT])).rejects.toMatchObject({ code: 'origin_not_claimed' });
  });

  it('lets a live key list only origins its own account has claimed', async () => {
    const unclaimed = 'https://nobody-claimed.example';
    expectError(await postForm(`${v.url}/v1/api_keys`, `type=publishable&allowed_origins[]=${unclaimed}`, bearer(attacker.liveSecret)), 'origin_not_claimed');
    await claimOrigin(admin(), { origin: 'https://attacker.example', account: attacker.accountId });
    const own = await postForm(`${v.url}/v1/api_keys`, 'type=publishable&allowed_origins[]=https://attacker.example', bearer(attacker.liveSecret));
    expect(own.status, own.text).toBe(200);
    // Test keys are unaffected: any origin, claimed or not.
    const test = await postForm(`${v.url}/v1/api_keys`, `type=publishable&allowed_origins[]=${MERCHANT}`, bearer(v.keys.secretKey));
    expect(test.status, test.text).toBe(200);
  });

  it("an attacker's live key with the merchant's origin cannot tokenize for it, from a frame or directly", async () => {
    // A key that lists the merchant's origin anyway (made before claims existed, or written by hand).
    const secret = 'pk_live_AttackerAttackerAttacker00';
    await v.store.insertApiKey({
      id: 'key_attackerlegacy00',
      accountId: attacker.accountId,
      kind: 'publishable',
      livemode: true,
      lookupHash: sha256Hex(secret),
      display: secret,
      allowedOrigins: [MERCHANT],
      createdAt: v.clock.now,
      expiresAt: null,
      revokedAt: null,
      rolledTo: null,
      createdBy: null,
    });
    for (const mode of ['frame', 'direct'] as const) {
      const res = await tokenize({ key: secret }, mode);
      expectError(res, 'origin_not_allowed');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
    // A live client token without allowed_origins is held to its account's claims too.
    const ct = await postForm(`${v.url}/v1/client_tokens`, '', bearer(attacker.liveSecret));
    expect(ct.status, ct.text).toBe(200);
    for (const mode of ['frame', 'direct'] as const) expectError(await tokenize({ client_token: ct.body.secret }, mode), 'origin_not_allowed');
    // The merchant's own live key still works from its page, both ways.
    for (const mode of ['frame', 'direct'] as const) {
      const ok = await tokenize({ key: v.keys.livePublishableKey }, mode);
      expect(ok.status, ok.text).toBe(200);
    }
  });

  it('releasing a claim stops live tokenization from that origin at once', async () => {
    const origin = 'https://moving.example';
    await claimOrigin(admin(), { origin, account: v.keys.accountId });
    const sk = await postForm(`${v.url}/v1/api_keys`, `type=publishable&allowed_origins[]=${origin}`, bearer(v.keys.liveSecretKey));
    expect(sk.status, sk.text).toBe(200);
    expect((await tokenize({ key: sk.body.secret }, 'direct', origin)).status).toBe(200);
    const released = (await releaseOrigin(admin(), { origin })) as { released: boolean; live_keys: string[] };
    expect(released.released).toBe(true);
    expect(released.live_keys).toContain(sk.body.id);
    expectError(await tokenize({ key: sk.body.secret }, 'direct', origin), 'origin_not_allowed');
    // Now another account may claim it.
    const moved = (await claimOrigin(admin(), { origin, account: attacker.accountId })) as { account: string };
    expect(moved.account).toBe(attacker.accountId);
  });
});
