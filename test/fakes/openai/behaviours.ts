import { FakeError, invalid, openaiError } from './errors.js';
import { isGpt } from './models.js';

export type FakeOpenAIBehaviour =
  /** 500 and 503 with OpenAI's `server_error` body; 502 with a proxy's HTML page. */
  | { type: 'server_error'; status?: 500 | 502 | 503 }
  /** 429 `rate_limit_exceeded`, with the headers given ("Please try again in 12s" in the text). */
  | { type: 'rate_limit'; retryAfter?: string; retryAfterMs?: string }
  /** 429 `insufficient_quota`: the account is out of credit. */
  | { type: 'insufficient_quota' }
  /** 400 `moderation_blocked` (GPT image models) or `content_policy_violation` (DALL·E). */
  | { type: 'moderation_blocked' }
  /** Any status and body, as given. */
  | { type: 'http_error'; status: number; body: unknown; headers?: Record<string, string> }
  /** 200 with a body that is not JSON. */
  | { type: 'non_json' }
  /** 200 JSON without `data`. */
  | { type: 'no_data' }
  /** 200 with valid base64 that is not an image. */
  | { type: 'not_an_image' }
  /** Answers normally after `ms` (nothing if the client goes away first). */
  | { type: 'slow'; ms: number }
  /** Answers `url` outputs served by the fake (relative to the server when asked). */
  | { type: 'url_outputs'; relative?: boolean }
  /** A streamed answer that sends `partials` partial images, then an `error` event. */
  | { type: 'stream_error'; code?: string; errorType?: string; partials?: number }
  /** A streamed answer that ends without its `completed` event. */
  | { type: 'stream_without_completed' }
  /** A streamed answer that waits `ms` between its partial images and the final image. */
  | { type: 'stream_slow'; ms: number };

/** The error answer of a scripted failure; undefined for behaviours that shape a success. */
export function scriptedFailure(
  behaviour: FakeOpenAIBehaviour,
  model: string,
): FakeError | undefined {
  switch (behaviour.type) {
    case 'server_error': {
      const status = behaviour.status ?? 500;
      if (status === 502)
        return new FakeError(
          502,
          '<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>',
          { 'content-type': 'text/html' },
        );
      const message =
        status === 503
          ? 'The engine is currently overloaded, please try again later.'
          : 'The server had an error while processing your request. Sorry about that!';
      return openaiError(status, message, 'server_error', null, null);
    }
    case 'rate_limit': {
      const headers: Record<string, string> = {
        'x-ratelimit-limit-requests': '5',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '12s',
      };
      if (behaviour.retryAfter !== undefined) headers['retry-after'] = behaviour.retryAfter;
      if (behaviour.retryAfterMs !== undefined) headers['retry-after-ms'] = behaviour.retryAfterMs;
      const error = openaiError(
        429,
        `Rate limit reached for ${model} in organization org-fake on images per minute (IPM): Limit 5, Used 5, Requested 1. Please try again in 12s.`,
        'requests',
        null,
        'rate_limit_exceeded',
      );
      return new FakeError(429, error.body, headers);
    }
    case 'insufficient_quota':
      return openaiError(
        429,
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        'insufficient_quota',
        null,
        'insufficient_quota',
      );
    case 'moderation_blocked':
      return isGpt(model)
        ? openaiError(
            400,
            'Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID req_fake.',
            'image_generation_user_error',
            null,
            'moderation_blocked',
          )
        : invalid(
            'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.',
            null,
            'content_policy_violation',
          );
    case 'http_error':
      return new FakeError(behaviour.status, behaviour.body, behaviour.headers);
    default:
      return undefined;
  }
}
