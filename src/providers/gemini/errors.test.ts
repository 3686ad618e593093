import { describe, expect, it } from 'vitest';
import { classifyHttpError, parseDuration, retryDelayMs } from './errors.js';

const NOW = Date.parse('2026-05-01T12:00:00Z');

function headers(values: Record<string, string> = {}) {
  return new Headers(values);
}

function google(code: number, status: string, message: string, details?: unknown[]) {
  return JSON.stringify({ error: { code, message, status, ...(details ? { details } : {}) } });
}

const KEY_INVALID = google(
  400,
  'INVALID_ARGUMENT',
  'API key not valid. Please pass a valid API key.',
  [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'API_KEY_INVALID',
      domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    },
  ],
);

function quota(quotaId: string, quotaValue: string, retryDelay = '13s') {
  return google(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota.', [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [{ quotaMetric: 'm', quotaId, quotaValue }],
    },
    { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay },
  ]);
}

describe('classifyHttpError', () => {
  it.each([
    [400, 'INVALID_ARGUMENT', 'terminal'],
    [401, 'UNAUTHENTICATED', 'misconfigured'],
    [403, 'PERMISSION_DENIED', 'misconfigured'],
    [404, 'NOT_FOUND', 'terminal'],
    [408, 'DEADLINE_EXCEEDED', 'retryable'],
    [429, 'RESOURCE_EXHAUSTED', 'retryable'],
    [500, 'INTERNAL', 'retryable'],
    [503, 'UNAVAILABLE', 'retryable'],
    [504, 'DEADLINE_EXCEEDED', 'retryable'],
  ])('%i %s → %s', (status, googleStatus, kind) => {
    const failure = classifyHttpError(status, headers(), google(status, googleStatus, 'nope'));
    expect(failure.kind).toBe(kind);
    expect(failure.status).toBe(status);
    expect(failure.upstreamCode).toBe(googleStatus);
    expect(failure.message).toContain('nope');
  });

  it('400 API_KEY_INVALID → misconfigured', () => {
    const failure = classifyHttpError(400, headers(), KEY_INVALID);
    expect(failure.kind).toBe('misconfigured');
    expect(failure.upstreamCode).toBe('API_KEY_INVALID');
  });

  it('400 "API Key not found" without details → misconfigured', () => {
    const body = google(400, 'INVALID_ARGUMENT', 'API Key not found. Please pass a valid API key.');
    expect(classifyHttpError(400, headers(), body).kind).toBe('misconfigured');
  });

  it('400 FAILED_PRECONDITION (billing, location) → misconfigured', () => {
    const body = google(
      400,
      'FAILED_PRECONDITION',
      'User location is not supported for the API use.',
    );
    expect(classifyHttpError(400, headers(), body).kind).toBe('misconfigured');
  });

  it('429 reads RetryInfo.retryDelay', () => {
    const failure = classifyHttpError(
      429,
      headers(),
      quota('GenerateRequestsPerMinute', '10', '13s'),
    );
    expect(failure).toMatchObject({ kind: 'retryable', retryAfterMs: 13_000 });
  });

  it('429 prefers a retry-after header', () => {
    const failure = classifyHttpError(
      429,
      headers({ 'retry-after': '7' }),
      quota('PerMinute', '10'),
    );
    expect(failure.retryAfterMs).toBe(7_000);
  });

  it('429 of a per-day or zero quota → misconfigured, despite its RetryInfo', () => {
    const daily = quota('GenerateRequestsPerDayPerProjectPerModel-FreeTier', '25', '5s');
    expect(classifyHttpError(429, headers(), daily).kind).toBe('misconfigured');
    const zero = quota('GenerateRequestsPerMinutePerProjectPerModel-FreeTier', '0');
    expect(classifyHttpError(429, headers(), zero).kind).toBe('misconfigured');
  });

  it('503 with a retry-after date', () => {
    const when = new Date(NOW + 30_000).toUTCString();
    const failure = classifyHttpError(503, headers({ 'retry-after': when }), '{}', NOW);
    expect(failure).toMatchObject({ kind: 'retryable', retryAfterMs: 30_000 });
  });

  it('a non-JSON 502 from a proxy → retryable, with the body start in the message', () => {
    const failure = classifyHttpError(502, headers(), '<html>Bad Gateway</html>');
    expect(failure.kind).toBe('retryable');
    expect(failure.message).toContain('Bad Gateway');
  });

  it('reads an error wrapped in an array', () => {
    const body = `[${google(503, 'UNAVAILABLE', 'overloaded')}]`;
    expect(classifyHttpError(503, headers(), body).upstreamCode).toBe('UNAVAILABLE');
  });

  it('other 4xx → terminal', () => {
    expect(classifyHttpError(409, headers(), '').kind).toBe('terminal');
  });
});

describe('retry delays', () => {
  it('parses protobuf durations, rounding up', () => {
    expect(parseDuration('13s')).toBe(13_000);
    expect(parseDuration('45.837906927s')).toBe(45_838);
    expect(parseDuration('13')).toBeUndefined();
  });

  it('falls back to "Please retry in 12.5s." in the message', () => {
    const error = {
      message: 'Quota exceeded. Please retry in 12.5s.',
      status: undefined,
      details: [],
    };
    expect(retryDelayMs(null, error)).toBe(12_500);
  });
});
