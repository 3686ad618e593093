import type { ScriptedReply } from '../shared/scripted-reply.js';

/** One literal HTTP answer. `rawBody` is sent as is (non-JSON answers); else `body` as JSON. */
export type ReplicateReply = ScriptedReply;

/** One poll of the prediction: a pending state, or a literal answer (e.g. a 503). */
export type ReplicateStep = 'starting' | 'processing' | ReplicateReply;

export type ReplicateFinal =
  | {
      status: 'succeeded';
      /** Number of outputs (default: the input's `num_outputs`, else 1). */
      outputs?: number;
      /** One URL string instead of a list (as FLUX Kontext answers). */
      single?: boolean;
      /** Replaces the generated `output` (e.g. `[]` or `null`). */
      output?: unknown;
      /** The hosted outputs are bytes that are not an image. */
      notImage?: boolean;
    }
  | { status: 'failed'; error: string }
  | { status: 'canceled' };

export interface ReplicateScript {
  /** Answers the creation request itself (no prediction is made): 401, 422, 429, 5xx... */
  create?: ReplicateReply;
  /** Answers of successive polls before the final state (default none: done at once). */
  steps?: ReplicateStep[];
  /** The final state (default: succeeded). */
  final?: ReplicateFinal;
  /** Extra delay before answering the creation request. */
  createDelayMs?: number;
  /** Origin of the `urls` handed out (default: this server's). */
  urlOrigin?: string;
}

/** Replicate's problem body (`{title, detail, status}`). */
export const problem = (
  status: number,
  title: string,
  detail: string,
  extra = {},
): ReplicateReply => ({
  status,
  body: { title, detail, status, ...extra },
});

/** Documented error answers, for scripting. */
export const replicateErrors = {
  /** 429 with Replicate's body; `retry-after` only when `header` is set. */
  throttled(seconds: number, header = false): ReplicateReply {
    return {
      status: 429,
      body: {
        detail: `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`,
        status: 429,
      },
      headers: header ? { 'retry-after': String(seconds) } : {},
    };
  },
  insufficientCredit(): ReplicateReply {
    return problem(
      402,
      'Insufficient credit',
      'You have insufficient credit to run this model. Go to https://replicate.com/account/billing#billing to purchase credit. Once you purchase credit, please wait a few minutes before trying again.',
    );
  },
  notFound(): ReplicateReply {
    return problem(404, 'Not found', 'The requested resource could not be found.');
  },
  serverError(status = 500): ReplicateReply {
    return problem(status, 'Internal server error', 'Something went wrong.');
  },
};

/** Replicate's 422 for invalid bodies: a detail line per problem plus `invalid_fields`. */
export function validationFailed(
  fields: Array<{ type: string; field: string; description: string }>,
): ReplicateReply {
  const detail = fields.map((f) => `- ${f.field ? `${f.field}: ` : ''}${f.description}\n`).join('');
  return problem(422, 'Input validation failed', detail, { invalid_fields: fields });
}
