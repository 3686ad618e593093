import { z } from 'zod';
import { UpstreamFailure } from '../errors.js';
import { parseJsonOrFail } from '../shared/http.js';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

const submitSchema = z.looseObject({
  id: z.string().min(1),
  polling_url: z.string().nullish(),
});

export interface SubmitAnswer {
  id: string;
  /** Undefined when BFL left it out (older API versions): poll `{base}/v1/get_result?id=`. */
  pollingUrl: string | undefined;
}

/** The 200 answer of `POST /v1/{model}`: `{id, polling_url, cost?, input_mp?, output_mp?}`. */
export function fromUpstreamSubmit(text: string): SubmitAnswer {
  const parsed = submitSchema.safeParse(parseJsonOrFail(text, 'BFL task answer was not JSON'));
  if (!parsed.success) {
    throw new UpstreamFailure('invalid_response', 'BFL task answer has no task id');
  }
  const pollingUrl = parsed.data.polling_url ?? undefined;
  if (pollingUrl !== undefined && !isHttpUrl(pollingUrl)) {
    throw new UpstreamFailure('invalid_response', 'BFL polling_url is not an http(s) URL');
  }
  return { id: parsed.data.id, pollingUrl };
}

const pollSchema = z.looseObject({
  status: z.string(),
  result: z.unknown().optional(),
  details: z.unknown().optional(),
});

const readyResultSchema = z.looseObject({ sample: z.string() });

export type PollOutcome =
  | { state: 'pending' }
  | { state: 'ready'; url: string }
  | { state: 'failed'; failure: UpstreamFailure };

/** `details` of a moderated task, e.g. `{"Moderation Reasons": ["Derivative Works Filter"]}`. */
function moderationReasons(details: unknown): string {
  if (typeof details !== 'object' || details === null) return '';
  const reasons = Object.values(details)
    .flat()
    .filter((v): v is string => typeof v === 'string');
  return reasons.length > 0 ? ` (${reasons.join(', ').slice(0, 200)})` : '';
}

/**
 * One answer of the polling URL (`GET /v1/get_result?id=`). Statuses per BFL's docs: `Pending`,
 * `Ready`, `Error`, `Task not found`, `Request Moderated`, `Content Moderated`; `Failed` appears
 * in BFL's own examples and `Queued`/`Processing` are tolerated as still running.
 */
export function fromUpstreamPoll(text: string): PollOutcome {
  const parsed = pollSchema.safeParse(parseJsonOrFail(text, 'BFL polling answer was not JSON'));
  if (!parsed.success) {
    throw new UpstreamFailure('invalid_response', 'BFL polling answer has no status');
  }
  const { status, result, details } = parsed.data;
  switch (status.trim().toLowerCase()) {
    case 'pending':
    case 'queued':
    case 'processing':
      return { state: 'pending' };
    case 'ready': {
      const ready = readyResultSchema.safeParse(result);
      if (!ready.success || !isHttpUrl(ready.data.sample)) {
        throw new UpstreamFailure(
          'invalid_response',
          'BFL task is Ready without a result.sample URL',
        );
      }
      return { state: 'ready', url: ready.data.sample };
    }
    case 'request moderated':
      return failed(
        'safety',
        'request_moderated',
        `BFL moderated the request${moderationReasons(details)}`,
      );
    case 'content moderated':
      return failed(
        'safety',
        'content_moderated',
        `BFL moderated the output${moderationReasons(details)}`,
      );
    // A failure inside BFL's generation, like a 5xx: a new task usually succeeds, and BFL does
    // not charge failed tasks. Unsure: an Error can also stem from an unusable input image, in
    // which case the retries fail the same way before the route gives up.
    case 'error':
    case 'failed':
      return failed('retryable', 'task_failed', `BFL task ended with status ${status}`);
    // Our task id is unknown or expired: BFL's answer contradicts the submission it accepted.
    case 'task not found':
      return failed('invalid_response', 'task_not_found', 'BFL no longer knows the task');
    default:
      return failed('invalid_response', 'unknown_status', `BFL task has an unknown status`);
  }
}

function failed(kind: UpstreamFailure['kind'], upstreamCode: string, message: string): PollOutcome {
  return { state: 'failed', failure: new UpstreamFailure(kind, message, { upstreamCode }) };
}
