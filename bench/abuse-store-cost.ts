// The database cost of the shared abuse counters, apart from HTTP and crypto: on PostgreSQL, N
// concurrent loops for a fixed time, each doing what one tokenization does to the database —
// (a) the token insert alone, (b) the insert plus the abuse statement of a tokenization (admit) —
// interleaved, in a fresh schema. Run: TEST_DATABASE_URL=… node --import tsx bench/abuse-store-cost.ts
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore } from '../server/src/store/open';
import type { SqlStore } from '../server/src/store/sql-store';

const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!url) throw new Error('Set TEST_DATABASE_URL.');
const concurrency = Number(process.env.CONCURRENCY ?? 32);
const durationMs = Number(process.env.DURATION_MS ?? 3000);
const rounds = Number(process.env.ROUNDS ?? 3);
const schema = `cv_bench_${randomBytes(4).toString('hex')}`;
const CARDS = Array.from({ length: 6 }, (_, i) => `fp_${i}`);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

async function run(store: SqlStore, withAbuse: boolean): Promise<{ perSecond: number; p50: number; p99: number }> {
  const lat: number[] = [];
  let n = 0;
  const stop = performance.now() + durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < stop) {
      const t0 = performance.now();
      const now = Date.now();
      const fp = CARDS[n++ % CARDS.length]!;
      if (withAbuse) {
        await store.abuse.admit({
          buckets: [{ name: 'ip:127.0.0.1', rate: 1e9, burst: 1e9 }, { name: 'key:key_bench', rate: 1e9, burst: 1e9 }],
          blockScopes: ['ip:127.0.0.1', 'key:key_bench', 'ipkey:127.0.0.1 key_bench', `card:${fp}`],
          scopes: [
            { scope: 'ipkey:127.0.0.1 key_bench', ip: '127.0.0.1', principal: 'key_bench' },
            { scope: 'ip:127.0.0.1', ip: '127.0.0.1', principal: null },
            { scope: 'key:key_bench', ip: null, principal: 'key_bench' },
          ],
          fingerprint: fp,
          win: Math.floor(now / 600_000),
          now,
        });
      }
      const id = `tok_${randomBytes(12).toString('hex')}`;
      await store.createToken({
        token: { id, accountId: 'acct_bench', livemode: false, cardSealed: 'x'.repeat(300), dataKeyId: 'dk', fingerprint: fp, brand: 'visa', last4: '4242', expMonth: 12, expYear: 2034, clientTokenId: null, createdAt: now, expiresAt: now + 900_000, usedAt: null },
      });
      lat.push(performance.now() - t0);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { perSecond: (lat.length / (performance.now() - t0)) * 1000, p50: pct(lat, 50), p99: pct(lat, 99) };
}

const store = await openStore({ databaseUrl: url, schema, poolSize: 10 });
try {
  await run(store, true); // warm-up: prepared statements, rows
  for (let r = 0; r < rounds; r++) {
    for (const withAbuse of [false, true]) {
      const x = await run(store, withAbuse);
      console.log(`round ${r + 1} ${withAbuse ? 'insert + abuse' : 'insert only   '}: ${x.perSecond.toFixed(0)}/s p50 ${x.p50.toFixed(2)} ms p99 ${x.p99.toFixed(2)} ms (c=${concurrency}, pool 10)`);
    }
  }
} finally {
  await store.close();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
}
