/**
 * Several vaults on one PostgreSQL enforce the limits one vault does (issue 12, item 4): two
 * `cardvault-vault serve` processes on one schema (CARDVAULT_PG_SCHEMA), a bot alternating between
 * them; two in-process vaults with a frozen clock for the rate bucket; the operator's CLI on the
 * shared tables. PostgreSQL only: PGlite is one process by construction.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoAccount, openStore, startServer, Vault } from '../../server/src';
import type { RunningServer } from '../../server/src/app';
import { invalid, visa } from './card-numbers';
import { bearer, cardForm, postForm, type Res } from './helpers';

const pgUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
if (!pgUrl) console.warn('\n*** card-testing-shared: PostgreSQL suite NOT run: set TEST_DATABASE_URL. ***\n');

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'server/src/cli.ts');
const kek = randomBytes(32).toString('base64');

/** Runs the CLI without blocking the event loop (keep-alive sockets to the vaults stay serviced). */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, env, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function isBlock(r: Res): boolean {
  return r.status === 429 && r.body?.error?.code === 'card_testing_suspected';
}

describe.skipIf(!pgUrl)('limits shared by vaults on one PostgreSQL', () => {
  const schema = `cv_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'cardvault-shared-'));
  const env = { ...process.env, DATABASE_URL: pgUrl!, CARDVAULT_PG_SCHEMA: schema, CARDVAULT_KEK: kek, CARDVAULT_KEK_FILE: '' };
  const children: ChildProcess[] = [];
  let keys: { publishableKey: string; secretKey: string };

  function serve(): Promise<string> {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--port', '0', '--data-dir', dir], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`vault did not start: ${out}`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`vault exited (${code}): ${out}`)));
    });
  }

  beforeAll(async () => {
    const store = await openStore({ databaseUrl: pgUrl!, schema, poolSize: 2 });
    try {
      const vault = await Vault.create({ store, kek, log: () => {} });
      await vault.ensureEncryptionKey();
      keys = await ensureDemoAccount(vault);
    } finally {
      await store.close();
    }
  }, 60_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('two vault processes let one IP and key through 10 distinct cards and 10 invalid ones, as one does; the CLI lists and clears', async () => {
    const vaults = await Promise.all([serve(), serve()]);
    // The vaults run on the real clock: never count across the end of a 10-minute window.
    const toBoundary = 600_000 - (Date.now() % 600_000);
    if (toBoundary < 60_000) await new Promise((r) => setTimeout(r, toBoundary + 500));
    let through = 0;
    let sent = 0;
    for (let i = 0; i < 60; i++) {
      sent++;
      const r = await postForm(`${vaults[i % 2]}/v1/tokens`, cardForm(keys.publishableKey, visa(i, 11)));
      if (isBlock(r)) break;
      expect(r.status, r.text).toBe(200);
      through++;
    }
    console.log(`[card-testing] two vaults, PostgreSQL: distinct valid cards, one IP, one key: ${through} of ${sent} got through before the block`);
    expect(through).toBe(10);

    // Another key of the same shop: invalid numbers, alternating vaults.
    const other = (await postForm(`${vaults[0]}/v1/api_keys`, { type: 'publishable' }, bearer(keys.secretKey))).body.secret as string;
    let failures = 0;
    sent = 0;
    for (let i = 0; i < 60; i++) {
      sent++;
      const r = await postForm(`${vaults[i % 2]}/v1/tokens`, cardForm(other, invalid(i, 12)));
      if (isBlock(r)) break;
      expect(r.body.error.code).toBe('invalid_number');
      failures++;
    }
    console.log(`[card-testing] two vaults, PostgreSQL: invalid cards, one IP, one key: ${failures} failures before the block (${sent} sent)`);
    expect(failures).toBe(10);

    const list = await runCli(['blocks', 'list', '--data-dir', dir], env);
    expect(list.status, list.stderr).toBe(0);
    const blocks = (JSON.parse(list.stdout) as { blocks: { kind: string; ip: string; key: string; reason: string }[] }).blocks;
    expect(blocks.filter((b) => b.kind === 'ip_key' && b.ip === '127.0.0.1')).toHaveLength(2);
    expect(list.stdout).not.toContain(visa(0, 11));

    const clear = await runCli(['blocks', 'clear', '--ip', '127.0.0.1', '--data-dir', dir], env);
    expect(clear.status, clear.stderr).toBe(0);
    expect(JSON.parse(clear.stdout)).toEqual({ cleared: 2 });
    // Both vaults see the clearing at once.
    expect((await postForm(`${vaults[1]}/v1/tokens`, cardForm(keys.publishableKey, visa(500, 11)))).status).toBe(200);
    expect((await postForm(`${vaults[0]}/v1/tokens`, cardForm(other))).status).toBe(200);
  }, 180_000);

  describe('the rate bucket', () => {
    const servers: RunningServer[] = [];
    afterEach(async () => {
      for (const s of servers.splice(0)) await s.close();
    });
    /** Two in-process vaults on the schema with one per-IP bucket and a clock frozen at start. */
    async function twoVaults(perIp: { rate: number; burst: number }): Promise<void> {
      const now = Date.now();
      for (let i = 0; i < 2; i++) {
        servers.push(await startServer({ port: 0, databaseUrl: pgUrl!, schema, kek, now: () => now, log: () => {}, abuse: { perIp, perKey: false, cardTesting: false } }));
      }
    }

    it('two vaults share one per-IP bucket', async () => {
      await twoVaults({ rate: 1, burst: 20 });
      let ok = 0;
      for (let i = 0; i < 60; i++) {
        const r = await postForm(`${servers[i % 2]!.url}/v1/tokens`, cardForm(keys.publishableKey));
        if (r.status === 200) ok++;
        else expect(r.body.error.code).toBe('rate_limited');
      }
      console.log(`[card-testing] two vaults, PostgreSQL: ${ok} of 60 requests through a 20-request per-IP bucket`);
      expect(ok).toBe(20);
    }, 120_000);

    it('two vaults take a busy per-IP bucket a lease at a time: never more than it holds, a fraction of the database writes', async () => {
      // 400 tokens, 1,000/s: each vault takes 20 per trip (1/20 of the burst). The clock is frozen,
      // so the bucket never refills and exactly what it holds can be counted.
      await twoVaults({ rate: 1000, burst: 400 });
      // Counts every write to the shared buckets: the row each request used to queue on.
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      let writes: number;
      try {
        await client.query(`SET search_path TO ${schema}`);
        await client.query('DELETE FROM abuse_buckets');
        await client.query('CREATE SEQUENCE IF NOT EXISTS bucket_writes');
        await client.query(`CREATE OR REPLACE FUNCTION count_bucket_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM nextval('${schema}.bucket_writes'); RETURN NULL; END $$`);
        await client.query('CREATE OR REPLACE TRIGGER bucket_writes AFTER INSERT OR UPDATE ON abuse_buckets FOR EACH ROW EXECUTE FUNCTION count_bucket_write()');
        let ok = 0;
        // 600 requests, 8 at a time on each vault in turn: concurrent requests wait for a lease on its way.
        for (let batch = 0; batch < 75; batch++) {
          const url = servers[batch % 2]!.url;
          const rs = await Promise.all(Array.from({ length: 8 }, () => postForm(`${url}/v1/tokens`, cardForm(keys.publishableKey))));
          for (const r of rs) {
            if (r.status === 200) ok++;
            else expect(r.body.error.code).toBe('rate_limited');
          }
        }
        const seq = await client.query<{ last_value: string; is_called: boolean }>('SELECT last_value, is_called FROM bucket_writes');
        writes = seq.rows[0]!.is_called ? Number(seq.rows[0]!.last_value) : 0;
        console.log(`[card-testing] two vaults, leased bucket: ${ok} of 600 requests through a 400-token per-IP bucket, ${writes} bucket writes`);
        // Tokens are taken before they are spent: never more than the bucket; at most one lease
        // (19 tokens) per vault left unspent.
        expect(ok).toBeLessThanOrEqual(400);
        expect(ok).toBeGreaterThanOrEqual(400 - 2 * 19);
      } finally {
        await client.query('DROP TRIGGER IF EXISTS bucket_writes ON abuse_buckets');
        await client.end();
      }
      // One write per request before leases (600); one per lease and per refusal not yet remembered now.
      expect(writes).toBeLessThan(100);
    }, 120_000);

    it('a burst of distinct cards: exactly the limit gets through, in a fraction of the abuse statements', async () => {
      const server = await startServer({ port: 0, databaseUrl: pgUrl!, schema, kek, log: () => {}, abuse: { perIp: false, perKey: false, cardTesting: { maxCardsPerIpKey: 40, maxCardsPerIp: 100 } } });
      servers.push(server);
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      try {
        await client.query(`SET search_path TO ${schema}`);
        // Earlier tests of this file counted cards from this IP with this key: start afresh.
        await client.query('TRUNCATE abuse_seen, abuse_counts, abuse_blocks');
        await client.query('CREATE SEQUENCE IF NOT EXISTS admit_statements');
        await client.query(`CREATE OR REPLACE FUNCTION count_admit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM nextval('${schema}.admit_statements'); RETURN NULL; END $$`);
        // One per statement that records seen cards: each tokenization's abuse trip.
        await client.query('CREATE OR REPLACE TRIGGER admit_statements AFTER INSERT ON abuse_seen FOR EACH STATEMENT EXECUTE FUNCTION count_admit()');
        const before = await client.query<{ n: string }>("SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM admit_statements");
        // 60 distinct cards at once from one IP with one key (limit: 40 per IP and key).
        const rs = await Promise.all(Array.from({ length: 60 }, (_, i) => postForm(`${server.url}/v1/tokens`, cardForm(keys.publishableKey, visa(i, 41)))));
        const after = await client.query<{ n: string }>("SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM admit_statements");
        const statements = Number(after.rows[0]!.n) - Number(before.rows[0]!.n);
        const ok = rs.filter((r) => r.status === 200).length;
        console.log(`[card-testing] one vault, 60 distinct cards at once: ${ok} tokenized, ${statements} abuse statements`);
        expect(ok).toBe(40);
        for (const r of rs) if (r.status !== 200) expect(r.body.error.code).toBe('card_testing_suspected');
        // One statement per tokenization before batching (41 or more: the 41st card is refused, the rest
        // mostly without a trip); now fewer statements than tokenizations (8-20 on a quiet machine).
        expect(statements).toBeLessThan(ok);
      } finally {
        await client.query('DROP TRIGGER IF EXISTS admit_statements ON abuse_seen');
        await client.end();
      }
    }, 120_000);
  });
});
