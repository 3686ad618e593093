/**
 * How an upstream call failed, decided once, in the adapter that saw the failure:
 * - `retryable`: network error, timeout, 408, 429, 5xx. Retry, then fall back to the next route.
 * - `terminal`: the provider refused this request (other 4xx). Another try would fail the same.
 * - `safety`: a safety system refused the prompt or the output. Never retried, never charged.
 * - `misconfigured`: our key is wrong or the provider account is out of credits: an operator
 *   problem. The next route may still work.
 * - `invalid_response`: the provider answered with something that is not what its API says.
 */
export type FailureKind =
  'retryable' | 'terminal' | 'safety' | 'misconfigured' | 'invalid_response';

export interface UpstreamFailureInit {
  status?: number;
  retryAfterMs?: number;
  upstreamCode?: string;
  /**
   * The provider had already accepted the job (polling or fetching its result failed): sending
   * the request to this route again would start, and pay for, a second job.
   */
  afterSubmission?: boolean;
  cause?: unknown;
}

/** One upstream call's failure, classified once by the adapter that saw it (see FailureKind). */
export class UpstreamFailure extends Error {
  override name = 'UpstreamFailure';
  readonly kind: FailureKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly upstreamCode: string | undefined;
  readonly afterSubmission: boolean;

  constructor(kind: FailureKind, message: string, init: UpstreamFailureInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = kind;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.upstreamCode = init.upstreamCode;
    this.afterSubmission = init.afterSubmission ?? false;
  }

  /** The same failure, known to have happened after the provider accepted the job. */
  static afterSubmission(failure: UpstreamFailure): UpstreamFailure {
    if (failure.afterSubmission) return failure;
    return new UpstreamFailure(failure.kind, failure.message, {
      status: failure.status,
      retryAfterMs: failure.retryAfterMs,
      upstreamCode: failure.upstreamCode,
      afterSubmission: true,
      cause: failure,
    });
  }
}
