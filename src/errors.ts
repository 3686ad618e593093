/**
 * Errors are values: each carries the OpenAI error `type`, a stable `code`, the HTTP status and
 * whether re-sending the same request could succeed, all three looked up by code in
 * `errors/codes.ts`. `src/http/error-handler.ts` renders them; `errorBody` is their JSON shape
 * wherever they are stored or sent (responses, task records, webhooks, stream events).
 */

import { isDatabaseUnavailable } from './db/unavailable.js';
import {
  ERROR_CODES,
  type ErrorCode,
  type ErrorCodeWithStatus,
  type ErrorType,
} from './errors/codes.js';

export { ERROR_CODES, type ErrorCode, type ErrorCodeWithStatus, type ErrorType };

export interface PixapiErrorInit {
  code: ErrorCode;
  message: string;
  param?: string | null;
  /**
   * Replaces the table's status, for an error whose status comes from elsewhere (a framework
   * error's own status); retryability then follows that status unless given.
   */
  status?: number;
  /** Replaces the table's retryability where one occurrence knows better. */
  retryable?: boolean;
  headers?: Record<string, string>;
  cause?: unknown;
}

export class PixapiError extends Error {
  override name = 'PixapiError';
  readonly status: number;
  readonly type: ErrorType;
  readonly code: ErrorCode;
  readonly param: string | null;
  readonly retryable: boolean;
  readonly headers: Record<string, string>;

  constructor(init: PixapiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    const spec = ERROR_CODES[init.code];
    this.status = init.status ?? spec.status;
    this.type = spec.type;
    this.code = init.code;
    this.param = init.param ?? null;
    this.retryable =
      init.retryable ?? (init.status === undefined ? spec.retryable : retryableStatus(init.status));
    this.headers = init.headers ?? {};
  }
}

/** What OpenAI's SDKs assume of a status when nothing says otherwise. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

export function invalidRequest(
  code: ErrorCodeWithStatus<400>,
  message: string,
  param: string | null = null,
) {
  return new PixapiError({ code, message, param });
}

export function notFound(
  code: ErrorCodeWithStatus<404>,
  message: string,
  param: string | null = null,
) {
  return new PixapiError({ code, message, param });
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
    code: 'model_retired',
    message: `The model '${model}' was shut down by its provider${since}.${instead}`,
    param: 'model',
    headers: replacement
      ? { link: `</v1/models/${encodeURI(replacement)}>; rel="successor-version"` }
      : {},
  });
}

export function invalidApiKey() {
  return new PixapiError({
    code: 'invalid_api_key',
    message: 'Invalid API key. Pass a valid key as "Authorization: Bearer sk_pix_...".',
  });
}

export function providerNotConfigured(model: string, variable: string) {
  return new PixapiError({
    code: 'provider_not_configured',
    message: `The model ${model} is not available on this server: set ${variable} to enable it.`,
    param: 'model',
  });
}

export function providerTimeout(seconds: number) {
  return new PixapiError({
    code: 'provider_timeout',
    message: `The provider did not answer within ${seconds} s. Nothing was charged.`,
  });
}

export function providerError(message: string, cause?: unknown) {
  return new PixapiError({
    code: 'provider_error',
    message,
    cause,
  });
}

/** The database connection failed mid-request; what was held is released when it is back. */
export function databaseUnavailable(cause?: unknown) {
  return new PixapiError({
    code: 'database_unavailable',
    message: 'The database is unreachable for a moment. Nothing was charged; try again shortly.',
    cause,
  });
}

/** The asset store refused or could not be reached: no image could be kept, so none is charged. */
export function storageUnavailable(cause?: unknown) {
  return new PixapiError({
    code: 'storage_unavailable',
    message: 'The image store is unreachable. Nothing was charged; try again shortly.',
    cause,
  });
}

/**
 * Errors that carry an HTTP status of their own (Fastify's body parsing and limits) as Pixapi
 * errors; their 5xx are ours to look at, so they stay internal errors.
 */
function fromStatusError(error: Error & { statusCode: number }): PixapiError | undefined {
  const status = error.statusCode;
  if (status >= 500) return undefined;
  const known: Record<number, [ErrorCode, string]> = {
    400: ['invalid_body', 'The request body could not be parsed.'],
    404: ['not_found', 'Not found.'],
    408: ['request_timeout', 'The request took too long to arrive.'],
    413: ['payload_too_large', 'The request body is too large.'],
    414: ['uri_too_long', 'The request URL is too long.'],
    415: ['unsupported_media_type', 'Unsupported content type: send application/json.'],
  };
  const [code, message] = known[status] ?? ['invalid_request', 'Invalid request.'];
  return new PixapiError({ code, status, message, cause: error });
}

const INTERNAL_MESSAGE = 'Internal error. Quote the request id to support.';

/** Any thrown value as a PixapiError; unknown errors become a bare 500 that reveals nothing. */
export function toPixapiError(error: unknown): PixapiError {
  if (error instanceof PixapiError) return error;
  if (isDatabaseUnavailable(error)) return databaseUnavailable(error);
  const withStatus = error as (Error & { statusCode?: number }) | null | undefined;
  const known = withStatus?.statusCode
    ? fromStatusError(withStatus as Error & { statusCode: number })
    : undefined;
  return (
    known ??
    new PixapiError({
      code: 'internal_error',
      message: INTERNAL_MESSAGE,
      cause: error,
    })
  );
}

/** OpenAI's error body plus the request id that support will ask for. */
export function errorBody(error: PixapiError, requestId: string) {
  return {
    error: {
      message: error.message,
      type: error.type,
      param: error.param,
      code: error.code,
      request_id: requestId,
    },
  };
}
