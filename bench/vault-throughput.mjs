// Section 4: vault throughput on loopback. The vault runs in its own process (lib/vault.mjs), the
// load generator in another (load-generator.mjs, forked per run), so neither steals the other's
// event loop; on a 2-core machine they still share the CPU, as a co-located client would.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { latency, summary } from './lib/stats.mjs';

const GENERATOR = fileURLToPath(new URL('./load-generator.mjs', import.meta.url));

function generate(params, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = fork(GENERATOR, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`load generator did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', (m) => {
      clearTimeout(timer);
      if (m.type === 'done') resolve(m.result);
      else reject(new Error(m.error));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code) reject(new Error(`load generator exited ${code}: ${stderr.slice(0, 300)}`));
    });
    child.send(params);
  });
}

/**
 * @param {{ vault: { url: string, publishableKey: string }, levels?: number[], runs?: number,
 *   warmupMs?: number, durationMs?: number, deadline: number, log: (s: string) => void }} o
 */
export async function runThroughput({ vault, levels = [1, 8, 32], runs = 3, warmupMs = 1000, durationMs = 3000, deadline, log }) {
  const out = [];
  for (const concurrency of levels) {
    const perRun = [];
    for (let r = 0; r < runs && Date.now() + warmupMs + durationMs + 5000 < deadline; r++) {
      log(`vault: concurrency ${concurrency}, run ${r + 1}/${runs}`);
      const res = await generate({ url: vault.url, key: vault.publishableKey, concurrency, warmupMs, durationMs }, warmupMs + durationMs + 30_000);
      const lat = latency(res.latencies);
      perRun.push({
        tokensPerSecond: (res.ok / res.measuredMs) * 1000,
        p50: lat.p50,
        p99: lat.p99,
        ok: res.ok,
        statuses: res.statuses,
      });
    }
    const non200 = perRun.reduce((a, r) => a + Object.entries(r.statuses).filter(([s]) => s !== '200').reduce((b, [, n]) => b + n, 0), 0);
    out.push({
      concurrency,
      runs: perRun.length,
      tokensPerSecond: summary(perRun.map((r) => r.tokensPerSecond)),
      p50: summary(perRun.map((r) => r.p50)),
      p99: summary(perRun.map((r) => r.p99)),
      non200,
      statuses: perRun.map((r) => r.statuses),
    });
  }
  // Open loop at half the best closed-loop throughput: the "p99 under 50 ms at half that load".
  const best = out.reduce((a, l) => (l.tokensPerSecond.median > (a?.tokensPerSecond.median ?? 0) ? l : a), null);
  let halfLoad = null;
  if (best && Number.isFinite(best.tokensPerSecond.median) && best.tokensPerSecond.median > 0) {
    const rate = Math.max(1, Math.round(best.tokensPerSecond.median / 2));
    const perRun = [];
    for (let r = 0; r < runs && Date.now() + warmupMs + durationMs + 5000 < deadline; r++) {
      log(`vault: open loop at ${rate}/s, run ${r + 1}/${runs}`);
      const res = await generate({ url: vault.url, key: vault.publishableKey, rate, warmupMs, durationMs }, warmupMs + durationMs + 30_000);
      const lat = latency(res.latencies);
      perRun.push({ achieved: (res.ok / res.measuredMs) * 1000, p50: lat.p50, p99: lat.p99, statuses: res.statuses, late: res.late });
    }
    halfLoad = {
      rate,
      runs: perRun.length,
      achieved: summary(perRun.map((r) => r.achieved)),
      p50: summary(perRun.map((r) => r.p50)),
      p99: summary(perRun.map((r) => r.p99)),
      statuses: perRun.map((r) => r.statuses),
      lateSends: perRun.map((r) => r.late),
      method: `Open loop: requests due at a fixed ${rate}/s (half the best closed-loop median), latency counted from each request's due time (no coordinated omission); same warm-up, duration and runs as above.`,
    };
  }
  return {
    halfLoad,
    method: `Closed loop: N workers in a forked load-generator process, each sending one POST /v1/tokens (form body, publishable test key, clear test-mode card fields rotated over 6 approved test cards, a fresh idempotency key each) at a time over keep-alive HTTP/1.1 on 127.0.0.1; ${warmupMs / 1000} s warm-up then ${durationMs / 1000} s measured per run; ${runs} runs per level, each in a fresh load-generator process. tokens/s = HTTP 200 responses / measured time; p50/p99 over the 200s of a run; the table quotes the median over runs and the min–max.`,
    levels: out,
  };
}
