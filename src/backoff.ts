/**
 * The one backoff formula: step n (from 0) waits `initialMs · 2ⁿ`, capped at `maxMs`, spread
 * by a jitter so that many waiting callers do not act in lockstep. Each caller picks its case:
 * - provider retries (generation/retry-policy.ts): `'full'`, uniform in [0, d), the spread that
 *   best breaks up clients retrying against one provider;
 * - job redeliveries (tasks/queue): `'equal'`, uniform in [d/2, d], never much sooner than d;
 * - polls of an upstream job (providers/shared/polling.ts): a fraction f, d · (1 ± f).
 */
export type Jitter = 'full' | 'equal' | number;

export interface Backoff {
  initialMs: number;
  maxMs: number;
  jitter: Jitter;
}

/**
 * `ms` moved by a random ± `fraction`, so that many waiting calls do not poll in lockstep.
 *
 * @example
 * jittered(1000, 0.1); // 900..1100
 */
export function jittered(ms: number, fraction = 0.1, random: () => number = Math.random): number {
  return Math.max(0, Math.round(ms * (1 + fraction * (2 * random() - 1))));
}

/**
 * The delay before step `step + 1`.
 *
 * @example
 * backoffMs(2, { initialMs: 250, maxMs: 2000, jitter: 0 }); // 1000
 */
export function backoffMs(
  step: number,
  backoff: Backoff,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(step, 30));
  if (backoff.jitter === 'full') return Math.floor(random() * ceiling);
  if (backoff.jitter === 'equal') return Math.round(ceiling / 2 + random() * (ceiling / 2));
  return jittered(ceiling, backoff.jitter, random);
}

/** Delay before delivery `attempt + 1` of a failed job: 2 s doubling to 5 min, with jitter. */
export function jobBackoffMs(attempt: number, random: () => number = Math.random): number {
  return backoffMs(attempt - 1, { initialMs: 2_000, maxMs: 300_000, jitter: 'equal' }, random);
}

export interface PollBackoff {
  /** First delay; doubles on each poll. */
  initialMs?: number;
  maxMs?: number;
  /** ± fraction of the delay. */
  jitter?: number;
  random?: () => number;
}

/**
 * The delay before poll number `attempt` (0-based): 250 ms doubling up to 2 s, ±10 % jitter.
 *
 * @example
 * pollDelayMs(0, { jitter: 0 }); // 250
 * pollDelayMs(9, { jitter: 0 }); // 2000
 */
export function pollDelayMs(attempt: number, options: PollBackoff = {}): number {
  const { initialMs = 250, maxMs = 2000, jitter = 0.1, random = Math.random } = options;
  return backoffMs(attempt, { initialMs, maxMs, jitter }, random);
}
