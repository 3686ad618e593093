import type { EnqueueOptions } from '../queue/types.js';

/**
 * Delays before each retry of a webhook delivery: 8 attempts spread over about four hours
 * (Standard Webhooks asks for retries over hours), each with ±20% jitter so that a receiver
 * coming back up is not hit by every sender at once.
 */
export const WEBHOOK_RETRY_DELAYS_MS = [
  5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000,
];

export function webhookDelay(
  delays: readonly number[],
  attempt: number,
  random: () => number = Math.random,
): number | undefined {
  const base = delays[attempt - 1];
  return base === undefined ? undefined : Math.round(base * (0.8 + 0.4 * random()));
}

/** One queue job per delivery attempt; the queue's own retries only cover crashes. */
export const WEBHOOK_JOB_OPTIONS: EnqueueOptions = { maxAttempts: 3, leaseMs: 60_000 };
