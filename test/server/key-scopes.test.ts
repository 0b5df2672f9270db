/**
 * Key scopes (issue 12, item 5): a secret key cannot breed, roll or revoke secret keys; every key
 * records what created it; revoking a key can revoke what it created. On PGlite, and on PostgreSQL
 * when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/errors';
import { revokeKey } from '../../server/src/admin/keys';
import { startServer } from '../../server/src';
import { backends, bearer, cardForm, get, NO_ABUSE, postForm, startTestVault, type TestVault } from './helpers';

function expectError(res: { status: number; body: any }, code: keyof typeof CATALOGUE): void {
  expect(res.body?.error?.code, JSON.stringify(res.body)).toBe(code);
  expect(res.status).toBe(CATALOGUE[code].status);
}

describe.each(backends())('key scopes on $name', (backend) => {
  let v: TestVault;
  beforeAll(async () => {
    v = await startTestVault(backend);
  });
  afterAll(async () => {
    await v?.close();
  });

  const api = (path: string): string => `${v.url}/v1/api_keys${path}`;
  /** A secret key the operator issued, as a merchant would have it (and then leak it). */
  async function operatorSecretKey(): Promise<{ id: string; secret: string }> {
    const created = await v.server.vault.createApiKey(v.keys.accountId, 'secret', false);
    return { id: created.row.id, secret: created.secret };
  }

  it('a leaked secret key cannot breed secret keys that survive its roll and revocation', async () => {
    const leaked = await operatorSecretKey();
    // The bot's strategy: breed a spare secret key before the merchant notices the leak.
    const bred = await postForm(api(''), { type: 'secret' }, bearer(leaked.secret));
    expectError(bred, 'key_management_forbidden');
    expect(bred.body.secret).toBeUndefined();
    // Nor can it keep itself alive by rolling itself into a key it holds.
    expectError(await postForm(api(`/${leaked.id}/roll`), { grace_seconds: '0' }, bearer(leaked.secret)), 'key_management_forbidden');

    // The merchant's operator rolls and revokes the leaked key.
    const { created } = await v.server.vault.rollApiKey(v.keys.accountId, leaked.id, 0);
    await v.server.vault.revokeApiKey(v.keys.accountId, leaked.id);
    expectError(await get(api(''), bearer(leaked.secret)), 'api_key_revoked');
    // No secret key of the account works other than those the operator issued.
    const keys = (await get(api(''), bearer(created.secret))).body.data as { type: string; status: string; created_by: string | null }[];
    const live = keys.filter((k) => k.type === 'secret' && (k.status === 'active' || k.status === 'rolling'));
    expect(live.length).toBeGreaterThan(0);
    for (const k of live) expect(k.created_by).toBe('operator');
  });

  it('a secret key cannot revoke or roll another secret key (no denial of service either)', async () => {
    const a = await operatorSecretKey();
    const b = await operatorSecretKey();
    expectError(await postForm(api(`/${b.id}/revoke`), '', bearer(a.secret)), 'key_management_forbidden');
    expectError(await postForm(api(`/${b.id}/roll`), '', bearer(a.secret)), 'key_management_forbidden');
    expectError(await postForm(api(`/${a.id}/revoke`), '', bearer(a.secret)), 'key_management_forbidden');
    expect((await get(api(''), bearer(b.secret))).status).toBe(200);
    expect((await get(api(''), bearer(a.secret))).status).toBe(200);
  });

  it('records what created each key; a secret key still manages publishable keys', async () => {
    const sk = await operatorSecretKey();
    const pk = await postForm(api(''), { type: 'publishable' }, bearer(sk.secret));
    expect(pk.status, pk.text).toBe(200);
    expect(pk.body.created_by).toBe(sk.id);
    const rolled = await postForm(api(`/${pk.body.id}/roll`), '', bearer(sk.secret));
    expect(rolled.status, rolled.text).toBe(200);
    expect(rolled.body.created_by).toBe(sk.id);
    const listed = (await get(api(''), bearer(sk.secret))).body.data as { id: string; created_by: string | null }[];
    expect(listed.find((k) => k.id === sk.id)?.created_by).toBe('operator');
    const revoked = await postForm(api(`/${rolled.body.id}/revoke`), '', bearer(sk.secret));
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    expectError(await postForm(`${v.url}/v1/tokens`, cardForm(rolled.body.secret)), 'api_key_revoked');
  });

  it('revoking a key with cascade revokes the keys it created, and theirs', async () => {
    const leaked = await operatorSecretKey();
    const keep = await operatorSecretKey();
    const pk1 = await postForm(api(''), { type: 'publishable' }, bearer(leaked.secret));
    const pk2 = await postForm(api(''), { type: 'publishable' }, bearer(leaked.secret));
    // A key the leaked key made by rolling one of its own: made by the leaked key too.
    const pk3 = await postForm(api(`/${pk2.body.id}/roll`), { grace_seconds: '3600' }, bearer(leaked.secret));
    const other = await postForm(api(''), { type: 'publishable' }, bearer(keep.secret));
    for (const r of [pk1, pk2, pk3, other]) expect(r.status, r.text).toBe(200);

    // Without cascade, only the key itself goes.
    const single = await operatorSecretKey();
    const child = await postForm(api(''), { type: 'publishable' }, bearer(single.secret));
    const plain = (await revokeKey({ vault: v.server.vault, store: v.store }, { id: single.id })) as { cascaded: string[] };
    expect(plain.cascaded).toEqual([]);
    expect((await postForm(`${v.url}/v1/tokens`, cardForm(child.body.secret))).status).toBe(200);

    const out = (await revokeKey({ vault: v.server.vault, store: v.store }, { id: leaked.id, cascade: true })) as {
      status: string;
      cascaded: string[];
    };
    expect(out.status).toBe('revoked');
    expect([...out.cascaded].sort()).toEqual([pk1.body.id, pk2.body.id, pk3.body.id].sort());
    for (const pk of [pk1, pk2, pk3]) expectError(await postForm(`${v.url}/v1/tokens`, cardForm(pk.body.secret)), 'api_key_revoked');
    // Keys another key made are untouched.
    expect((await postForm(`${v.url}/v1/tokens`, cardForm(other.body.secret))).status).toBe(200);
    expect((await get(api(''), bearer(keep.secret))).status).toBe(200);
  });

  it('a key revoked with cascade in one process cannot make keys in another that still caches it', async () => {
    // A second vault process on the same database: its key cache still holds the leaked key as valid.
    const other = await startServer({ port: 0, store: v.store, now: () => v.clock.now, log: () => {}, abuse: NO_ABUSE });
    try {
      const leaked = await operatorSecretKey();
      const pk = await postForm(`${other.url}/v1/api_keys`, { type: 'publishable' }, bearer(leaked.secret));
      expect(pk.status, pk.text).toBe(200);
      const out = (await revokeKey({ vault: v.server.vault, store: v.store }, { id: leaked.id, cascade: true })) as { cascaded: string[] };
      expect(out.cascaded).toEqual([pk.body.id]);
      // Within the other process's 5 s cache: it authenticates the leaked key, but the database refuses.
      const bred = await postForm(`${other.url}/v1/api_keys`, { type: 'publishable' }, bearer(leaked.secret));
      expectError(bred, 'api_key_revoked');
      expectError(await postForm(`${other.url}/v1/api_keys/${pk.body.id}/roll`, '', bearer(leaked.secret)), 'api_key_revoked');
      const keys = await v.store.listApiKeys(v.keys.accountId);
      expect(keys.filter((k) => k.createdBy === leaked.id && k.revokedAt === null)).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('takes cascade on the API revoke, and refuses an unknown key of another account', async () => {
    const sk = await operatorSecretKey();
    const pk = await postForm(api(''), { type: 'publishable' }, bearer(sk.secret));
    const r = await postForm(api(`/${pk.body.id}/revoke`), { cascade: 'true' }, bearer(sk.secret));
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ id: pk.body.id, status: 'revoked', cascaded: [] });
    expectError(await postForm(api(`/${pk.body.id}/revoke`), { cascade: 'maybe' }, bearer(sk.secret)), 'parameter_invalid');
    expectError(await postForm(api('/key_0000000000000000/revoke'), '', bearer(sk.secret)), 'resource_missing');
  });
});
