/**
 * Errors are values: each carries the OpenAI error `type`, a stable `code`, the HTTP status and
 * whether re-sending the same request could succeed. `src/http/error-handler.ts` renders them;
 * nothing else turns an error into a response.
 */

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'insufficient_credits'
  | 'rate_limit_error'
  | 'upstream_error'
  | 'service_unavailable'
  | 'server_error';

export interface PixapiErrorInit {
  status: number;
  type: ErrorType;
  code: string;
  message: string;
  param?: string | null;
  /** Whether the same request may succeed if sent again (drives `x-should-retry`). */
  retryable?: boolean;
  headers?: Record<string, string>;
  cause?: unknown;
}

export class PixapiError extends Error {
  override name = 'PixapiError';
  readonly status: number;
  readonly type: ErrorType;
  readonly code: string;
  readonly param: string | null;
  readonly retryable: boolean;
  readonly headers: Record<string, string>;

  constructor(init: PixapiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.type = init.type;
    this.code = init.code;
    this.param = init.param ?? null;
    this.retryable = init.retryable ?? defaultRetryable(init.status);
    this.headers = init.headers ?? {};
  }
}

function defaultRetryable(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

export function invalidRequest(code: string, message: string, param: string | null = null) {
  return new PixapiError({ status: 400, type: 'invalid_request_error', code, message, param });
}

export function notFound(code: string, message: string, param: string | null = null) {
  return new PixapiError({ status: 404, type: 'invalid_request_error', code, message, param });
}

/** A model past its shutdown whose catalog entry says `retire`: 410, nothing held or called. */
export function modelRetired(
  model: string,
  shutdownDate: string | undefined,
  replacement?: string,
) {
  const since = shutdownDate ? ` on ${shutdownDate}` : '';
  const instead = replacement ? ` Use '${replacement}' instead.` : '';
  return new PixapiError({
    status: 410,
    type: 'invalid_request_error',
    code: 'model_retired',
    message: `The model '${model}' was shut down by its provider${since}.${instead}`,
    param: 'model',
    retryable: false,
    headers: replacement
      ? { link: `</v1/models/${encodeURI(replacement)}>; rel="successor-version"` }
      : {},
  });
}

export function invalidApiKey() {
  return new PixapiError({
    status: 401,
    type: 'authentication_error',
    code: 'invalid_api_key',
    message: 'Invalid API key. Pass a valid key as "Authorization: Bearer sk_pix_...".',
  });
}

export function providerNotConfigured(model: string, variable: string) {
  return new PixapiError({
    status: 503,
    type: 'service_unavailable',
    code: 'provider_not_configured',
    message: `The model ${model} is not available on this server: set ${variable} to enable it.`,
    param: 'model',
    retryable: false,
  });
}

export function providerTimeout(seconds: number) {
  return new PixapiError({
    status: 504,
    type: 'upstream_error',
    code: 'provider_timeout',
    message: `The provider did not answer within ${seconds} s. Nothing was charged.`,
    retryable: false,
  });
}

export function providerError(message: string, cause?: unknown) {
  return new PixapiError({
    status: 502,
    type: 'upstream_error',
    code: 'provider_error',
    message,
    retryable: false,
    cause,
  });
}

/** The database connection failed mid-request; what was held is released when it is back. */
export function databaseUnavailable(cause?: unknown) {
  return new PixapiError({
    status: 503,
    type: 'service_unavailable',
    code: 'database_unavailable',
    message: 'The database is unreachable for a moment. Nothing was charged; try again shortly.',
    retryable: true,
    cause,
  });
}

/** The asset store refused or could not be reached: no image could be kept, so none is charged. */
export function storageUnavailable(cause?: unknown) {
  return new PixapiError({
    status: 503,
    type: 'service_unavailable',
    code: 'storage_unavailable',
    message: 'The image store is unreachable. Nothing was charged; try again shortly.',
    retryable: true,
    cause,
  });
}
