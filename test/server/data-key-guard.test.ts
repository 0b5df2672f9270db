/**
 * The database refuses a sealed value under a data key that is no longer active (issue 11): a vault
 * that has not heard of a rotation (idle, or its notification not yet in) seals again under the
 * new key instead of storing a card the rotation is about to make unreadable. In process, on
 * PGlite and (with TEST_DATABASE_URL) PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault, silentSink } from '../../server/src';
import { StaleDataKeyError } from '../../server/src/store/events';
import { backends, bearer, cardForm, postForm, startTestVault, type TestVault } from './helpers';

describe.each(backends())('data keys on $name', (backend) => {
  // One vault per backend: PGlite takes long to start on a loaded machine.
  let v: TestVault;
  beforeAll(async () => {
    v = await startTestVault(backend);
  }, 180_000);
  afterAll(async () => {
    await v?.close();
  });

  it('a vault that missed a rotation seals again under the new key; every token charges', { timeout: 120_000 }, async () => {
    const serving = v.server.vault;
    const stale = serving.envelope.activeKeyId;
    // Another vault on the same database rotates; the serving one still holds the old key id.
    const other = await Vault.create({ store: v.store, log: silentSink });
    const result = await other.rotateDataKey();
    expect(result.retired).toContain(stale);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await postForm(`${v.url}/v1/tokens`, cardForm(v.keys.publishableKey));
      expect(res.status, res.text).toBe(200);
      ids.push(res.body.id as string);
    }
    const under = await v.store.rawQuery('SELECT count(*)::int AS n FROM tokens WHERE data_key_id <> $1', [result.dataKeyId]);
    expect(under[0]!.n).toBe(0);
    for (const id of ids) {
      const res = await postForm(`${v.url}/v1/charges`, { token: id, amount: '100', currency: 'usd' }, bearer(v.keys.secretKey));
      expect(res.status, res.text).toBe(200);
    }
  });

  it('refuses a write under a key that is not active, and a second rotation while one runs', { timeout: 120_000 }, async () => {
    const old = v.server.vault.envelope.activeKeyId;
    const rotated = await v.server.vault.rotateDataKey();
    await expect(
      v.store.putSecretIfAbsent({ name: 'x', sealed: `v1.${old}.AA.AA`, dataKeyId: old, createdAt: Date.now() }),
    ).rejects.toBeInstanceOf(StaleDataKeyError);
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const held = v.store.withRotationLock(() => {
      entered();
      return new Promise<void>((r) => (release = r));
    });
    await inside;
    await expect(v.server.vault.rotateDataKey()).rejects.toThrow(/Another data-key rotation is running/);
    release();
    await held;
    expect((await v.server.vault.rotateDataKey()).retired).toEqual([rotated.dataKeyId]);
  });
});
