import { describe, expect, it } from 'vitest';
import { fromUpstreamHttpFailure, upstreamDetail } from './errors.js';

const headers = (values: Record<string, string> = {}) => ({
  get: (name: string) => values[name] ?? null,
});

describe('upstreamDetail', () => {
  it('reads string and validation details', () => {
    expect(upstreamDetail('{"detail":"Not authenticated"}')).toBe('Not authenticated');
    expect(
      upstreamDetail(
        '{"detail":[{"loc":["body","x"],"msg":"Extra inputs are not permitted","type":"extra_forbidden"}]}',
      ),
    ).toBe('body.x: Extra inputs are not permitted');
  });
});

describe('fromUpstreamHttpFailure', () => {
  it.each([
    [400, 'terminal', 'bad_request'],
    [401, 'misconfigured', 'unauthorized'],
    [402, 'misconfigured', 'insufficient_credits'],
    [403, 'misconfigured', 'forbidden'],
    [404, 'terminal', 'not_found'],
    [408, 'retryable', 'timeout'],
    [422, 'terminal', 'validation_error'],
    [429, 'retryable', 'rate_limited'],
    [500, 'retryable', 'server_error'],
    [503, 'retryable', 'server_error'],
    [302, 'invalid_response', undefined],
  ])('%i → %s', (status, kind, code) => {
    const failure = fromUpstreamHttpFailure(status, headers(), '{"detail":"x"}');
    expect(failure.kind).toBe(kind);
    expect(failure.status).toBe(status);
    expect(failure.upstreamCode).toBe(code);
  });

  it('keeps retry-after on retryable answers only', () => {
    expect(fromUpstreamHttpFailure(429, headers({ 'retry-after': '4' }), '').retryAfterMs).toBe(
      4000,
    );
    expect(
      fromUpstreamHttpFailure(400, headers({ 'retry-after': '4' }), '').retryAfterMs,
    ).toBeUndefined();
  });
});
