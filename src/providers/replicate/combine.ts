import { UpstreamFailure } from '../errors.js';
import { failureOfAll } from '../shared/fan-out.js';
import type { ProviderImage, ProviderResult } from '../types.js';

/**
 * The images of every prediction that succeeded; when none did, the most significant failure.
 * Errors that are not UpstreamFailures (bugs) and aborts propagate as they are.
 *
 * Images that arrived are returned even when the signal has aborted since, where
 * `collectSuccesses` would throw the signal's reason: hence this adapter's own combination.
 */
export function combineResults(
  results: PromiseSettledResult<ProviderImage[]>[],
  signal: AbortSignal,
): ProviderResult {
  const images = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  if (images.length > 0) return { images };
  if (signal.aborted) throw signal.reason;
  const reasons = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (reasons.length === 0) {
    throw new UpstreamFailure('invalid_response', 'replicate: no prediction was run');
  }
  throw failureOfAll(reasons);
}
