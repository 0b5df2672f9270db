import { CardvaultError } from '../errors/cardvault-error';

/**
 * The time budget and cancellation of one logical call (a tokenization, or a key-set fetch),
 * shared by every HTTP attempt, every backoff wait and the kid-refetch retry inside it.
 */
export interface Budget {
  /** Aborts when the merchant's signal aborts or the total budget runs out. Its `reason` is the coded error. */
  readonly signal: AbortSignal;
  /** Milliseconds left before the budget runs out (never negative). */
  remaining(): number;
  /** Clears the timer and the listener on the merchant's signal. Call once the call settles. */
  dispose(): void;
}

/**
 * Starts a budget of `totalMs`. When it runs out, `signal` aborts with `CardvaultError('timeout')`;
 * when `userSignal` aborts, with `CardvaultError('aborted')`. Whatever is in flight stops and no
 * further attempt starts.
 */
export function startBudget(totalMs: number, userSignal?: AbortSignal): Budget {
  const controller = new AbortController();
  const deadline = Date.now() + totalMs;
  const onAbort = (): void => {
    controller.abort(new CardvaultError('aborted', { cause: userSignal?.reason }));
  };
  const timer = setTimeout(() => {
    controller.abort(new CardvaultError('timeout', { message: `The request did not complete within ${totalMs} ms, retries included.` }));
  }, totalMs);
  if (userSignal) {
    if (userSignal.aborted) onAbort();
    else userSignal.addEventListener('abort', onAbort, { once: true });
  }
  return {
    signal: controller.signal,
    remaining: () => Math.max(0, deadline - Date.now()),
    dispose: () => {
      clearTimeout(timer);
      userSignal?.removeEventListener('abort', onAbort);
    },
  };
}

/** The coded error a budget's signal aborted with. */
export function abortError(signal: AbortSignal): CardvaultError {
  const reason: unknown = signal.reason;
  return reason instanceof CardvaultError ? reason : new CardvaultError('aborted', { cause: reason });
}

/**
 * Waits for `promise`, but rejects with the budget's coded error as soon as `signal` aborts. Used
 * for work shared between calls (the cached key-set fetch), which one caller's abort must not cancel.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
