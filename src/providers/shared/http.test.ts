import { describe, expect, it } from 'vitest';
import { invalidRequest } from '../../errors.js';
import { UpstreamFailure } from '../errors.js';
import { fetchAnswer, parseJsonOrFail, parseJsonOrUndefined, readAnswer } from './http.js';

describe('readAnswer', () => {
  it('parses JSON and keeps non-JSON bodies as text', async () => {
    const json = await readAnswer(new Response('{"a":1}', { status: 200 }));
    expect(json.json).toEqual({ a: 1 });
    const html = await readAnswer(new Response('<html>oops</html>', { status: 502 }));
    expect(html).toMatchObject({ status: 502, text: '<html>oops</html>', json: undefined });
    const empty = await readAnswer(new Response(null, { status: 204 }));
    expect(empty).toMatchObject({ status: 204, text: '', json: undefined });
  });
});

describe('parseJsonOrUndefined', () => {
  it('gives the JSON, or undefined for anything else', () => {
    expect(parseJsonOrUndefined('{"error":{"code":1}}')).toEqual({ error: { code: 1 } });
    expect(parseJsonOrUndefined('null')).toBeNull();
    expect(parseJsonOrUndefined('<html>Bad Gateway</html>')).toBeUndefined();
    expect(parseJsonOrUndefined('')).toBeUndefined();
  });
});

describe('parseJsonOrFail', () => {
  it('gives the JSON, or fails with invalid_response and the parse error as cause', () => {
    expect(parseJsonOrFail('[1]', 'x')).toEqual([1]);
    let failure: unknown;
    try {
      parseJsonOrFail('<html>', 'p answered 200 with a body that is not JSON', { status: 200 });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(UpstreamFailure);
    expect(failure).toMatchObject({
      kind: 'invalid_response',
      status: 200,
      message: 'p answered 200 with a body that is not JSON',
    });
    expect((failure as UpstreamFailure).cause).toBeInstanceOf(SyntaxError);
  });
});

describe('fetchAnswer', () => {
  it('reads the answer whatever its status', async () => {
    const signal = new AbortController().signal;
    const answer = await fetchAnswer(
      async () => new Response('{"detail":"x"}', { status: 422 }),
      signal,
      'p',
    );
    expect(answer).toMatchObject({ status: 422, json: { detail: 'x' } });
  });

  it('classifies a request without an answer, and lets an abort through', async () => {
    const live = new AbortController().signal;
    await expect(
      fetchAnswer(() => Promise.reject(new TypeError('fetch failed')), live, 'p'),
    ).rejects.toMatchObject({ kind: 'retryable', message: 'p: request failed before an answer' });
    const rejected = invalidRequest('image_url_rejected', 'private address', null);
    await expect(fetchAnswer(() => Promise.reject(rejected), live, 'p')).rejects.toMatchObject({
      kind: 'invalid_response',
    });
    const reason = new Error('deadline');
    await expect(
      fetchAnswer(() => Promise.reject(new TypeError('aborted')), AbortSignal.abort(reason), 'p'),
    ).rejects.toBe(reason);
  });
});
