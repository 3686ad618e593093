import { z } from 'zod';
import { UpstreamFailure } from '../errors.js';
import type { HeaderLookup } from '../shared/http.js';
import { parseJsonOrUndefined } from '../shared/http.js';
import { parseRetryAfterMs } from '../shared/retry-after.js';

/**
 * Google's error body: `{error:{code, message, status, details}}`, where `details` holds typed
 * google.rpc messages (ErrorInfo, RetryInfo, QuotaFailure, Help...). Some proxies wrap it in an
 * array, as Google's streaming endpoint does.
 */
const detailSchema = z.looseObject({
  '@type': z.string().optional(),
  reason: z.string().optional(),
  retryDelay: z.string().optional(),
  violations: z
    .array(z.looseObject({ quotaId: z.string().optional(), quotaValue: z.string().optional() }))
    .optional(),
});
const errorSchema = z.object({
  error: z.looseObject({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(z.unknown()).optional(),
  }),
});

export interface GoogleError {
  message: string | undefined;
  status: string | undefined;
  details: z.infer<typeof detailSchema>[];
}

/** The Google error in a response body, or undefined when the body is not one. */
export function parseGoogleError(bodyText: string): GoogleError | undefined {
  const json = parseJsonOrUndefined(bodyText);
  const parsed = errorSchema.safeParse(Array.isArray(json) ? json[0] : json);
  if (!parsed.success) return undefined;
  const { message, status, details = [] } = parsed.data.error;
  const typed = details.flatMap((d) => {
    const detail = detailSchema.safeParse(d);
    return detail.success ? [detail.data] : [];
  });
  return { message, status, details: typed };
}

/**
 * A protobuf Duration in JSON (`"13s"`, `"45.837906927s"`) in milliseconds, rounded up.
 *
 * @example
 * parseDuration('1.5s'); // 1500
 */
export function parseDuration(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)s\s*$/.exec(value);
  return match ? Math.ceil(Number(match[1]) * 1000) : undefined;
}

/**
 * How long Gemini asks us to wait: the `retry-after` header if any (Gemini itself does not send
 * it; proxies may), then google.rpc.RetryInfo's `retryDelay`, then "Please retry in 12.3s." in
 * the message.
 */
export function retryDelayMs(
  headerValue: string | null | undefined,
  error: GoogleError | undefined,
  now = Date.now(),
): number | undefined {
  const fromHeader = parseRetryAfterMs(headerValue, now);
  if (fromHeader !== undefined) return fromHeader;
  for (const detail of error?.details ?? []) {
    const delay = detail.retryDelay === undefined ? undefined : parseDuration(detail.retryDelay);
    if (delay !== undefined) return delay;
  }
  const inMessage = /retry in (\d+(?:\.\d+)?)s/i.exec(error?.message ?? '');
  return inMessage ? Math.ceil(Number(inMessage[1]) * 1000) : undefined;
}

function errorReason(error: GoogleError | undefined): string | undefined {
  return error?.details.find((d) => d.reason !== undefined)?.reason;
}

function isKeyProblem(error: GoogleError | undefined): boolean {
  const reason = errorReason(error) ?? '';
  return (
    reason.startsWith('API_KEY_') ||
    /API key (not valid|not found|expired)/i.test(error?.message ?? '')
  );
}

/**
 * A 429 that waiting seconds will not cure: a per-day quota, or a quota of zero (the free tier
 * of a model that has none, i.e. billing is not enabled). Google still attaches a short
 * RetryInfo to those, so they are told apart by the QuotaFailure violations and the message.
 */
function isAccountQuota(error: GoogleError | undefined): boolean {
  const violations = error?.details.flatMap((d) => d.violations ?? []) ?? [];
  if (violations.some((v) => /PerDay/i.test(v.quotaId ?? '') || v.quotaValue === '0')) return true;
  return /limit: 0\b/.test(error?.message ?? '');
}

function describe(status: number, error: GoogleError | undefined, bodyText: string): string {
  const detail = error?.message ?? bodyText.slice(0, 200).replace(/\s+/g, ' ').trim();
  const code = error?.status ? ` ${error.status}` : '';
  return `Gemini answered HTTP ${status}${code}${detail ? `: ${detail.slice(0, 300)}` : ''}`;
}

/**
 * Classifies a non-2xx answer of generateContent.
 *
 * - 400 INVALID_ARGUMENT is the request's fault (terminal), except "API key not valid"
 *   (reason API_KEY_INVALID), which Google answers with 400, and FAILED_PRECONDITION ("enable
 *   billing", "location not supported"): both are the operator's to fix (misconfigured).
 * - 401/403 (PERMISSION_DENIED, SERVICE_DISABLED, leaked key) → misconfigured.
 * - 408, 429 RESOURCE_EXHAUSTED, 5xx (INTERNAL, UNAVAILABLE, DEADLINE_EXCEEDED) → retryable, with
 *   the delay Google asks for; a 429 of a per-day or zero quota → misconfigured.
 * - Any other 4xx (404 NOT_FOUND for an unknown model...) → terminal.
 *
 * @param bodyText the response body, with any secret already removed by the caller.
 */
export function classifyHttpError(
  status: number,
  headers: HeaderLookup,
  bodyText: string,
  now = Date.now(),
): UpstreamFailure {
  const error = parseGoogleError(bodyText);
  const message = describe(status, error, bodyText);
  const upstreamCode = errorReason(error) ?? error?.status;
  const init = { status, upstreamCode };
  if (status === 401 || status === 403) return new UpstreamFailure('misconfigured', message, init);
  if (status === 400) {
    if (isKeyProblem(error) || error?.status === 'FAILED_PRECONDITION') {
      return new UpstreamFailure('misconfigured', message, init);
    }
    return new UpstreamFailure('terminal', message, init);
  }
  if (status === 429 && isAccountQuota(error)) {
    return new UpstreamFailure('misconfigured', message, init);
  }
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = retryDelayMs(headers.get('retry-after'), error, now);
    return new UpstreamFailure('retryable', message, { ...init, retryAfterMs });
  }
  return new UpstreamFailure('terminal', message, init);
}
