/**
 * The CORS-only HTTP client of Cardvault, on `fetch`.
 *
 * Every request is a CORS *simple request*: GET, or POST with an `application/x-www-form-urlencoded`
 * body (URLSearchParams, whose content type the runtime sets itself) and no header of our own. The
 * browser therefore sends no preflight, and a tokenization costs exactly one round trip.
 *
 * There is no JSONP, no script injection and no proxy-iframe fallback here, ever: card data travels
 * only in the body of a CORS `fetch`. (JSONP put cards in URLs and logs and needs the API host in
 * `script-src`; a proxy frame adds an origin to trust. Neither is needed once CORS works.)
 *
 * Why not ky (docs/decisions/0003): this file always owned the retry policy, the time budget and
 * the error mapping; ky added the attempt loop and a per-attempt timeout, ~60 lines, for 4.85 KB
 * gzip of the frame's 16 KB budget, and its cloned request cost ~0.9 ms per tokenization.
 */
import { CardvaultError } from '../errors/cardvault-error';
import { isErrorCode } from '../errors/catalogue';
import { abortError, type Budget } from './budget';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  /** Form body (POST). Never JSON: a JSON content type is not CORS-safelisted and forces a preflight. */
  body?: URLSearchParams;
  /** Limit of one attempt (until the response headers), in ms; a timed-out attempt is retried while the budget lasts. */
  attemptTimeout: number;
  /** The logical call's total budget and cancellation. */
  budget: Budget;
  /** HTTP cache mode. POSTs are always `no-store`. Default for GETs: `default`. */
  cache?: RequestCache;
}

/** Retries after the first attempt, at most; the total budget usually ends things first. */
const MAX_RETRIES = 4;
const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 4000;

/**
 * Sends one logical request and resolves with its parsed JSON body (a 2xx answer).
 *
 * Retries, with exponential backoff and jitter, only on a network failure, a timed-out attempt, a
 * 5xx or a 429 (honouring `Retry-After`) — never on another 4xx — and only while the budget lasts.
 * Every attempt sends the same body (a tokenization's idempotency key is in it, so the vault answers
 * a replay with the first result instead of tokenizing twice).
 * Rejects with a `CardvaultError`: the vault's own code for a vault error, `network_failure`,
 * `timeout`, `aborted`, or `invalid_response` for a body that is not the JSON it should be.
 */
export async function requestJson(request: HttpRequest): Promise<unknown> {
  const { budget } = request;
  for (let retry = 1; ; retry++) {
    if (budget.signal.aborted) throw abortError(budget.signal);
    let response: Response | undefined;
    let failure: unknown;
    try {
      response = await attempt(request);
    } catch (error) {
      failure = error;
    }
    if (response?.ok) return readJson(response, budget);
    const delay = retry > MAX_RETRIES || budget.signal.aborted ? undefined : retryDelay(response, failure, retry);
    // Not retryable, aborted, or the wait would outlive the budget: fail now with this error
    // (e.g. `rate_limited` and its request id) rather than with a useless `timeout` later.
    if (delay === undefined || delay >= budget.remaining()) {
      if (budget.signal.aborted) throw abortError(budget.signal);
      throw response ? await fromErrorResponse(response, budget) : toCardvaultError(failure);
    }
    void response?.body?.cancel().catch(() => undefined);
    await wait(delay, budget.signal);
  }
}

/** One `fetch`, aborted by the budget or after `attemptTimeout` ms without response headers. */
async function attempt(request: HttpRequest): Promise<Response> {
  const { budget } = request;
  const controller = new AbortController();
  // Left attached: the budget's signal lives only as long as this logical call. It also aborts a
  // body still being read after the attempt's timer is cleared.
  budget.signal.addEventListener('abort', () => controller.abort(budget.signal.reason), { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.attemptTimeout);
  try {
    return await globalThis.fetch(request.url, {
      method: request.method,
      // Each attempt sends the form afresh: it is small and in hand (no teed stream to clone).
      body: request.body,
      // Nothing else: no custom header, no JSON content type, no `Accept`.
      // Cookies and HTTP auth never go to the vault; the key is in the body.
      credentials: 'omit',
      mode: 'cors',
      // A tokenization answer must never be stored by any cache. The Cache-Control/Pragma request
      // headers the browser adds for `no-store` are added after the preflight decision and do not
      // trigger one.
      cache: request.method === 'POST' ? 'no-store' : (request.cache ?? 'default'),
      // The vault needs the Origin (sent on every CORS request whatever this policy), not the page's
      // path, which may carry order ids or customer data; and nothing on an https -> http downgrade.
      referrerPolicy: 'strict-origin',
      // Card data never follows a redirect to another host: a 3xx is an error (invalid_response).
      redirect: 'manual',
      signal: controller.signal,
    });
  } catch (cause) {
    throw timedOut && !budget.signal.aborted ? new CardvaultError('timeout', { cause }) : cause;
  } finally {
    clearTimeout(timer);
  }
}

async function readJson(response: Response, budget: Budget): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (cause) {
    throw budget.signal.aborted ? abortError(budget.signal) : new CardvaultError('network_failure', { cause });
  }
  const json = parseJson(text);
  if (json === undefined) {
    throw new CardvaultError('invalid_response', { status: response.status, requestId: requestIdHeader(response) });
  }
  return json;
}

/** Waits `ms`, or rejects with the budget's coded error as soon as it aborts. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Delay before retry number `retry` (1-based), or `undefined` when the outcome is not retryable:
 * a non-2xx `response`, or the `failure` fetch rejected with.
 */
function retryDelay(response: Response | undefined, failure: unknown, retry: number): number | undefined {
  if (response) {
    const { status } = response;
    // 4xx other than 429 means the request itself is wrong (or declined): sending it again cannot
    // help. So does an opaque redirect (status 0).
    if (status !== 429 && (status < 500 || status > 599)) return undefined;
    return retryAfterMs(response) ?? backoff(retry);
  }
  // TypeError is how fetch reports a network failure (DNS, refused, reset, CORS refusal).
  const timedOut = failure instanceof CardvaultError && failure.code === 'timeout';
  return timedOut || (failure instanceof Error && failure.name === 'TypeError') ? backoff(retry) : undefined;
}

/** Exponential backoff with "equal jitter": half the step fixed, half random, so waits still grow. */
function backoff(retryCount: number): number {
  const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retryCount - 1));
  return step / 2 + Math.random() * (step / 2);
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms; `undefined` when absent or unparsable. */
function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('Retry-After')?.trim();
  if (!value) return undefined;
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}

function toCardvaultError(error: unknown): CardvaultError {
  return error instanceof CardvaultError ? error : new CardvaultError('network_failure', { cause: error });
}

/** Maps a non-2xx answer: the vault's `{ error: { code, … } }` keeps its code; unknown codes are `api_error`. */
async function fromErrorResponse(response: Response, budget: Budget): Promise<CardvaultError> {
  const status = response.status;
  let text = '';
  try {
    text = await response.text();
  } catch {
    if (budget.signal.aborted) return abortError(budget.signal);
  }
  const json = parseJson(text);
  const error = isRecord(json) && isRecord(json.error) ? json.error : undefined;
  const headerId = requestIdHeader(response);
  if (!error) {
    // A proxy's HTML page, an opaque redirect, an empty body: not the vault speaking.
    return new CardvaultError(status === 429 ? 'rate_limited' : 'invalid_response', { status, requestId: headerId });
  }
  return new CardvaultError(isErrorCode(error.code) ? error.code : 'api_error', {
    status,
    requestId: shortString(error.request_id, 200) ?? headerId,
    param: shortString(error.param, 200),
    message: shortString(error.message, 500),
  });
}

function requestIdHeader(response: Response): string | undefined {
  return shortString(response.headers.get('Request-Id'), 200);
}

function shortString(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, max) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A plain (non-array) object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
