// The vault load generator: a separate process (child_process.fork from vault-throughput.mjs), so
// the client's CPU is not the server's. Closed loop: `concurrency` workers, each sending one
// POST /v1/tokens at a time over keep-alive connections, for a fixed time. Reports counts and the
// latency of every successful request to the parent over IPC.
import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';

// Approved test cards (docs/CONTRACT.md), rotated so fingerprints vary like real traffic.
const CARDS = [
  ['4242424242424242', '123'],
  ['5555555555554444', '123'],
  ['378282246310005', '1234'],
  ['6011111111111117', '123'],
  ['3566002020360505', '123'],
  ['2223003122003222', '123'],
];

function post(agent, url, body) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
        timeout: 10_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    req.end(body);
  });
}

async function run({ url, key, concurrency, warmupMs, durationMs }) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = `${url}/v1/tokens`;
  let n = 0;
  const bodyFor = () => {
    const [number, cvc] = CARDS[n++ % CARDS.length];
    return new URLSearchParams({
      key,
      idempotency_key: randomUUID(),
      'card[number]': number,
      'card[exp_month]': '12',
      'card[exp_year]': '2034',
      'card[cvc]': cvc,
    }).toString();
  };
  const startAt = performance.now();
  const measureFrom = startAt + warmupMs;
  const stopAt = measureFrom + durationMs;
  const latencies = [];
  const statuses = {};
  let ok = 0;
  let firstOkAt = Infinity;
  let lastOkAt = 0;
  const worker = async () => {
    while (performance.now() < stopAt) {
      const sentAt = performance.now();
      const r = await post(agent, target, bodyFor());
      if (sentAt < measureFrom) continue;
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.status === 200) {
        ok++;
        latencies.push(r.ms);
        const now = performance.now();
        if (now < firstOkAt) firstOkAt = now;
        lastOkAt = now;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const measuredMs = performance.now() - measureFrom;
  agent.destroy();
  return { concurrency, ok, statuses, latencies, measuredMs };
}

/**
 * Open loop at a fixed arrival rate (no coordinated omission): request i is due at start + i/rate;
 * its latency counts from when it was due, so a slow server cannot slow the clock down.
 */
async function runRate({ url, key, rate, warmupMs, durationMs }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  const target = `${url}/v1/tokens`;
  let n = 0;
  const body = () => {
    const [number, cvc] = CARDS[n++ % CARDS.length];
    return new URLSearchParams({ key, idempotency_key: randomUUID(), 'card[number]': number, 'card[exp_month]': '12', 'card[exp_year]': '2034', 'card[cvc]': cvc }).toString();
  };
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const stopAt = measureFrom + durationMs;
  const interval = 1000 / rate;
  const latencies = [];
  const statuses = {};
  const inflight = new Set();
  let i = 0;
  let ok = 0;
  let late = 0;
  while (performance.now() < stopAt) {
    const now = performance.now();
    while (start + i * interval <= now && start + i * interval < stopAt) {
      const due = start + i * interval;
      i++;
      if (now - due > 50) late++;
      const p = post(agent, target, body()).then((r) => {
        if (due < measureFrom) return;
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.status === 200) {
          ok++;
          latencies.push(performance.now() - due);
        }
      });
      inflight.add(p);
      p.finally(() => inflight.delete(p));
    }
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(5, start + i * interval - performance.now()))));
  }
  await Promise.all(inflight);
  agent.destroy();
  return { rate, ok, statuses, latencies, measuredMs: durationMs, late };
}

process.on('message', async (msg) => {
  try {
    const r = msg.rate ? await runRate(msg) : await run(msg);
    process.send({ type: 'done', result: r }, () => process.exit(0));
  } catch (e) {
    process.send({ type: 'error', error: String(e?.stack ?? e) }, () => process.exit(1));
  }
});
