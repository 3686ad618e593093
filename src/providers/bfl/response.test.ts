import { describe, expect, it } from 'vitest';
import { UpstreamFailure } from '../errors.js';
import { fromUpstreamPoll, fromUpstreamSubmit } from './response.js';

function failureOf(fn: () => unknown): UpstreamFailure {
  try {
    fn();
  } catch (error) {
    if (error instanceof UpstreamFailure) return error;
    throw error;
  }
  throw new Error('expected a UpstreamFailure');
}

describe('fromUpstreamSubmit', () => {
  it('reads id and polling_url', () => {
    const text = JSON.stringify({
      id: 'd5ba37dc',
      polling_url: 'https://api.eu2.bfl.ai/v1/get_result?id=d5ba37dc',
      cost: 3.0,
      input_mp: 0,
      output_mp: 1,
    });
    expect(fromUpstreamSubmit(text)).toEqual({
      id: 'd5ba37dc',
      pollingUrl: 'https://api.eu2.bfl.ai/v1/get_result?id=d5ba37dc',
    });
  });

  it('tolerates an answer without polling_url', () => {
    expect(fromUpstreamSubmit('{"id":"abc"}')).toEqual({ id: 'abc', pollingUrl: undefined });
  });

  it.each([
    ['not JSON', '<html>oops</html>'],
    ['no id', '{"polling_url":"https://api.bfl.ai/v1/get_result?id=x"}'],
    ['a polling_url that is no http URL', '{"id":"x","polling_url":"file:///etc/passwd"}'],
  ])('rejects %s as invalid_response', (_, text) => {
    expect(failureOf(() => fromUpstreamSubmit(text)).kind).toBe('invalid_response');
  });
});

describe('fromUpstreamPoll', () => {
  const poll = (body: unknown) => fromUpstreamPoll(JSON.stringify(body));

  it.each(['Pending', 'Queued', 'Processing'])('%s is still running', (status) => {
    expect(poll({ id: 'x', status, result: null, progress: 0.4 })).toEqual({ state: 'pending' });
  });

  it('returns result.sample when Ready', () => {
    const sample = 'https://delivery-eu1.bfl.ai/results/x/sample.jpeg?se=1&sig=2';
    expect(poll({ id: 'x', status: 'Ready', result: { sample, prompt: 'p', seed: 1 } })).toEqual({
      state: 'ready',
      url: sample,
    });
  });

  it('rejects Ready without a sample URL', () => {
    expect(failureOf(() => poll({ status: 'Ready', result: null })).kind).toBe('invalid_response');
    expect(failureOf(() => poll({ status: 'Ready', result: { sample: 'not a url' } })).kind).toBe(
      'invalid_response',
    );
  });

  it.each([
    ['Request Moderated', 'safety', 'request_moderated'],
    ['Content Moderated', 'safety', 'content_moderated'],
    ['Error', 'retryable', 'task_failed'],
    ['Failed', 'retryable', 'task_failed'],
    ['Task not found', 'invalid_response', 'task_not_found'],
    ['Exploded', 'invalid_response', 'unknown_status'],
  ])('%s → %s', (status, kind, code) => {
    const outcome = poll({
      id: 'x',
      status,
      result: null,
      details: { 'Moderation Reasons': ['Derivative Works Filter'] },
    });
    expect(outcome.state).toBe('failed');
    if (outcome.state !== 'failed') return;
    expect(outcome.failure.kind).toBe(kind);
    expect(outcome.failure.upstreamCode).toBe(code);
  });

  it('names the moderation reasons in the message', () => {
    const outcome = poll({
      status: 'Content Moderated',
      details: { 'Moderation Reasons': ['Derivative Works Filter'] },
    });
    expect(outcome.state === 'failed' && outcome.failure.message).toContain(
      'Derivative Works Filter',
    );
  });

  it('rejects non-JSON and status-less answers', () => {
    expect(failureOf(() => fromUpstreamPoll('upstream connect error')).kind).toBe(
      'invalid_response',
    );
    expect(failureOf(() => poll({ id: 'x' })).kind).toBe('invalid_response');
  });
});
