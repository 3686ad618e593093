import { z } from 'zod';
import { UpstreamFailure } from '../errors.js';
import type { HeaderLookup } from '../shared/http.js';
import { parseJsonOrUndefined } from '../shared/http.js';
import { parseRetryAfterMs } from '../shared/retry-after.js';

/** OpenAI's error object: `{"error": {"message", "type", "param", "code"}}`. */
export interface OpenAIError {
  message: string | undefined;
  type: string | undefined;
  code: string | undefined;
  param: string | undefined;
}

const errorSchema = z.object({
  message: z.string().nullish(),
  type: z.string().nullish(),
  code: z.union([z.string(), z.number()]).nullish(),
  param: z.string().nullish(),
});

/** Codes of a safety refusal: GPT image models, DALL·E, and Azure OpenAI's content filter. */
// `contentFilter`: Azure OpenAI's refusal by its content filters.
const SAFETY_CODES = new Set([
  'moderation_blocked',
  'content_policy_violation',
  'content_filter',
  'contentFilter',
]);

/** The operator must pay or raise a limit: no retry can help, another route might. */
const BILLING_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached']);

const MAX_MESSAGE_CHARS = 300;

/** Reads `{error: {...}}` from a value; undefined when it has no error object. */
export function toOpenAIError(value: unknown): OpenAIError | undefined {
  if (typeof value !== 'object' || value === null || !('error' in value)) return undefined;
  const parsed = errorSchema.safeParse(value.error);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  return {
    message: e.message ?? undefined,
    type: e.type ?? undefined,
    code: e.code === null || e.code === undefined ? undefined : String(e.code),
    param: e.param ?? undefined,
  };
}

/** Parses an error body; undefined when it is not OpenAI's JSON error (an HTML 502 page...). */
export function parseOpenAIErrorBody(text: string): OpenAIError | undefined {
  return toOpenAIError(parseJsonOrUndefined(text));
}

/**
 * Upstream messages can quote part of the key ("Incorrect API key provided: sk-ab***yz"), so
 * anything key-shaped is masked and the message is cut short.
 */
export function safeMessage(message: string | undefined): string {
  if (!message) return '';
  const masked = message.replace(/\b(sk|pk|key)[-_][A-Za-z0-9_*\-.]{3,}/gi, '$1-***');
  return masked.length > MAX_MESSAGE_CHARS ? `${masked.slice(0, MAX_MESSAGE_CHARS)}…` : masked;
}

/**
 * How long to wait before retrying, in ms: `retry-after-ms` (OpenAI's SDKs read it first), then
 * `retry-after` in seconds or as an HTTP date, then the hint of a rate-limit message ("Please
 * try again in 1.5s" / "in 20ms").
 */
export function retryAfterMs(
  headers: HeaderLookup,
  message?: string,
  now: number = Date.now(),
): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null) {
    const n = Number(ms);
    if (ms.trim() !== '' && Number.isFinite(n) && n >= 0) return Math.round(n);
  }
  const after = parseRetryAfterMs(headers.get('retry-after'), now);
  if (after !== undefined) return after;
  const hint = message?.match(/try again in (\d+(?:\.\d+)?)\s*(ms|s)\b/i);
  if (hint?.[1] && hint[2]) {
    const n = Number(hint[1]);
    return Math.round(hint[2].toLowerCase() === 'ms' ? n : n * 1000);
  }
  return undefined;
}

function describe(provider: string, status: number | undefined, error: OpenAIError | undefined) {
  const where = status === undefined ? provider : `${provider} ${status}`;
  const code = error?.code ?? error?.type;
  const text = safeMessage(error?.message);
  return `${where}${code ? ` ${code}` : ''}${text ? `: ${text}` : ''}`;
}

function isSafety(error: OpenAIError | undefined): boolean {
  return error?.code !== undefined && SAFETY_CODES.has(error.code);
}

function isBilling(error: OpenAIError | undefined): boolean {
  return [error?.code, error?.type].some((c) => c !== undefined && BILLING_CODES.has(c));
}

/**
 * Classifies a non-2xx answer of an OpenAI-style images endpoint.
 *
 * @example
 * classifyOpenAIHttpError('openai', 429, headers, '{"error":{"code":"insufficient_quota",...}}')
 * // UpstreamFailure { kind: 'misconfigured', status: 429, upstreamCode: 'insufficient_quota' }
 */
export function classifyOpenAIHttpError(
  provider: string,
  status: number,
  headers: HeaderLookup,
  bodyText: string,
): UpstreamFailure {
  const error = parseOpenAIErrorBody(bodyText);
  const upstreamCode = error?.code ?? error?.type;
  const init = { status, upstreamCode };
  if (status === 401 || status === 403) {
    // The message may quote the key: say only what happened.
    return new UpstreamFailure(
      'misconfigured',
      `${provider} ${status}: the API key was refused`,
      init,
    );
  }
  if (isBilling(error))
    return new UpstreamFailure('misconfigured', describe(provider, status, error), init);
  if (status >= 400 && status < 500 && isSafety(error)) {
    return new UpstreamFailure('safety', describe(provider, status, error), init);
  }
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfter = retryAfterMs(headers, error?.message);
    return new UpstreamFailure('retryable', describe(provider, status, error), {
      ...init,
      ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
    });
  }
  if (status === 404) {
    // The route names a model this account cannot use, or the base URL is wrong: an operator
    // problem that another route may not share.
    return new UpstreamFailure('misconfigured', describe(provider, status, error), init);
  }
  if (status >= 400)
    return new UpstreamFailure('terminal', describe(provider, status, error), init);
  return new UpstreamFailure('invalid_response', `${provider} answered HTTP ${status}`, init);
}

/**
 * Classifies an `error` event in an SSE stream (the HTTP status was already 200). Safety and
 * billing as above; request errors are terminal; anything else is a server-side failure.
 */
export function classifyOpenAIStreamError(provider: string, error: OpenAIError): UpstreamFailure {
  const init = { upstreamCode: error.code ?? error.type };
  const message = `${describe(provider, undefined, error)} (in stream)`;
  if (isSafety(error)) return new UpstreamFailure('safety', message, init);
  if (isBilling(error)) return new UpstreamFailure('misconfigured', message, init);
  if (error.type === 'invalid_request_error') return new UpstreamFailure('terminal', message, init);
  return new UpstreamFailure('retryable', message, init);
}
