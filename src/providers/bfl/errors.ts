import { UpstreamFailure } from '../errors.js';
import type { FailureKind } from '../errors.js';
import type { HeaderLookup } from '../shared/http.js';
import { parseJsonOrUndefined } from '../shared/http.js';
import { networkFailure } from '../shared/network-failure.js';
import { parseRetryAfterMs } from '../shared/retry-after.js';

/**
 * BFL's error detail, shortened: FastAPI's `{"detail": "..."}` or a 422's
 * `{"detail": [{"loc": [...], "msg": "..."}]}`. Never contains our key (BFL does not echo it).
 */
export function upstreamDetail(bodyText: string): string | undefined {
  const parsed = parseJsonOrUndefined(bodyText);
  if (parsed === undefined) {
    return bodyText.trim() === '' ? undefined : bodyText.trim().slice(0, 200);
  }
  if (typeof parsed !== 'object' || parsed === null || !('detail' in parsed)) return undefined;
  const { detail } = parsed;
  if (typeof detail === 'string') return detail.slice(0, 300);
  if (Array.isArray(detail)) {
    const parts = detail.map((item: unknown) => {
      if (typeof item !== 'object' || item === null) return String(item);
      const loc = 'loc' in item && Array.isArray(item.loc) ? item.loc.join('.') : '';
      const msg = 'msg' in item && typeof item.msg === 'string' ? item.msg : 'invalid';
      return loc ? `${loc}: ${msg}` : msg;
    });
    return parts.join('; ').slice(0, 300);
  }
  return undefined;
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  402: 'insufficient_credits',
  403: 'forbidden',
  404: 'not_found',
  408: 'timeout',
  422: 'validation_error',
  429: 'rate_limited',
};

function kindForStatus(status: number): FailureKind {
  if (status === 401 || status === 403) return 'misconfigured';
  // 402: the BFL account is out of credits. An operator problem; another route may work.
  if (status === 402) return 'misconfigured';
  // 429: BFL caps active tasks per account (24 by default); it clears when tasks finish.
  if (status === 408 || status === 429 || status >= 500) return 'retryable';
  if (status >= 400) return 'terminal';
  // 1xx/3xx (redirects are not followed, so that `x-key` never goes elsewhere).
  return 'invalid_response';
}

/** A non-2xx answer from BFL, classified once. */
export function fromUpstreamHttpFailure(
  status: number,
  headers: HeaderLookup,
  bodyText: string,
): UpstreamFailure {
  const kind = kindForStatus(status);
  const detail = upstreamDetail(bodyText);
  const retryAfterMs =
    kind === 'retryable' ? parseRetryAfterMs(headers.get('retry-after')) : undefined;
  return new UpstreamFailure(kind, `BFL answered HTTP ${status}${detail ? `: ${detail}` : ''}`, {
    status,
    retryAfterMs,
    upstreamCode: CODES[status] ?? (status >= 500 ? 'server_error' : undefined),
  });
}

/**
 * A connection error, reset or DNS failure before any answer; a failure that is already
 * classified is returned as it is.
 *
 * @throws the signal's reason when `signal` aborted (the client's deadline is not classified).
 */
export function bflNetworkFailure(cause: unknown, signal: AbortSignal): UpstreamFailure {
  const reason = cause instanceof Error ? cause.message : 'connection failed';
  return networkFailure(cause, signal, `Could not reach BFL: ${reason}`);
}
