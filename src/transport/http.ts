/**
 * The CORS-only HTTP client of Cardvault, on ky.
 *
 * Every request is a CORS *simple request*: GET, or POST with an `application/x-www-form-urlencoded`
 * body (URLSearchParams, whose content type the runtime sets itself) and no header of our own. The
 * browser therefore sends no preflight, and a tokenization costs exactly one round trip.
 *
 * There is no JSONP, no script injection and no proxy-iframe fallback here, ever: card data travels
 * only in the body of a CORS `fetch`. (JSONP put cards in URLs and logs and needs the API host in
 * `script-src`; a proxy frame adds an origin to trust. Neither is needed once CORS works.)
 *
 * ky owns the attempt loop, the per-attempt timeout and the retry count; this file owns which
 * failures are retried and after how long (backoff with jitter, `Retry-After`, the total budget) and
 * the mapping to coded errors (docs/decisions/0008). Only ky's default export and its two error
 * classes are used: no `.json()` shortcut (it would add an `Accept` header), no hooks.
 */
import ky, { HTTPError, TimeoutError } from 'ky';
import { CardvaultError } from '../errors/cardvault-error';
import { isErrorCode } from '../errors/catalogue';
import { abortError, untilAborted, type Budget } from './budget';

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
  const { budget, body } = request;
  // Delay of the next retry: `shouldRetry` (which sees the error) computes it and ky's `delay` returns
  // it, so Retry-After and the remaining budget decide it, not ky's fixed schedule.
  let nextDelay = 0;
  let response: Response;
  try {
    // `untilAborted`: ky listens to the budget's signal only where `AbortSignal.any` exists (not
    // Safari before 17.4); there an abort during a backoff wait would otherwise wait it out.
    response = await untilAborted(ky(request.url, {
      method: request.method,
      // No body here, on purpose. ky builds a Request from these options and clones it before every
      // attempt, to keep a copy for a retry; with a body, that clone tees it into a stream, and
      // Chromium sends a teed stream ~0.9 ms slower than a plain body (decision 0008). ky's Request
      // stays bodyless (its clone is free), and each attempt adds the form, which is small and in
      // hand, in `fetch` below: the same bytes, hence the same idempotency key, on every retry.
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
      // Until the response headers; ky aborts the attempt's fetch and may retry (shouldRetry).
      timeout: request.attemptTimeout,
      // The budget's signal: ky stops the attempt in flight and a backoff wait when it aborts.
      signal: budget.signal,
      // ky's Request (URL, method, options, and a signal that also carries the attempt's timeout)
      // plus the form. A URLSearchParams body sets the form content type itself: still a simple request.
      fetch: (input) => globalThis.fetch(input, { body }),
      retry: {
        limit: MAX_RETRIES,
        // POST is retried only because every tokenization carries an idempotency key in its body:
        // the vault answers a replay with the first result instead of tokenizing twice.
        methods: ['get', 'post'],
        delay: () => nextDelay,
        shouldRetry: ({ error, retryCount }) => {
          const delay = retryDelay(error, retryCount);
          // Not retryable, aborted, or the wait would outlive the budget: fail now with this error
          // (e.g. `rate_limited` and its request id) rather than with a useless `timeout` later.
          if (delay === undefined || budget.signal.aborted || delay >= budget.remaining()) return false;
          if (error instanceof HTTPError) void error.response.body?.cancel().catch(() => undefined);
          nextDelay = delay;
          return true;
        },
      },
    }), budget.signal);
  } catch (error) {
    throw await toCardvaultError(error, budget);
  }
  return readJson(response, budget);
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

/** Delay before retry number `retryCount` (1-based), or `undefined` when `error` is not retryable. */
function retryDelay(error: Error, retryCount: number): number | undefined {
  if (error instanceof HTTPError) {
    const { status } = error.response;
    // 4xx other than 429 means the request itself is wrong (or declined): sending it again cannot
    // help. So does an opaque redirect (status 0).
    if (status !== 429 && (status < 500 || status > 599)) return undefined;
    return retryAfterMs(error.response) ?? backoff(retryCount);
  }
  // TypeError is how fetch reports a network failure (DNS, refused, reset, CORS refusal).
  return error instanceof TimeoutError || error.name === 'TypeError' ? backoff(retryCount) : undefined;
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

async function toCardvaultError(error: unknown, budget: Budget): Promise<CardvaultError> {
  // Checked first: an abort or the end of the budget surfaces as whatever fetch or ky rejected with.
  if (budget.signal.aborted) return abortError(budget.signal);
  if (error instanceof CardvaultError) return error;
  if (error instanceof HTTPError) return fromErrorResponse(error.response, budget);
  return new CardvaultError(error instanceof TimeoutError ? 'timeout' : 'network_failure', { cause: error });
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
