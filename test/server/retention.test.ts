/**
 * Retention: an unused token is deleted (sealed card, CVC and idempotency record with it) within
 * 60 s of its expiry by the sweeper every vault runs, and from its expiry a secret GET answers 404
 * with no card details. A used token stays, without its CVC. Real vault processes with a 2 s token
 * lifetime; PGlite, and PostgreSQL (two vaults sweeping one database) when TEST_DATABASE_URL is set.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, Vault } from '../../server/src';
import { aadFor } from '../../server/src/crypto/envelope';
import { bearer, cardForm, get, postForm } from './helpers';
import { baseEnv, Children, logLines, pgSchema, pgUrl, type Vault as VaultProcess } from './processes';

interface Setup {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  storeOptions: { dataDir: string } | { databaseUrl: string };
  vaults: number;
  cleanup(): Promise<void>;
}

const setups: Array<[string, () => Promise<Setup>]> = [
  [
    'PGlite',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'cardvault-retention-'));
      return {
        env: baseEnv({ CARDVAULT_TOKEN_TTL_SECONDS: '2' }),
        dataDir,
        storeOptions: { dataDir },
        vaults: 1,
        cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
      };
    },
  ],
];
if (pgUrl) {
  setups.push([
    'PostgreSQL',
    async () => {
      const db = await pgSchema();
      const dataDir = mkdtempSync(join(tmpdir(), 'cardvault-retention-pg-'));
      return {
        env: baseEnv({ CARDVAULT_TOKEN_TTL_SECONDS: '2', DATABASE_URL: db.url, CARDVAULT_KEK: randomBytes(32).toString('base64') }),
        dataDir,
        storeOptions: { databaseUrl: db.url },
        vaults: 2,
        async cleanup() {
          rmSync(dataDir, { recursive: true, force: true });
          await db.drop();
        },
      };
    },
  ]);
}

/** Waits (bounded) for a vault's log line about deleted tokens. */
async function deletionLog(vault: VaultProcess, out: { text: string }, withinMs: number): Promise<Record<string, unknown> | undefined> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    const line = logLines(out.text).find((l) => l.msg === 'expired_tokens_deleted');
    if (line) return line;
    if (vault.child.exitCode !== null) return undefined;
    await new Promise((r) => setTimeout(r, 200));
  }
  return undefined;
}

describe.each(setups)('token retention (%s)', (name, make) => {
  const children = new Children();
  afterEach(() => children.killAll());

  it('deletes an unused token within 60 s of expiry and answers 404 from its expiry', { timeout: 300_000 }, async () => {
    const s = await make();
    try {
      const init = await children.run(['init', '--data-dir', s.dataDir], s.env, 120_000);
      expect(init.code, init.stderr).toBe(0);
      const keys = JSON.parse(init.stdout) as { publishable_key: string; secret_key: string };
      const vaults: VaultProcess[] = [];
      const outs: Array<{ text: string }> = [];
      for (let i = 0; i < s.vaults; i++) {
        const v = await children.serve(['--data-dir', s.dataDir], s.env);
        const out = { text: '' };
        v.child.stdout!.on('data', (c: Buffer) => (out.text += c.toString()));
        vaults.push(v);
        outs.push(out);
      }
      const url = vaults[0]!.url;

      const unused = await postForm(`${url}/v1/tokens`, cardForm(keys.publishable_key, '4242424242424242', { idempotency_key: 'retention-1' }));
      expect(unused.status, unused.text).toBe(200);
      const spent = await postForm(`${url}/v1/tokens`, cardForm(keys.publishable_key));
      expect(spent.status, spent.text).toBe(200);
      const charge = await postForm(`${url}/v1/charges`, { token: spent.body.id, amount: '500', currency: 'usd' }, bearer(keys.secret_key));
      expect(charge.status, charge.text).toBe(200);
      const before = await get(`${url}/v1/tokens/${unused.body.id}`, bearer(keys.secret_key));
      expect(before.status, before.text).toBe(200);
      expect(before.body.card.last4).toBe('4242');

      // From its expiry (2 s), the token is gone for the API, even before the sweep deletes it.
      const expiresAt = unused.body.expires_at * 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, expiresAt + 1100 - Date.now())));
      const after = await get(`${url}/v1/tokens/${unused.body.id}`, bearer(keys.secret_key));
      expect(after.status, after.text).toBe(404);
      expect(after.body.error.code).toBe('resource_missing');
      expect(after.text).not.toContain('4242');
      expect(after.body.card).toBeUndefined();

      // A sweep deletes it, and says how long after its expiry (the policy: 60 s at most).
      const logs = await Promise.all(vaults.map((v, i) => deletionLog(v, outs[i]!, 75_000)));
      const deleted = logs.filter((l) => l !== undefined);
      expect(deleted.length, outs.map((o) => o.text).join('\n')).toBeGreaterThan(0);
      const lateness = Math.max(...deleted.map((l) => Number(l!.max_ms_after_expiry)));
      expect(lateness).toBeLessThanOrEqual(60_000);
      // Vaults sweeping one database at once delete each token once and never fail.
      expect(deleted.reduce((n, l) => n + Number(l!.deleted), 0)).toBe(1);
      for (const o of outs) expect(o.text).not.toContain('retention_sweep_failed');
      console.info(`[${name}] unused token deleted ${lateness} ms after its expiry (sweep every 15 s)`);

      for (const v of vaults) v.child.kill('SIGTERM');
      for (const v of vaults) expect((await v.exit).code).toBe(0);

      const store = await openStore(s.storeOptions);
      try {
        expect(await store.getToken(unused.body.id)).toBeNull();
        expect(await store.rawQuery('SELECT 1 FROM idempotency_keys WHERE token_id = $1', [unused.body.id])).toEqual([]);
        // The used token stays (its charge refers to it), without its CVC.
        const kept = await store.getToken(spent.body.id);
        expect(kept?.usedAt).not.toBeNull();
        const v = await Vault.create({ store, env: s.env, log: () => {} });
        const card = JSON.parse(await v.envelope.openText(kept!.cardSealed, aadFor('tokens', kept!.id))) as Record<string, unknown>;
        expect(card.number).toBe('4242424242424242');
        expect(card.cvc).toBeUndefined();
      } finally {
        await store.close();
      }
    } finally {
      children.killAll();
      await s.cleanup();
    }
  });
});
