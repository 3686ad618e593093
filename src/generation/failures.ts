import { PixapiError, invalidRequest, providerError, providerTimeout } from '../errors.js';
import { UpstreamFailure } from '../providers/errors.js';

/**
 * What the client sees for a provider failure that routing could not overcome. Upstream
 * messages are not passed through: they can name upstream accounts or internal hosts.
 */
export function clientErrorFor(failure: UpstreamFailure): PixapiError {
  switch (failure.kind) {
    case 'safety':
      return invalidRequest(
        'content_policy_violation',
        "The provider's safety system rejected this request. Nothing was charged.",
        'prompt',
      );
    case 'misconfigured':
      return new PixapiError({
        code: 'provider_unavailable',
        message:
          'The provider for this model is not usable right now (operator notified). Nothing was charged.',
        cause: failure,
      });
    case 'terminal':
      return new PixapiError({
        code: 'provider_rejected_request',
        message: 'The provider rejected this request as invalid. Nothing was charged.',
        cause: failure,
      });
    case 'invalid_response':
      return providerError(
        'The provider returned an invalid response. Nothing was charged.',
        failure,
      );
    case 'retryable':
      return providerError('The provider failed after retries. Nothing was charged.', failure);
  }
}

/** Any error from the provider step as a client error; unknown errors stay 500s. */
export function toClientError(error: unknown, timedOut: boolean, timeoutMs: number): unknown {
  if (timedOut) return providerTimeout(Math.round(timeoutMs / 1000));
  if (error instanceof UpstreamFailure) return clientErrorFor(error);
  return error;
}
