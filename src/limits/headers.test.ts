import { describe, expect, it } from 'vitest';
import { budgetPeriods } from './budget.js';
import { formatReset, rateHeaders, retryAfterSeconds } from './headers.js';

describe('rate-limit headers', () => {
  it('formats resets as OpenAI does', () => {
    expect(formatReset(20)).toBe('20ms');
    expect(formatReset(5_400)).toBe('6s');
    expect(formatReset(60_000)).toBe('1m0s');
    expect(formatReset(-3)).toBe('0ms');
  });

  it('never promises less than nothing, and retries after at least a second', () => {
    expect(rateHeaders('images', { limit: 4, remaining: -2, msBeforeReset: 1500 })).toEqual({
      'x-ratelimit-limit-images': '4',
      'x-ratelimit-remaining-images': '0',
      'x-ratelimit-reset-images': '2s',
    });
    expect(retryAfterSeconds(1)).toBe('1');
    expect(retryAfterSeconds(61_001)).toBe('62');
  });
});

describe('budget periods', () => {
  it('reset at UTC midnight and on the first of the month', () => {
    const p = budgetPeriods(Date.UTC(2026, 11, 31, 23, 59));
    expect(new Date(p.dayStart).toISOString()).toBe('2026-12-31T00:00:00.000Z');
    expect(new Date(p.dayEnd).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(new Date(p.monthStart).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(new Date(p.monthEnd).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});
