import { ProviderFailure } from '../errors.js';
import type { FailureKind } from '../errors.js';
import type { ProviderImage, ProviderResult } from '../types.js';

/** When every prediction failed, the failure to report: a safety refusal first. */
const SIGNIFICANCE: FailureKind[] = [
  'safety',
  'misconfigured',
  'terminal',
  'invalid_response',
  'retryable',
];

/**
 * The images of every prediction that succeeded; when none did, the most significant failure.
 * Errors that are not ProviderFailures (bugs) and aborts propagate as they are.
 */
export function combineResults(
  results: PromiseSettledResult<ProviderImage[]>[],
  signal: AbortSignal,
): ProviderResult {
  const images = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  if (images.length > 0) return { images };
  if (signal.aborted) throw signal.reason;
  const reasons = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  const unexpected = reasons.find((r) => !(r instanceof ProviderFailure));
  if (unexpected !== undefined) throw unexpected;
  const failures = reasons as ProviderFailure[];
  const rank = (f: ProviderFailure) => SIGNIFICANCE.indexOf(f.kind);
  const worst = failures.reduce<ProviderFailure | undefined>(
    (best, f) => (best === undefined || rank(f) < rank(best) ? f : best),
    undefined,
  );
  throw worst ?? new ProviderFailure('invalid_response', 'replicate: no prediction was run');
}
