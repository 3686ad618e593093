import { PixapiError, type ErrorCode } from '../../errors.js';
import { UpstreamFailure } from '../errors.js';

/**
 * A request that got no answer (connection refused or reset, DNS, a body cut off) as a
 * retryable UpstreamFailure with `message`; a failure that is already classified is returned as
 * it is. When the call's own signal aborted, the signal's reason is thrown instead: the client's
 * deadline is never classified as an upstream failure.
 *
 * @throws the signal's reason when `signal` aborted.
 * @example
 * try {
 *   response = await fetch(url, { signal: call.signal });
 * } catch (error) {
 *   throw networkFailure(error, call.signal, 'Gemini request failed: network error');
 * }
 */
export function networkFailure(
  error: unknown,
  signal: AbortSignal,
  message: string,
): UpstreamFailure {
  if (signal.aborted) throw signal.reason;
  if (error instanceof UpstreamFailure) return error;
  return new UpstreamFailure('retryable', message, { cause: error });
}

/**
 * Refusals of Pixapi's guarded client (`ProviderCall.fetchProviderUrl`) that a new attempt
 * cannot fix: the provider handed out a URL that may not be fetched (private address, bad
 * scheme) or that serves too much.
 */
const UNUSABLE_URL_CODES: ReadonlySet<ErrorCode> = new Set([
  'image_url_rejected',
  'payload_too_large',
]);

/**
 * Like `networkFailure`, for requests that may have gone through the guarded client: a provider
 * URL that the client refuses is `invalid_response`; its timeouts and network errors stay
 * retryable.
 *
 * @throws the signal's reason when `signal` aborted.
 */
export function providerUrlFailure(
  error: unknown,
  signal: AbortSignal,
  provider: string,
): UpstreamFailure {
  if (!signal.aborted && error instanceof PixapiError && UNUSABLE_URL_CODES.has(error.code)) {
    return new UpstreamFailure('invalid_response', `${provider}: unusable URL: ${error.message}`, {
      upstreamCode: error.code,
      cause: error,
    });
  }
  return networkFailure(error, signal, `${provider}: request failed before an answer`);
}
