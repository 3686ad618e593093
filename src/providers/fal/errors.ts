import { UpstreamFailure } from '../errors.js';
import type { FailureKind } from '../errors.js';
import type { UpstreamAnswer } from '../shared/http.js';
import { parseRetryAfterMs } from '../shared/retry-after.js';

/**
 * Pure classification of fal's failures. fal has two error shapes:
 * - model errors: `{detail: [{loc, msg, type, url?, ctx?}]}` (422 for invalid input; `type`
 *   `content_policy_violation` is a safety refusal), sometimes with `X-Fal-Retryable`;
 * - request (infrastructure) errors: `{detail: "...", error_type}` with the same value in the
 *   `X-Fal-Error-Type` header.
 */

/**
 * Infrastructure error types (fal's "Request Error Types" table) and what retrying can do.
 * `client_disconnected` / `client_cancelled` (499) mean the connection or request was dropped
 * on the caller's side; when our own signal did not abort (that case never gets here), it was
 * a proxy or another actor, and nothing about the input is wrong, so a new attempt may succeed.
 */
const ERROR_TYPE_KINDS: Record<string, FailureKind> = {
  request_timeout: 'retryable',
  startup_timeout: 'retryable',
  runner_scheduling_failure: 'retryable',
  runner_connection_timeout: 'retryable',
  runner_disconnected: 'retryable',
  runner_connection_refused: 'retryable',
  runner_connection_error: 'retryable',
  runner_incomplete_response: 'retryable',
  runner_server_error: 'retryable',
  internal_error: 'retryable',
  client_disconnected: 'retryable',
  client_cancelled: 'retryable',
  bad_request: 'terminal',
};

/** The kind an infrastructure `error_type` implies; undefined for types not in fal's table. */
export function falErrorTypeKind(errorType: string | undefined): FailureKind | undefined {
  return errorType === undefined ? undefined : ERROR_TYPE_KINDS[errorType];
}

interface DetailItem {
  type: string | undefined;
  msg: string | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function detailItems(detail: unknown): DetailItem[] {
  if (!Array.isArray(detail)) return [];
  return detail.filter(isRecord).map((d) => ({
    type: typeof d.type === 'string' ? d.type : undefined,
    msg: typeof d.msg === 'string' ? d.msg : undefined,
  }));
}

function summary(answer: UpstreamAnswer, items: DetailItem[]): string {
  const body = isRecord(answer.json) ? answer.json : {};
  const text =
    items.find((i) => i.msg)?.msg ??
    (typeof body.detail === 'string' ? body.detail : undefined) ??
    (typeof body.error === 'string' ? body.error : undefined) ??
    (answer.json === undefined ? answer.text : '');
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/**
 * A non-2xx answer of any fal queue endpoint as a UpstreamFailure.
 *
 * @param fallbackErrorType the `error_type` of the request's COMPLETED status, used when the
 *   answer itself carries none.
 * @example
 * classifyFalError({ status: 422, json: { detail: [{ type: 'content_policy_violation' }] }, ... })
 * // UpstreamFailure kind 'safety'
 */
export function classifyFalError(
  answer: UpstreamAnswer,
  fallbackErrorType?: string,
): UpstreamFailure {
  const body = isRecord(answer.json) ? answer.json : {};
  const items = detailItems(body.detail);
  const errorType =
    answer.headers.get('x-fal-error-type') ??
    (typeof body.error_type === 'string' ? body.error_type : undefined) ??
    fallbackErrorType;
  const init = {
    status: answer.status,
    retryAfterMs: parseRetryAfterMs(answer.headers.get('retry-after')),
    upstreamCode: errorType ?? items.find((i) => i.type)?.type,
  };
  const message = `fal: HTTP ${answer.status}: ${summary(answer, items)}`;

  if (items.some((i) => i.type === 'content_policy_violation')) {
    return new UpstreamFailure('safety', message, {
      ...init,
      upstreamCode: 'content_policy_violation',
    });
  }
  // 401 bad key; 403 "User is locked. Reason: Exhausted balance" (out of credits): operator.
  if (answer.status === 401 || answer.status === 402 || answer.status === 403) {
    return new UpstreamFailure('misconfigured', message, init);
  }
  const typed = falErrorTypeKind(errorType);
  if (typed) return new UpstreamFailure(typed, message, init);
  // Model errors may say whether the same request could succeed later (the header was renamed
  // X-Fal-Needs-Retry in newer docs; either is read).
  const hint = answer.headers.get('x-fal-retryable') ?? answer.headers.get('x-fal-needs-retry');
  if (hint !== null && /^(true|1|yes)$/i.test(hint.trim())) {
    return new UpstreamFailure('retryable', message, init);
  }
  if (answer.status === 408 || answer.status === 429 || answer.status >= 500) {
    return new UpstreamFailure('retryable', message, init);
  }
  if (answer.status >= 400) return new UpstreamFailure('terminal', message, init);
  return new UpstreamFailure('invalid_response', message, init);
}

/**
 * A COMPLETED status that carries an `error` while the result endpoint answered 2xx: classified
 * from its `error_type`. Without a known type, nothing says the input was at fault (a model
 * crash looks like this), so it is retryable; fal's own retries have already run by then, so
 * the router's next try will mostly go to the next route.
 */
export function falStatusFailure(error: string, errorType: string | undefined): UpstreamFailure {
  const kind = falErrorTypeKind(errorType) ?? 'retryable';
  const message = `fal: request failed: ${error.replace(/\s+/g, ' ').slice(0, 200)}`;
  return new UpstreamFailure(kind, message, { upstreamCode: errorType });
}
