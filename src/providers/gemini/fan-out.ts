import { ProviderFailure, type FailureKind } from '../errors.js';

/** Which failure of n parallel calls speaks for all of them: a safety refusal first. */
const SIGNIFICANCE: Record<FailureKind, number> = {
  safety: 5,
  misconfigured: 4,
  terminal: 3,
  invalid_response: 2,
  retryable: 1,
};

/** The error to throw when every call failed: the most significant ProviderFailure, else the first. */
export function mostSignificant(errors: readonly unknown[]): unknown {
  let best: ProviderFailure | undefined;
  for (const error of errors) {
    if (
      error instanceof ProviderFailure &&
      (!best || SIGNIFICANCE[error.kind] > SIGNIFICANCE[best.kind])
    ) {
      best = error;
    }
  }
  return best ?? errors[0];
}

/**
 * Runs `run(0..n-1)` in parallel and returns the results that succeeded, in order (partial
 * success). When all fail, throws the most significant failure; when the signal aborted, its
 * reason.
 */
export async function fanOut<T>(
  n: number,
  signal: AbortSignal,
  run: (index: number) => Promise<T>,
  onFailure: (error: unknown, index: number) => void = () => {},
): Promise<T[]> {
  const settled = await Promise.allSettled(
    Array.from({ length: Math.max(1, n) }, (_, i) => run(i)),
  );
  if (signal.aborted) throw signal.reason;
  const results: T[] = [];
  const errors: unknown[] = [];
  settled.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled') {
      results.push(outcome.value);
    } else {
      errors.push(outcome.reason);
      onFailure(outcome.reason, index);
    }
  });
  if (results.length === 0) throw mostSignificant(errors);
  return results;
}
