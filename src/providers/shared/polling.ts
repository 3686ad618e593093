import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderFailure } from '../errors.js';

/**
 * Waiting on a job upstream: a bounded exponential backoff with jitter, a wait that stops when
 * the call's signal aborts, and a poll loop (fal's queue, Replicate's predictions).
 */

/**
 * `ms` moved by a random ± `jitter` fraction, so that many waiting calls do not poll in
 * lockstep.
 *
 * @example
 * jittered(1000, 0.1); // 900..1100
 */
export function jittered(ms: number, jitter = 0.1, random: () => number = Math.random): number {
  return Math.max(0, Math.round(ms * (1 + jitter * (2 * random() - 1))));
}

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
  return jittered(Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30)), jitter, random);
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
      // The job exists upstream: a failure now must not make the caller submit it again.
      if (!tolerable)
        throw error instanceof ProviderFailure ? ProviderFailure.afterSubmission(error) : error;
      failures++;
      hintMs = error.retryAfterMs ?? 0;
      continue;
    }
    if (result.done) return result.value;
    hintMs = result.retryAfterMs ?? 0;
  }
}
