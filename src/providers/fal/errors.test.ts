import { describe, expect, it } from 'vitest';
import { upstreamAnswer } from '../../../test/helpers/provider-fixtures.js';
import { classifyFalError, falStatusFailure } from './errors.js';

const answer = upstreamAnswer;

describe('classifyFalError', () => {
  it('makes content checker refusals safety failures', () => {
    const failure = classifyFalError(
      answer(422, {
        detail: [{ loc: ['body', 'prompt'], msg: 'flagged', type: 'content_policy_violation' }],
      }),
    );
    expect(failure).toMatchObject({ kind: 'safety', upstreamCode: 'content_policy_violation' });
  });

  it('makes other validation errors terminal, with the message', () => {
    const failure = classifyFalError(
      answer(422, {
        detail: [{ loc: ['body', 'num_images'], msg: 'too many', type: 'less_than_equal' }],
      }),
    );
    expect(failure).toMatchObject({
      kind: 'terminal',
      status: 422,
      upstreamCode: 'less_than_equal',
    });
    expect(failure.message).toContain('too many');
  });

  it('makes bad keys and exhausted balances operator problems', () => {
    expect(
      classifyFalError(answer(401, { detail: 'No user found for Key ID and Secret' })).kind,
    ).toBe('misconfigured');
    expect(
      classifyFalError(answer(403, { detail: 'User is locked. Reason: Exhausted balance.' })).kind,
    ).toBe('misconfigured');
  });

  it('reads infrastructure error types from the header or the body', () => {
    const header = classifyFalError(
      answer(503, { detail: 'No runner' }, { 'X-Fal-Error-Type': 'runner_scheduling_failure' }),
    );
    expect(header).toMatchObject({ kind: 'retryable', upstreamCode: 'runner_scheduling_failure' });
    const body = classifyFalError(
      answer(400, { detail: 'bad timeout', error_type: 'bad_request' }),
    );
    expect(body.kind).toBe('terminal');
    const fallback = classifyFalError(answer(499, { detail: 'gone' }), 'client_disconnected');
    expect(fallback.kind).toBe('retryable');
  });

  it('retries 429 and 5xx with retry-after, and what fal says is retryable', () => {
    expect(
      classifyFalError(answer(429, { detail: 'slow down' }, { 'retry-after': '7' })),
    ).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 7000,
    });
    expect(classifyFalError(answer(502, undefined)).kind).toBe('retryable');
    expect(
      classifyFalError(
        answer(422, { detail: [{ msg: 'busy', type: 'x' }] }, { 'x-fal-retryable': 'true' }),
      ).kind,
    ).toBe('retryable');
  });

  it('keeps non-JSON error bodies in the message, shortened', () => {
    const failure = classifyFalError(answer(404, undefined));
    expect(failure).toMatchObject({ kind: 'terminal', status: 404 });
    expect(failure.message).toContain('Bad Gateway');
  });
});

describe('falStatusFailure', () => {
  it('classifies by error_type, retryable when unknown', () => {
    expect(falStatusFailure('timed out', 'request_timeout').kind).toBe('retryable');
    expect(falStatusFailure('malformed', 'bad_request').kind).toBe('terminal');
    expect(falStatusFailure('crashed', undefined).kind).toBe('retryable');
  });
});
