import { describe, expect, it } from 'vitest';
import { upstreamAnswer } from '../../../test/helpers/provider-fixtures.js';
import { classifyPredictionError, classifyReplicateError } from './errors.js';

const answer = upstreamAnswer;

describe('classifyReplicateError', () => {
  it('makes a bad token and missing credit operator problems', () => {
    const unauthenticated = answer(401, {
      title: 'Unauthenticated',
      detail: 'You did not pass a valid authentication token',
      status: 401,
    });
    expect(classifyReplicateError(unauthenticated)).toMatchObject({
      kind: 'misconfigured',
      upstreamCode: 'Unauthenticated',
    });
    expect(
      classifyReplicateError(answer(402, { title: 'Insufficient credit', status: 402 })).kind,
    ).toBe('misconfigured');
  });

  it('reads the throttling delay from retry-after, else from the text', () => {
    const throttled = {
      detail: 'Request was throttled. Expected available in 6 seconds.',
      status: 429,
    };
    expect(classifyReplicateError(answer(429, throttled))).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 6000,
    });
    expect(
      classifyReplicateError(answer(429, throttled, { 'retry-after': '2' })).retryAfterMs,
    ).toBe(2000);
    const one = { detail: 'Request was throttled. Expected available in 1 second.' };
    expect(classifyReplicateError(answer(429, one)).retryAfterMs).toBe(1000);
  });

  it('retries 5xx, including non-JSON pages', () => {
    expect(classifyReplicateError(answer(503, { detail: 'busy' })).kind).toBe('retryable');
    const page = classifyReplicateError(answer(502, undefined));
    expect(page.kind).toBe('retryable');
    expect(page.message).toContain('502 Bad Gateway');
  });

  it('makes 404 and 422 terminal, even when a field name sounds like safety', () => {
    expect(classifyReplicateError(answer(404, { title: 'Not found', status: 404 })).kind).toBe(
      'terminal',
    );
    const invalid = answer(422, {
      title: 'Input validation failed',
      detail: '- input.disable_safety_checker: Invalid type. Expected: boolean\n',
      invalid_fields: [{ type: 'invalid_type', field: 'input.disable_safety_checker' }],
    });
    expect(classifyReplicateError(invalid).kind).toBe('terminal');
  });

  it('recognises a refusal at creation', () => {
    const flagged = answer(400, {
      detail: 'The input was flagged as sensitive. (E005)',
      status: 400,
    });
    expect(classifyReplicateError(flagged).kind).toBe('safety');
  });
});

describe('classifyPredictionError', () => {
  it('recognises safety refusals', () => {
    for (const error of [
      'NSFW content detected. Try running it again, or try a different prompt.',
      'All generated images contained NSFW content. Try running it again with a different prompt.',
      'Prediction failed: The input or output was flagged as sensitive. Please try again with different inputs. (E005)',
    ]) {
      expect(classifyPredictionError(error).kind).toBe('safety');
    }
  });

  it('retries transient platform failures', () => {
    expect(classifyPredictionError('Prediction interrupted; please retry (code: PA)').kind).toBe(
      'retryable',
    );
    expect(classifyPredictionError('E6716: Timeout starting prediction')).toMatchObject({
      kind: 'retryable',
      upstreamCode: 'E6716',
    });
  });

  it('makes other model failures terminal', () => {
    expect(classifyPredictionError('E1001: Model out of memory').kind).toBe('terminal');
    expect(classifyPredictionError(null).message).toContain('no error given');
  });
});
