import { UpstreamFailure } from '../errors.js';
import type { UpstreamAnswer } from '../shared/http.js';
import { parseRetryAfterMs } from '../shared/retry-after.js';

/**
 * Pure classification of Replicate's failures: HTTP errors (RFC 7807 problem details
 * `{title, detail, status, invalid_fields?}`) and the `error` of a failed prediction.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/**
 * Safety refusals as Replicate's models word them ("NSFW content detected", "All generated
 * images contained NSFW content", "The input or output was flagged as sensitive ... (E005)").
 * There is no structured code for them, so this is a text match (unsure: wording varies per
 * model; a miss makes the refusal `terminal`, which is also not retried).
 */
const SAFETY =
  /nsfw|flagged as sensitive|\bsensitive content|content polic|safety (filter|check|system)|\bE005\b/i;

/**
 * Failures worth another try, per Replicate's error codes (E1000 unknown error: "try
 * retrying"; E6716 timeout starting the prediction) and interruption messages ("Prediction
 * interrupted; please retry (code: PA)"). Unsure: text match, the rest is `terminal`.
 */
const TRANSIENT =
  /\bE1000\b|\bE6716\b|\(code: PA\)|interrupted|please retry|timed out|temporarily|try again later/i;

const THROTTLE_HINT = /available in (\d+(?:\.\d+)?) seconds?/i;

/**
 * The `error` of a `failed` prediction as a UpstreamFailure: safety refusals, transient
 * platform failures (retryable), and the rest (the model rejected or crashed on this input:
 * terminal).
 */
export function classifyPredictionError(error: unknown): UpstreamFailure {
  const text = typeof error === 'string' ? error : error == null ? '' : JSON.stringify(error);
  const upstreamCode = /\b(E\d{3,4})\b/.exec(text)?.[1];
  const message = `replicate: prediction failed: ${clean(text) || 'no error given'}`;
  if (SAFETY.test(text)) return new UpstreamFailure('safety', message, { upstreamCode });
  if (TRANSIENT.test(text)) return new UpstreamFailure('retryable', message, { upstreamCode });
  return new UpstreamFailure('terminal', message, { upstreamCode });
}

/**
 * A non-2xx answer of Replicate's API as a UpstreamFailure: 401 bad token and 402 out of
 * credit (and 403) are operator problems; 429 is retried after `retry-after` or the delay its
 * text gives ("Expected available in N seconds"); 408 and 5xx are retried; other 4xx (404 model
 * not found, 422 invalid input or version) are terminal.
 *
 * @example
 * classifyReplicateError({ status: 402, json: { title: 'Insufficient credit' }, ... }).kind;
 * // 'misconfigured'
 */
export function classifyReplicateError(answer: UpstreamAnswer): UpstreamFailure {
  const body = isRecord(answer.json) ? answer.json : {};
  const detail = typeof body.detail === 'string' ? body.detail : undefined;
  const title = typeof body.title === 'string' ? body.title : undefined;
  const text = detail ?? title ?? (answer.json === undefined ? answer.text : '');
  const hinted = THROTTLE_HINT.exec(text)?.[1];
  const init = {
    status: answer.status,
    upstreamCode: title,
    retryAfterMs:
      parseRetryAfterMs(answer.headers.get('retry-after')) ??
      (answer.status === 429 && hinted ? Math.round(Number(hinted) * 1000) : undefined),
  };
  const message = `replicate: HTTP ${answer.status}: ${clean(text)}`;
  const { status } = answer;
  if (status === 401 || status === 402 || status === 403) {
    return new UpstreamFailure('misconfigured', message, init);
  }
  if (status === 408 || status === 429 || status >= 500) {
    return new UpstreamFailure('retryable', message, init);
  }
  if (status >= 400) {
    // Input validation messages can name safety-related fields; only a problem without
    // `invalid_fields` may be a refusal.
    if (!('invalid_fields' in body) && SAFETY.test(text)) {
      return new UpstreamFailure('safety', message, init);
    }
    return new UpstreamFailure('terminal', message, init);
  }
  return new UpstreamFailure('invalid_response', message, init);
}
