import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PixelBudget } from './pixel-budget.js';

describe('PixelBudget', () => {
  it('never holds more than its capacity, and every piece of work runs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.record({ pixels: fc.integer({ min: 0, max: 2000 }), ms: fc.nat(3) }), {
          maxLength: 30,
        }),
        async (capacity, work) => {
          const budget = new PixelBudget(capacity);
          let held = 0;
          let most = 0;
          await Promise.all(
            work.map(async ({ pixels, ms }) => {
              const release = await budget.acquire(pixels);
              const weight = Math.min(Math.max(1, pixels), capacity);
              held += weight;
              most = Math.max(most, held);
              await sleep(ms);
              held -= weight;
              release();
            }),
          );
          expect(most).toBeLessThanOrEqual(capacity);
          expect(budget.peak).toBe(most);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('lets waiting work go when it is aborted, and the work behind it proceed', async () => {
    const budget = new PixelBudget(10);
    const first = await budget.acquire(10);
    const aborted = new AbortController();
    const blocked = budget.acquire(10, aborted.signal);
    const behind = budget.acquire(5);
    aborted.abort(new Error('client left'));
    await expect(blocked).rejects.toThrow('client left');
    first();
    (await behind)();
    expect(budget.peak).toBe(10);
  });
});
