import { setTimeout as sleep } from 'node:timers/promises';
import { PixapiError } from '../errors.js';
import { ProviderFailure } from './errors.js';

/**
 * What the polling providers (fal's queue, Replicate's predictions) share: a bounded exponential
 * backoff, a poll loop that stops when the call's signal aborts, `retry-after` parsing, and a
 * tolerant reader of upstream answers.
 */

export interface BackoffOptions {
  /** First delay; doubles on each poll. */
  initialMs?: number;
  maxMs?: number;
  /** ± fraction of the delay, so that many waiting calls do not poll in lockstep. */
  jitter?: number;
  random?: () => number;
}

/**
 * The delay before poll number `attempt` (0-based): 250 ms doubling up to 2 s, ±10 % jitter.
 *
 * @example
 * backoffDelay(0, { jitter: 0 }); // 250
 * backoffDelay(9, { jitter: 0 }); // 2000
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const { initialMs = 250, maxMs = 2000, jitter = 0.1, random = Math.random } = options;
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.max(0, Math.round(base * (1 + jitter * (2 * random() - 1))));
}

/** Waits `ms`; when the signal aborts, throws the signal's own reason (never an AbortError wrapper). */
export async function waitFor(ms: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw error;
  }
}

/** One look at a pending job: finished with a value, or not yet (optionally with a hint). */
export type PollStep<T> = { done: true; value: T } | { done: false; retryAfterMs?: number };

export interface PollOptions extends BackoffOptions {
  signal: AbortSignal;
  /**
   * Retryable failures of the status endpoint itself (a 503, a dropped connection) tolerated in
   * a row before giving up: the job upstream is still running, and submitting it again would
   * pay for it twice.
   */
  maxConsecutiveFailures?: number;
}

/**
 * Calls `step` after each backoff delay until it reports done. Stops only through `step`
 * (a value or a failure) or the signal, whose deadline bounds every call.
 *
 * @example
 * const result = await pollUntil(async () => {
 *   const job = await getJob();
 *   return job.finished ? { done: true, value: job } : { done: false };
 * }, { signal: call.signal });
 */
export async function pollUntil<T>(
  step: () => Promise<PollStep<T>>,
  options: PollOptions,
): Promise<T> {
  const { signal, maxConsecutiveFailures = 3 } = options;
  let failures = 0;
  let hintMs = 0;
  for (let attempt = 0; ; attempt++) {
    await waitFor(Math.max(backoffDelay(attempt, options), hintMs), signal);
    let result: PollStep<T>;
    try {
      result = await step();
      failures = 0;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const tolerable =
        error instanceof ProviderFailure &&
        error.kind === 'retryable' &&
        failures < maxConsecutiveFailures;
      if (!tolerable) throw error;
      failures++;
      hintMs = error.retryAfterMs ?? 0;
      continue;
    }
    if (result.done) return result.value;
    hintMs = result.retryAfterMs ?? 0;
  }
}

/**
 * `retry-after` as milliseconds: delay-seconds (RFC 9110) or an HTTP date; undefined when absent
 * or unreadable.
 *
 * @example
 * parseRetryAfterMs('3'); // 3000
 */
export function parseRetryAfterMs(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The parts of an HTTP answer that adapters read; both undici's and the global Response fit. */
export interface HttpAnswer {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface UpstreamAnswer {
  status: number;
  headers: { get(name: string): string | null };
  /** The raw body, for messages and for non-JSON answers. */
  text: string;
  /** The parsed body; undefined when it is not JSON. */
  json: unknown;
}

/** Reads a whole answer once; a body that is not JSON gives `json: undefined`, never a throw. */
export async function readAnswer(response: HttpAnswer): Promise<UpstreamAnswer> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/**
 * Refusals of Pixapi's guarded client (`ProviderCall.fetchProviderUrl`) that a new attempt
 * cannot fix: the provider handed out a URL that may not be fetched (private address, bad
 * scheme) or that serves too much.
 */
const UNUSABLE_URL_CODES = new Set(['image_url_rejected', 'payload_too_large']);

/**
 * A request that got no answer as a ProviderFailure: network errors and timeouts are
 * retryable; a provider URL that the guarded client refuses is `invalid_response`. When the
 * call's own signal aborted it, the signal's reason propagates unclassified.
 */
export function networkFailure(error: unknown, signal: AbortSignal, provider: string): never {
  if (signal.aborted) throw signal.reason;
  if (error instanceof ProviderFailure) throw error;
  if (error instanceof PixapiError && UNUSABLE_URL_CODES.has(error.code)) {
    throw new ProviderFailure('invalid_response', `${provider}: unusable URL: ${error.message}`, {
      upstreamCode: error.code,
      cause: error,
    });
  }
  throw new ProviderFailure('retryable', `${provider}: request failed before an answer`, {
    cause: error,
  });
}

/**
 * Decodes a `data:` URI output (some APIs inline outputs this way) into bytes; undefined for
 * anything else or an empty payload.
 */
export function decodeDataUri(uri: string): Buffer | undefined {
  const match = /^data:[^,;]*(;[^,;]+)*;base64,(.*)$/s.exec(uri);
  if (!match || match[2] === undefined) return undefined;
  const bytes = Buffer.from(match[2], 'base64');
  return bytes.length > 0 ? bytes : undefined;
}

/** Whether `url` parses and is served from `origin` (scheme, host and port). */
export function hasOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}
