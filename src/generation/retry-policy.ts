import { backoffMs } from '../backoff.js';

export interface RetryPolicy {
  /** Calls of one route, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A provider asking to wait longer than this is skipped for the next route instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 20_000,
};

/**
 * How long to wait before attempt `attempt + 1` of a route: capped exponential backoff with full
 * jitter (so that many clients retrying do not hit the provider in step), but never less than
 * the provider's `retry-after`. Undefined when the provider asks for more than we will wait.
 *
 * @param attempt the attempt that just failed, from 1
 * @example retryDelay(1, undefined, policy, () => 0.5) // 125 with the default policy
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) return undefined;
  const jittered = backoffMs(
    attempt - 1,
    { initialMs: policy.baseDelayMs, maxMs: policy.maxDelayMs, jitter: 'full' },
    random,
  );
  return Math.max(jittered, retryAfterMs ?? 0);
}
