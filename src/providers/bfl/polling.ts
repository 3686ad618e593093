import type { HttpAnswer } from '../shared/http.js';
import { jittered } from '../../backoff.js';
import { waitFor } from '../shared/polling.js';
import { UpstreamFailure } from '../errors.js';
import { providerUrlFailure } from '../shared/network-failure.js';
import { fromUpstreamHttpFailure } from './errors.js';
import { fromUpstreamPoll } from './response.js';

/**
 * BFL's poll loop. It is not the shared `pollUntil`, whose timing differs: here a failed poll
 * does not advance the backoff, a `retry-after` hint is jittered, capped at ten times
 * `maxDelayMs` and kept until the next pending answer, and each request is raced against the
 * signal (`untilAborted`). The backoff's jitter and the abortable wait are the shared ones.
 */

export interface PollTiming {
  /** First wait before polling, doubled after each `Pending` up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Consecutive transient polling failures (network, 429, 5xx) tolerated before giving up. */
  maxTransientErrors: number;
}

export const DEFAULT_POLL_TIMING: PollTiming = {
  initialDelayMs: 250,
  maxDelayMs: 2000,
  maxTransientErrors: 3,
};

/** Waits on a promise, but rejects with the signal's reason as soon as it aborts. */
export async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Polls a BFL task until it is Ready and returns `result.sample` (a signed URL, valid ~10 min).
 * Stops when `signal` aborts (rethrowing its reason); the client's deadline bounds the loop.
 *
 * @param get fetches the polling URL (through Pixapi's guarded client for provider URLs).
 */
export async function pollForSample(
  get: () => Promise<HttpAnswer>,
  signal: AbortSignal,
  timing: PollTiming = DEFAULT_POLL_TIMING,
): Promise<string> {
  let delay = timing.initialDelayMs;
  let transientErrors = 0;
  for (;;) {
    // ±10 % jitter, so that n parallel tasks do not poll in lockstep.
    await waitFor(jittered(delay), signal);
    let text: string;
    try {
      const answer = await untilAborted(get(), signal);
      text = await untilAborted(answer.text(), signal);
      if (answer.status < 200 || answer.status > 299) {
        throw fromUpstreamHttpFailure(answer.status, answer.headers, text);
      }
    } catch (error) {
      // A polling URL the guarded client refuses will not become usable by asking again.
      const failure = providerUrlFailure(error, signal, 'BFL');
      // A lost poll does not lose the task: keep polling through short outages rather than
      // making the caller submit (and pay for) a new task.
      if (failure.kind === 'retryable' && transientErrors < timing.maxTransientErrors) {
        transientErrors += 1;
        delay = Math.min(Math.max(delay, failure.retryAfterMs ?? 0), 10 * timing.maxDelayMs);
        continue;
      }
      // The task exists at BFL: a new submission would be a second paid task.
      throw UpstreamFailure.afterSubmission(failure);
    }
    transientErrors = 0;
    const outcome = fromUpstreamPoll(text);
    if (outcome.state === 'ready') return outcome.url;
    if (outcome.state === 'failed') throw outcome.failure;
    delay = Math.min(delay * 2, timing.maxDelayMs);
  }
}
