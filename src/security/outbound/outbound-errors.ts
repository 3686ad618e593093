import { PixapiError, invalidRequest } from '../../errors.js';

/**
 * The errors a guarded fetch can end in. Each takes the request parameter the URL came from
 * (`image`, `mask`, ...) so that the client is told which field to fix; provider polling URLs
 * pass their own. None of them is retryable: the same URL would fail the same way.
 */

export const DEFAULT_PARAM = 'image';

export function urlRejected(message: string, param: string | null = DEFAULT_PARAM): PixapiError {
  return invalidRequest('image_url_rejected', message, param);
}

export function urlUnreachable(
  message: string,
  param: string | null = DEFAULT_PARAM,
  cause?: unknown,
): PixapiError {
  return new PixapiError({
    code: 'image_url_unreachable',
    message,
    param,
    cause,
  });
}

export function urlTimeout(param: string | null = DEFAULT_PARAM, cause?: unknown): PixapiError {
  return new PixapiError({
    code: 'image_url_timeout',
    message: 'The URL did not answer in time.',
    param,
    cause,
  });
}

export function payloadTooLarge(maxBytes: number, param: string | null = DEFAULT_PARAM) {
  const size =
    maxBytes >= 1024 * 1024 ? `${Math.floor(maxBytes / (1024 * 1024))} MB` : `${maxBytes} bytes`;
  return new PixapiError({
    code: 'payload_too_large',
    message: `The file at the URL is larger than ${size}.`,
    param,
  });
}
