import { UpstreamFailure } from '../errors.js';
import type { FailureKind } from '../errors.js';

/**
 * Providers that make one image (or a few) per call reach n images with parallel calls: the
 * images that succeeded are returned, and when none did, one failure speaks for all.
 */

/**
 * Which failure speaks for calls that all failed: a safety refusal first (the client must change
 * the prompt), then operator problems, then refusals that a retry cannot fix.
 */
const SIGNIFICANCE: Record<FailureKind, number> = {
  safety: 5,
  misconfigured: 4,
  terminal: 3,
  invalid_response: 2,
  retryable: 1,
};

/** The most significant of `failures` (the first one among equals); undefined for none. */
export function mostSignificant(failures: readonly UpstreamFailure[]): UpstreamFailure | undefined {
  let best: UpstreamFailure | undefined;
  for (const failure of failures) {
    if (!best || SIGNIFICANCE[failure.kind] > SIGNIFICANCE[best.kind]) best = failure;
  }
  return best;
}

/**
 * The error to throw when every call failed: an error that is not a UpstreamFailure (a bug) as
 * it is, so that it is not hidden behind an upstream failure; else the most significant
 * failure. Undefined when `errors` is empty.
 */
export function failureOfAll(errors: readonly unknown[]): unknown {
  const bug = errors.findIndex((error) => !(error instanceof UpstreamFailure));
  if (bug !== -1) return errors[bug];
  return mostSignificant(errors as readonly UpstreamFailure[]);
}

/**
 * Waits for parallel calls and returns the values of those that succeeded, in order (partial
 * success). `onFailure` sees every failure first. When the signal aborted, its reason is
 * thrown; when every call failed, `failureOfAll`. No calls at all give no values.
 *
 * @example
 * const images = await collectSuccesses(
 *   Array.from({ length: input.n }, (_, i) => generateOne(i)),
 *   call.signal,
 *   (error, index) => call.log.warn({ index }, 'one call failed'),
 * );
 */
export async function collectSuccesses<T>(
  calls: ReadonlyArray<Promise<T>>,
  signal: AbortSignal,
  onFailure: (error: unknown, index: number) => void = () => {},
): Promise<T[]> {
  const settled = await Promise.allSettled(calls);
  if (signal.aborted) throw signal.reason;
  const values: T[] = [];
  const errors: unknown[] = [];
  settled.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled') {
      values.push(outcome.value);
    } else {
      errors.push(outcome.reason);
      onFailure(outcome.reason, index);
    }
  });
  if (values.length === 0 && errors.length > 0) throw failureOfAll(errors);
  return values;
}
