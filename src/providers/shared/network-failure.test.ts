import { describe, expect, it } from 'vitest';
import { invalidRequest, PixapiError } from '../../errors.js';
import { UpstreamFailure } from '../errors.js';
import { networkFailure, providerUrlFailure } from './network-failure.js';

describe('networkFailure', () => {
  it('is retryable with the message given, the error as its cause', () => {
    const error = new TypeError('fetch failed');
    const failure = networkFailure(error, new AbortController().signal, 'p network error');
    expect(failure).toMatchObject({ kind: 'retryable', message: 'p network error' });
    expect(failure.cause).toBe(error);
  });

  it('returns a failure that is already classified as it is', () => {
    const classified = new UpstreamFailure('terminal', 'bad');
    expect(networkFailure(classified, new AbortController().signal, 'x')).toBe(classified);
  });

  it("throws the signal's reason when the call itself was aborted", () => {
    const reason = new Error('deadline');
    expect(() => networkFailure(new TypeError('aborted'), AbortSignal.abort(reason), 'x')).toThrow(
      reason,
    );
  });
});

describe('providerUrlFailure', () => {
  it('is retryable unless the call itself was aborted', () => {
    const live = new AbortController().signal;
    expect(providerUrlFailure(new TypeError('fetch failed'), live, 'x')).toMatchObject({
      kind: 'retryable',
      message: 'x: request failed before an answer',
    });
    const reason = new Error('deadline');
    expect(() =>
      providerUrlFailure(new TypeError('aborted'), AbortSignal.abort(reason), 'x'),
    ).toThrow(reason);
  });

  it('makes a refused provider URL invalid_response and its timeouts retryable', () => {
    const signal = new AbortController().signal;
    const rejected = invalidRequest('image_url_rejected', 'private address', null);
    expect(providerUrlFailure(rejected, signal, 'x')).toMatchObject({
      kind: 'invalid_response',
      upstreamCode: 'image_url_rejected',
    });
    const tooLarge = new PixapiError({ code: 'payload_too_large', message: 'too much' });
    expect(providerUrlFailure(tooLarge, signal, 'x').kind).toBe('invalid_response');
    const timeout = invalidRequest('image_url_timeout', 'slow', null);
    expect(providerUrlFailure(timeout, signal, 'x').kind).toBe('retryable');
  });
});
