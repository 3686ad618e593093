import type { ScriptedReply } from '../shared/scripted-reply.js';

/** One literal HTTP answer. `rawBody` is sent as is (non-JSON answers); else `body` as JSON. */
export type FalReply = ScriptedReply;

/** One status poll: a pending state, or a literal answer (e.g. a 503 in the middle). */
export type FalQueueStep = 'IN_QUEUE' | 'IN_PROGRESS' | FalReply;

export interface FalScript {
  /** Answers the submission itself (no request is queued): auth, validation, 429, 5xx... */
  submit?: FalReply;
  /** Answers of successive status polls before COMPLETED. Default: IN_QUEUE, IN_PROGRESS. */
  queue?: FalQueueStep[];
  /** Extra fields of the COMPLETED status, e.g. `{error, error_type}` of a failed request. */
  completed?: Record<string, unknown>;
  /** Answers the response URL instead of the generated images. */
  result?: FalReply;
  /** Number of images in the result (default: the request's `num_images`). */
  images?: number;
  /** `has_nsfw_concepts` of the result (default: all false). */
  nsfw?: boolean[];
  /** The hosted "images" are bytes that are not an image. */
  notImage?: boolean;
  /** Origin of the status/response/cancel URLs handed out (default: this server's). */
  urlOrigin?: string;
}

export const json = (status: number, body: unknown): FalReply => ({ status, body });

/** Documented error bodies, for scripting. */
export const falErrors = {
  /** 422 model validation error (`{detail: [{loc, msg, type}]}`). */
  validation(field: string, msg: string, type = 'value_error'): FalReply {
    return { status: 422, body: { detail: [{ loc: ['body', field], msg, type }] } };
  },
  /** 422 content checker refusal. */
  contentPolicy(field = 'prompt'): FalReply {
    return {
      status: 422,
      body: {
        detail: [
          {
            loc: ['body', field],
            msg: 'The content was flagged by a content checker.',
            type: 'content_policy_violation',
            url: 'https://docs.fal.ai/errors#content_policy_violation',
          },
        ],
      },
    };
  },
  /** Infrastructure error `{detail, error_type}` with `X-Fal-Error-Type`. */
  infrastructure(errorType: string, status: number, detail = 'Request failed'): FalReply {
    return {
      status,
      body: { detail, error_type: errorType },
      headers: { 'x-fal-error-type': errorType },
    };
  },
  /** 403 of an account out of credits. */
  exhaustedBalance(): FalReply {
    return {
      status: 403,
      body: {
        detail:
          'User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.',
      },
    };
  },
  rateLimited(retryAfterSeconds: number): FalReply {
    return {
      status: 429,
      body: { detail: 'Too many concurrent requests' },
      headers: { 'retry-after': String(retryAfterSeconds) },
    };
  },
};
