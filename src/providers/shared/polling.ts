import { setTimeout as sleep } from 'node:timers/promises';
import { pollDelayMs, type PollBackoff } from '../../backoff.js';
import { UpstreamFailure } from '../errors.js';

/**
 * Waiting on a job upstream: a wait that stops when the call's signal aborts, and a poll loop
 * (fal's queue, Replicate's predictions) on the poll case of the one backoff (src/backoff.ts).
 */

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

export interface PollOptions extends PollBackoff {
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
    await waitFor(Math.max(pollDelayMs(attempt, options), hintMs), signal);
    let result: PollStep<T>;
    try {
      result = await step();
      failures = 0;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const tolerable =
        error instanceof UpstreamFailure &&
        error.kind === 'retryable' &&
        failures < maxConsecutiveFailures;
      // The job exists upstream: a failure now must not make the caller submit it again.
      if (!tolerable)
        throw error instanceof UpstreamFailure ? UpstreamFailure.afterSubmission(error) : error;
      failures++;
      hintMs = error.retryAfterMs ?? 0;
      continue;
    }
    if (result.done) return result.value;
    hintMs = result.retryAfterMs ?? 0;
  }
}
