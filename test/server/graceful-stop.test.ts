/**
 * Graceful stop: a vault under load (tokenizations and charges over keep-alive connections) is sent
 * SIGTERM. No request is reset: each is answered, or refused before it was accepted (a new
 * connection after the listener closed). Every request carries an idempotency key, and the
 * database also proves that none the vault accepted was lost half-way. The vault exits 0, and in
 * the database no token is used without its charge and no used token still holds its CVC. PGlite,
 * and PostgreSQL when TEST_DATABASE_URL is set.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, Vault } from '../../server/src';
import { aadFor } from '../../server/src/crypto/envelope';
import { bearer, cardForm } from './helpers';
import { baseEnv, Children, logLines, pgSchema, pgUrl } from './processes';

interface Setup {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  storeOptions: { dataDir: string } | { databaseUrl: string };
  cleanup(): Promise<void>;
}

const setups: Array<[string, () => Promise<Setup>]> = [
  [
    'PGlite',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'cardvault-stop-'));
      return { env: baseEnv(), dataDir, storeOptions: { dataDir }, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
    },
  ],
];
if (pgUrl) {
  setups.push([
    'PostgreSQL',
    async () => {
      const db = await pgSchema();
      const dataDir = mkdtempSync(join(tmpdir(), 'cardvault-stop-pg-'));
      const env = baseEnv({ DATABASE_URL: db.url, CARDVAULT_KEK: randomBytes(32).toString('base64') });
      return {
        env,
        dataDir,
        storeOptions: { databaseUrl: db.url },
        async cleanup() {
          rmSync(dataDir, { recursive: true, force: true });
          await db.drop();
        },
      };
    },
  ]);
}

type Outcome = 'answered' | 'refused' | 'reset';

/** One request: answered (any HTTP status), refused (never accepted) or reset (accepted, then lost). */
const resetReasons: string[] = [];

async function attempt(url: string, init: RequestInit): Promise<{ outcome: Outcome; status?: number; body?: any }> {
  try {
    const res = await fetch(url, init);
    const text = await res.text();
    return { outcome: 'answered', status: res.status, body: text ? JSON.parse(text) : null };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code !== 'ECONNREFUSED') resetReasons.push(`${cause?.code}: ${cause?.message} (${init.method} ${new URL(url).pathname})`);
    return { outcome: cause?.code === 'ECONNREFUSED' ? 'refused' : 'reset' };
  }
}

function form(data: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', body: new URLSearchParams(data).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } };
}

describe.each(setups)('SIGTERM under load (%s)', (_name, make) => {
  const children = new Children();
  afterEach(() => children.killAll());

  it('answers every accepted request, exits 0, and leaves no used token without its charge or with its CVC', { timeout: 300_000 }, async () => {
    const s = await make();
    try {
      const init = await children.run(['init', '--data-dir', s.dataDir], s.env, 120_000);
      expect(init.code, init.stderr).toBe(0);
      const keys = JSON.parse(init.stdout) as { publishable_key: string; secret_key: string };
      const vault = await children.serve(['--data-dir', s.dataDir], s.env);

      const counts: Record<Outcome, number> = { answered: 0, refused: 0, reset: 0 };
      /** Idempotency keys of requests that failed after connecting (checked in the database below). */
      const lostTokens: string[] = [];
      const lostCharges: string[] = [];
      const tokens: string[] = [];
      const charges: string[] = [];
      let inFlight = 0;
      let signalled = false;
      let inFlightAtSignal = 0;
      const track = async <T extends { outcome: Outcome }>(p: Promise<T>): Promise<T> => {
        inFlight++;
        try {
          const r = await p;
          counts[r.outcome]++;
          return r;
        } finally {
          inFlight--;
        }
      };
      // Each worker keeps one request in flight until the vault refuses it (it has stopped listening).
      const tokenizer = async (): Promise<void> => {
        for (let i = 0; i < 10_000; i++) {
          const idem = `stop-${randomBytes(8).toString('hex')}`;
          const r = await track(attempt(`${vault.url}/v1/tokens`, form(cardForm(keys.publishable_key, '4242424242424242', { idempotency_key: idem }))));
          if (r.outcome === 'reset') lostTokens.push(idem);
          if (r.outcome !== 'answered') return;
          if (r.status === 200) tokens.push(r.body.id);
        }
      };
      const charger = async (): Promise<void> => {
        for (let i = 0; i < 10_000; i++) {
          const idem = `stop-${randomBytes(8).toString('hex')}`;
          const t = await track(attempt(`${vault.url}/v1/tokens`, form(cardForm(keys.publishable_key, '4242424242424242', { idempotency_key: idem }))));
          if (t.outcome === 'reset') lostTokens.push(idem);
          if (t.outcome !== 'answered') return;
          if (t.status !== 200) continue;
          tokens.push(t.body.id);
          const c = await track(
            attempt(`${vault.url}/v1/charges`, form({ token: t.body.id, amount: '1000', currency: 'usd' }, { ...bearer(keys.secret_key), 'idempotency-key': idem })),
          );
          if (c.outcome === 'reset') lostCharges.push(idem);
          if (c.outcome !== 'answered') return;
          if (c.status === 200) charges.push(c.body.id);
        }
      };
      const workers = [...Array.from({ length: 4 }, tokenizer), ...Array.from({ length: 4 }, charger)];
      const until = Date.now() + 20_000;
      while (charges.length < 20 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      inFlightAtSignal = inFlight;
      const signalAt = Date.now();
      signalled = vault.child.kill('SIGTERM');
      await Promise.all(workers);
      const exit = await vault.exit;
      const stopMs = Date.now() - signalAt;
      const done = logLines(exit.stdout).find((l) => l.msg === 'shutdown_complete');
      console.info(
        `[${_name}] SIGTERM under load: ${JSON.stringify({ ...counts, inFlightAtSignal, tokens: tokens.length, charges: charges.length, stopMs, exit: exit.code, server: done })} ${resetReasons.join('; ')}`,
      );

      expect(signalled).toBe(true);
      // Positive control: requests were in flight when the signal came, and some were refused after.
      expect(inFlightAtSignal).toBeGreaterThan(0);
      expect(counts.refused + counts.reset).toBeGreaterThan(0);
      // The database after the stop (opened in this process now that the vault is gone).
      const store = await openStore(s.storeOptions);
      try {
        const orphans = await store.rawQuery(
          'SELECT t.id FROM tokens t WHERE t.used_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM charges c WHERE c.token_id = t.id)',
        );
        // No request the vault accepted was cut half-way (it would have left a trace).
        const accepted = async (table: string, keys: string[]): Promise<string[]> =>
          (await store.rawQuery(`SELECT idempotency_key FROM ${table} WHERE idempotency_key = ANY($1)`, [keys])).map((r) => String(r.idempotency_key));
        const acceptedThenReset = { tokens: await accepted('idempotency_keys', lostTokens), charges: await accepted('charge_idempotency_keys', lostCharges) };
        console.info(`[${_name}] reset after the vault accepted them: ${acceptedThenReset.tokens.length} tokenizations, ${acceptedThenReset.charges.length} charges; used tokens without a charge: ${orphans.length}`);
        expect(acceptedThenReset).toEqual({ tokens: [], charges: [] });
        expect(orphans).toEqual([]);
        const stored = new Set((await store.rawQuery('SELECT id FROM charges')).map((r) => String(r.id)));
        expect(charges.filter((id) => !stored.has(id))).toEqual([]);
        const storedTokens = new Set((await store.rawQuery('SELECT id FROM tokens')).map((r) => String(r.id)));
        expect(tokens.filter((id) => !storedTokens.has(id))).toEqual([]);
        const v = await Vault.create({ store, env: s.env, log: () => {} });
        const used = await store.rawQuery('SELECT id, card_sealed FROM tokens WHERE used_at IS NOT NULL');
        expect(used.length).toBeGreaterThanOrEqual(charges.length);
        for (const row of used) {
          const card = JSON.parse(await v.envelope.openText(String(row.card_sealed), aadFor('tokens', String(row.id)))) as Record<string, unknown>;
          expect(card.cvc, `CVC kept on used token ${String(row.id)}`).toBeUndefined();
        }
      } finally {
        await store.close();
      }
      expect(counts.reset, `${JSON.stringify(counts)} ${resetReasons.join('; ')}`).toBe(0);
      expect(exit.code, exit.stderr).toBe(0);
      expect(exit.timedOut).toBe(false);
      expect(done).toMatchObject({ cut: 0 });
    } finally {
      children.killAll();
      await s.cleanup();
    }
  });
});
