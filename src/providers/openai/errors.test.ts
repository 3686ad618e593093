import { describe, expect, it } from 'vitest';
import {
  classifyOpenAIHttpError,
  classifyOpenAIStreamError,
  retryAfterMs,
  safeMessage,
} from './errors.js';

const headers = (h: Record<string, string> = {}) => new Headers(h);
const body = (error: Record<string, unknown>) => JSON.stringify({ error });

describe('classifyOpenAIHttpError', () => {
  it('maps moderation_blocked (GPT) and content_policy_violation (DALL·E) to safety', () => {
    const gpt = classifyOpenAIHttpError(
      'openai',
      400,
      headers(),
      body({
        message: 'Your request was rejected by the safety system.',
        type: 'image_generation_user_error',
        param: null,
        code: 'moderation_blocked',
      }),
    );
    expect(gpt.kind).toBe('safety');
    expect(gpt.upstreamCode).toBe('moderation_blocked');
    const dalle = classifyOpenAIHttpError(
      'openai',
      400,
      headers(),
      body({
        message: 'rejected',
        type: 'invalid_request_error',
        param: null,
        code: 'content_policy_violation',
      }),
    );
    expect(dalle.kind).toBe('safety');
  });

  it('maps 401 to misconfigured without repeating the message, which quotes the key', () => {
    const failure = classifyOpenAIHttpError(
      'openai',
      401,
      headers(),
      body({
        message: 'Incorrect API key provided: sk-abc*****wxyz.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      }),
    );
    expect(failure.kind).toBe('misconfigured');
    expect(failure.message).not.toContain('sk-abc');
    expect(failure.upstreamCode).toBe('invalid_api_key');
  });

  it('maps insufficient_quota to misconfigured, by code or by type', () => {
    expect(
      classifyOpenAIHttpError(
        'openai',
        429,
        headers({ 'retry-after': '1' }),
        body({
          message: 'You exceeded your current quota',
          type: 'insufficient_quota',
          param: null,
          code: 'insufficient_quota',
        }),
      ).kind,
    ).toBe('misconfigured');
    expect(
      classifyOpenAIHttpError(
        'openai',
        429,
        headers(),
        body({ message: 'quota', type: 'insufficient_quota', param: null, code: null }),
      ).kind,
    ).toBe('misconfigured');
  });

  it('maps rate limits to retryable with the delay', () => {
    const failure = classifyOpenAIHttpError(
      'openai',
      429,
      headers({ 'retry-after': '7' }),
      body({
        message: 'Rate limit reached',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      }),
    );
    expect(failure).toMatchObject({
      kind: 'retryable',
      status: 429,
      retryAfterMs: 7000,
      upstreamCode: 'rate_limit_exceeded',
    });
  });

  it('maps 5xx, 408 and non-JSON error pages to retryable', () => {
    for (const status of [500, 502, 503, 504, 408]) {
      expect(
        classifyOpenAIHttpError('openai', status, headers(), '<html>Bad Gateway</html>').kind,
      ).toBe('retryable');
    }
  });

  it('maps other 4xx to terminal, and 404 to misconfigured', () => {
    const unknown = classifyOpenAIHttpError(
      'openai',
      400,
      headers(),
      body({
        message: "Unknown parameter: 'seed'.",
        type: 'invalid_request_error',
        param: 'seed',
        code: 'unknown_parameter',
      }),
    );
    expect(unknown).toMatchObject({ kind: 'terminal', upstreamCode: 'unknown_parameter' });
    expect(unknown.message).toContain("Unknown parameter: 'seed'.");
    expect(classifyOpenAIHttpError('openai', 422, headers(), '{}').kind).toBe('terminal');
    expect(
      classifyOpenAIHttpError(
        'openai',
        404,
        headers(),
        body({
          message: 'The model does not exist',
          type: 'invalid_request_error',
          param: null,
          code: 'model_not_found',
        }),
      ).kind,
    ).toBe('misconfigured');
  });
});

describe('retryAfterMs', () => {
  it('prefers retry-after-ms, then retry-after seconds, then an HTTP date', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }))).toBe(1500);
    expect(retryAfterMs(headers({ 'retry-after': '2.5' }))).toBe(2500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(
      retryAfterMs(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), undefined, now),
    ).toBe(30_000);
  });

  it('falls back to the hint of a rate-limit message', () => {
    expect(retryAfterMs(headers(), 'Please try again in 12s. Visit ...')).toBe(12_000);
    expect(retryAfterMs(headers(), 'Please try again in 1.5s.')).toBe(1500);
    expect(retryAfterMs(headers(), 'Please try again in 20ms.')).toBe(20);
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
  });
});

describe('classifyOpenAIStreamError', () => {
  it('classifies errors inside a stream', () => {
    expect(
      classifyOpenAIStreamError('openai', {
        message: 'no',
        type: 'image_generation_user_error',
        code: 'moderation_blocked',
        param: undefined,
      }).kind,
    ).toBe('safety');
    expect(
      classifyOpenAIStreamError('openai', {
        message: 'bad',
        type: 'invalid_request_error',
        code: undefined,
        param: 'x',
      }).kind,
    ).toBe('terminal');
    expect(
      classifyOpenAIStreamError('openai', {
        message: 'oops',
        type: 'server_error',
        code: undefined,
        param: undefined,
      }).kind,
    ).toBe('retryable');
  });
});

describe('safeMessage', () => {
  it('masks key-shaped strings and truncates', () => {
    expect(safeMessage('bad key sk-proj-abcdef123')).toBe('bad key sk-***');
    expect(safeMessage('x'.repeat(400)).length).toBeLessThan(310);
  });
});
