import { describe, expect, it } from 'vitest';
import { backoffMs, jittered, jobBackoffMs, pollDelayMs } from './backoff.js';

describe('jittered', () => {
  it('moves the delay by at most the jitter fraction', () => {
    expect(jittered(1000, 0.1, () => 0)).toBe(900);
    expect(jittered(1000, 0.1, () => 0.5)).toBe(1000);
    expect(jittered(1000, 0.1, () => 1)).toBe(1100);
    expect(jittered(1000, 0)).toBe(1000);
  });
});

describe('pollDelayMs', () => {
  it('doubles from 250 ms and stops at 2 s', () => {
    const delays = [0, 1, 2, 3, 4, 10].map((a) => pollDelayMs(a, { jitter: 0 }));
    expect(delays).toEqual([250, 500, 1000, 2000, 2000, 2000]);
  });

  it('stays within the jitter band', () => {
    expect(pollDelayMs(0, { random: () => 0 })).toBe(225);
    expect(pollDelayMs(0, { random: () => 1 })).toBe(275);
  });
});

describe('backoffMs', () => {
  it('full jitter spreads over [0, d), equal jitter over [d/2, d]', () => {
    const backoff = { initialMs: 100, maxMs: 1000 };
    expect(backoffMs(3, { ...backoff, jitter: 'full' }, () => 0)).toBe(0);
    expect(backoffMs(3, { ...backoff, jitter: 'full' }, () => 0.5)).toBe(400);
    expect(backoffMs(3, { ...backoff, jitter: 'equal' }, () => 0)).toBe(400);
    expect(backoffMs(3, { ...backoff, jitter: 'equal' }, () => 1)).toBe(800);
    expect(backoffMs(60, { ...backoff, jitter: 0 })).toBe(1000);
  });

  it('job redeliveries: 2 s doubling to 5 min', () => {
    expect([1, 2, 3, 9, 20].map((a) => jobBackoffMs(a, () => 1))).toEqual([
      2_000, 4_000, 8_000, 300_000, 300_000,
    ]);
  });
});
