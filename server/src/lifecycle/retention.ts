/**
 * The retention sweeper every vault runs: unused tokens are deleted, sealed card and CVC included,
 * within {@link RETENTION_SWEEP_MS} (+ one sweep's duration) of their expiry — well inside the 60 s
 * the retention policy promises (server/README.md, "Retention"). Safe with several vaults on one
 * PostgreSQL database: each deletion is one conditional statement (store/tokens.ts).
 */
import { describeError } from '../log';
import type { Vault } from '../vault';

/** How often a vault deletes expired tokens. */
export const RETENTION_SWEEP_MS = 15_000;

/** Rows per statement: a backlog (a vault down for a day) is deleted in short transactions. */
const BATCH = 1_000;

export interface RetentionSweeper {
  /** Runs one sweep now (tests, and the first one at start-up). Resolves to the tokens deleted. */
  sweep(): Promise<number>;
  /** Stops the timer and waits for a sweep in progress, so the store can be closed after it. */
  stop(): Promise<void>;
}

/** Starts sweeping every `intervalMs` (the first sweep at once: tokens may have expired while down). */
export function startRetentionSweeper(vault: Vault, intervalMs = RETENTION_SWEEP_MS): RetentionSweeper {
  let running: Promise<number> | null = null;
  let stopped = false;

  const once = async (): Promise<number> => {
    let total = 0;
    let oldest: number | null = null;
    const now = vault.now();
    // Bounded: a full batch means more may be waiting, but never loop forever on a busy table.
    for (let round = 0; round < 100 && !stopped; round++) {
      const { deleted, oldestExpiredAt } = await vault.store.deleteExpiredTokens(now, BATCH);
      total += deleted;
      if (oldestExpiredAt !== null) oldest = Math.min(oldest ?? oldestExpiredAt, oldestExpiredAt);
      if (deleted < BATCH) break;
    }
    if (total > 0) {
      // How late the oldest deleted token went: the figure the retention promise is about.
      vault.log.info('expired_tokens_deleted', { deleted: total, max_ms_after_expiry: oldest === null ? null : now - oldest });
    }
    return total;
  };

  const sweep = (): Promise<number> => {
    running ??= once()
      .catch((error: unknown) => {
        vault.log.warn('retention_sweep_failed', describeError(error));
        return 0;
      })
      .finally(() => (running = null));
    return running;
  };

  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  setImmediate(() => {
    if (!stopped) void sweep();
  });

  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
