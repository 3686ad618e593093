import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY as policy, retryDelay } from './retry-policy.js';

describe('retryDelay', () => {
  it('grows exponentially up to the cap, with full jitter', () => {
    expect(retryDelay(1, undefined, policy, () => 0.999)).toBe(249);
    expect(retryDelay(2, undefined, policy, () => 0.999)).toBe(499);
    expect(retryDelay(3, undefined, policy, () => 0.999)).toBe(999);
    expect(retryDelay(10, undefined, policy, () => 0.999)).toBe(3996);
    expect(retryDelay(3, undefined, policy, () => 0)).toBe(0);
  });

  it('waits at least what retry-after asks', () => {
    expect(retryDelay(1, 1500, policy, () => 0)).toBe(1500);
    expect(retryDelay(5, 10, policy, () => 0.5)).toBe(2000);
  });

  it('gives up on the route when retry-after is too long', () => {
    expect(retryDelay(1, 60_000, policy)).toBeUndefined();
  });
});
